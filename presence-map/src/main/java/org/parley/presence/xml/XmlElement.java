package org.parley.presence.xml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A small immutable XML element tree, produced by {@link SafeXmlParser}. Only what the presence
 * codecs need: namespace, local name, attributes (by local name, plus {@code xml:lang} as
 * {@link #lang()}), child elements and the concatenated character data.
 *
 * <p>Why a class and not a record: the parser hands over arrays it built and never touches again,
 * so the tree is immutable without the defensive copies a record's canonical constructor would make
 * (they were a tenth of a presence translation). Attributes are kept as two parallel arrays of local
 * names and values; lookups scan from the end so that, when two namespaces share a local name
 * ({@code type} and {@code xsi:type}), the later attribute wins.
 */
public final class XmlElement {

    public static final String XML_NS = "http://www.w3.org/XML/1998/namespace";

    private static final String[] NONE = new String[0];

    private final String namespace;
    private final String name;
    private final String[] attributeNames;
    private final String[] attributeValues;
    private final String lang;
    private final List<XmlElement> children;
    private final String text;

    /** Builds an element from collections, copying them. */
    public XmlElement(String namespace, String name, Map<String, String> attributes, String lang,
            List<XmlElement> children, String text) {
        this(namespace, name, attributes.keySet().toArray(NONE), attributes.values().toArray(NONE), lang,
                List.copyOf(children), text);
    }

    /** Trusting constructor for the parser: the arrays and list are never modified afterwards. */
    XmlElement(String namespace, String name, String[] attributeNames, String[] attributeValues, String lang,
            List<XmlElement> children, String text) {
        this.namespace = namespace == null ? "" : namespace;
        this.name = Objects.requireNonNull(name, "name");
        this.attributeNames = attributeNames;
        this.attributeValues = attributeValues;
        this.lang = lang == null ? "" : lang;
        this.children = children;
        this.text = text == null ? "" : text;
    }

    /** Wraps a parser-owned array as an unmodifiable list without copying it. */
    static List<XmlElement> childList(XmlElement[] children, int count) {
        if (count == 0) {
            return List.of();
        }
        XmlElement[] exact = count == children.length ? children : Arrays.copyOf(children, count);
        return Collections.unmodifiableList(Arrays.asList(exact));
    }

    public String namespace() {
        return namespace;
    }

    public String name() {
        return name;
    }

    /** The attributes by local name (a later attribute wins over an earlier one of the same local name). */
    public Map<String, String> attributes() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < attributeNames.length; i++) {
            m.put(attributeNames[i], attributeValues[i]);
        }
        return Collections.unmodifiableMap(m);
    }

    public String lang() {
        return lang;
    }

    public List<XmlElement> children() {
        return children;
    }

    public String text() {
        return text;
    }

    public boolean is(String ns, String localName) {
        return name.equals(localName) && namespace.equals(ns);
    }

    public String attribute(String localName) {
        for (int i = attributeNames.length - 1; i >= 0; i--) {
            if (attributeNames[i].equals(localName)) {
                return attributeValues[i];
            }
        }
        return null;
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

    @Override
    public boolean equals(Object o) {
        return o instanceof XmlElement e && namespace.equals(e.namespace) && name.equals(e.name) && lang.equals(e.lang)
                && text.equals(e.text) && attributes().equals(e.attributes()) && children.equals(e.children);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, name, lang, text, children);
    }

    @Override
    public String toString() {
        return "XmlElement[{" + namespace + "}" + name + " " + attributes() + (lang.isEmpty() ? "" : " lang=" + lang)
                + " children=" + children.size() + " text=" + text.length() + " chars]";
    }
}
