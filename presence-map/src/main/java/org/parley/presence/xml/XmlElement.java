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
    static final XmlElement[] NO_CHILDREN = new XmlElement[0];

    private final String namespace;
    private final String name;
    private final String[] attributeNames;
    private final String[] attributeValues;
    private final String lang;
    /** Exactly as long as the number of children; never modified. */
    private final XmlElement[] childArray;
    private final String text;
    /** The list view of {@link #childArray}, made on first request (a benign race, like String's hash). */
    private List<XmlElement> childList;

    /** Builds an element from collections, copying them. */
    public XmlElement(String namespace, String name, Map<String, String> attributes, String lang,
            List<XmlElement> children, String text) {
        this(namespace, name, attributes.keySet().toArray(NONE), attributes.values().toArray(NONE), lang,
                nonNull(children.toArray(NO_CHILDREN)), text);
    }

    private static XmlElement[] nonNull(XmlElement[] children) {
        for (XmlElement c : children) {
            Objects.requireNonNull(c, "child");
        }
        return children;
    }

    /** Trusting constructor for the parser: the arrays are never modified afterwards. */
    XmlElement(String namespace, String name, String[] attributeNames, String[] attributeValues, String lang,
            XmlElement[] children, String text) {
        this.namespace = namespace == null ? "" : namespace;
        this.name = Objects.requireNonNull(name, "name");
        this.attributeNames = attributeNames;
        this.attributeValues = attributeValues;
        this.lang = lang == null ? "" : lang;
        this.childArray = children;
        this.text = text == null ? "" : text;
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
        List<XmlElement> list = childList;
        if (list == null) {
            list = childArray.length == 0 ? List.of() : Collections.unmodifiableList(Arrays.asList(childArray));
            childList = list;
        }
        return list;
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
        for (XmlElement c : childArray) {
            if (c.is(ns, localName)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    public List<XmlElement> children(String ns, String localName) {
        List<XmlElement> out = new ArrayList<>(2);
        for (XmlElement c : childArray) {
            if (c.is(ns, localName)) {
                out.add(c);
            }
        }
        return out;
    }

    /** Text of the first matching child, trimmed; {@code null} if no such child. */
    public String childText(String ns, String localName) {
        for (XmlElement c : childArray) {
            if (c.is(ns, localName)) {
                return c.text.strip();
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof XmlElement e && namespace.equals(e.namespace) && name.equals(e.name) && lang.equals(e.lang)
                && text.equals(e.text) && attributes().equals(e.attributes()) && Arrays.equals(childArray, e.childArray);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, name, lang, text, Arrays.hashCode(childArray));
    }

    @Override
    public String toString() {
        return "XmlElement[{" + namespace + "}" + name + " " + attributes() + (lang.isEmpty() ? "" : " lang=" + lang)
                + " children=" + childArray.length + " text=" + text.length() + " chars]";
    }
}
