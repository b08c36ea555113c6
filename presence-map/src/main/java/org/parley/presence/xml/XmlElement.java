package org.parley.presence.xml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A small immutable XML element tree, produced by {@link SafeXmlParser}. Only what the presence
 * codecs need: namespace, local name, attributes (by local name, plus {@code xml:lang} as
 * {@link #lang()}), child elements and the concatenated character data.
 */
public record XmlElement(
        String namespace,
        String name,
        Map<String, String> attributes,
        String lang,
        List<XmlElement> children,
        String text) {

    public static final String XML_NS = "http://www.w3.org/XML/1998/namespace";

    public XmlElement {
        namespace = namespace == null ? "" : namespace;
        Objects.requireNonNull(name, "name");
        attributes = Map.copyOf(attributes);
        lang = lang == null ? "" : lang;
        children = List.copyOf(children);
        text = text == null ? "" : text;
    }

    public boolean is(String ns, String localName) {
        return name.equals(localName) && namespace.equals(ns);
    }

    public String attribute(String localName) {
        return attributes.get(localName);
    }

    public Optional<XmlElement> child(String ns, String localName) {
        for (XmlElement c : children) {
            if (c.is(ns, localName)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    public List<XmlElement> children(String ns, String localName) {
        List<XmlElement> out = new ArrayList<>(2);
        for (XmlElement c : children) {
            if (c.is(ns, localName)) {
                out.add(c);
            }
        }
        return out;
    }

    /** Text of the first matching child, trimmed; {@code null} if no such child. */
    public String childText(String ns, String localName) {
        for (XmlElement c : children) {
            if (c.is(ns, localName)) {
                return c.text.strip();
            }
        }
        return null;
    }
}
