package org.parley.presence.xml;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.parley.presence.MappingException;
import org.parley.presence.MappingException.Reason;

/**
 * Parses untrusted XML bodies into {@link XmlElement} trees with the JDK's StAX parser.
 * DTDs (and so every entity declaration: billion laughs, external entities) are refused rather
 * than ignored, size, depth and element count are capped, and every failure is a
 * {@link MappingException}. Thread-safe: the factory is configured once and only read.
 */
public final class SafeXmlParser {

    private final XMLInputFactory factory;
    private final XmlLimits limits;

    public SafeXmlParser() {
        this(XmlLimits.DEFAULT);
    }

    public SafeXmlParser(XmlLimits limits) {
        this.limits = limits;
        this.factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    }

    public XmlLimits limits() {
        return limits;
    }

    public XmlElement parse(String xml) throws MappingException {
        if (xml == null || xml.isBlank()) {
            throw new MappingException(Reason.MALFORMED_BODY, "empty XML body");
        }
        if (xml.length() > limits.maxChars()) {
            throw new MappingException(Reason.TOO_LARGE,
                    "XML body of " + xml.length() + " characters exceeds the limit of " + limits.maxChars());
        }
        XMLStreamReader reader = null;
        try {
            reader = factory.createXMLStreamReader(new StringReader(xml));
            return read(reader);
        } catch (XMLStreamException | RuntimeException e) {
            // StAX implementations throw unchecked exceptions on some malformed input too.
            throw new MappingException(Reason.MALFORMED_BODY, "malformed XML: " + firstLine(e.getMessage()), e);
        } catch (StackOverflowError e) {
            throw new MappingException(Reason.MALFORMED_BODY, "malformed XML: parser recursion exhausted");
        } finally {
            closeQuietly(reader);
        }
    }

    private XmlElement read(XMLStreamReader r) throws XMLStreamException, MappingException {
        Deque<Builder> stack = new ArrayDeque<>();
        XmlElement root = null;
        int elements = 0;
        while (r.hasNext()) {
            int event = r.next();
            switch (event) {
                case XMLStreamConstants.DTD ->
                        throw new MappingException(Reason.FORBIDDEN_XML, "DTDs are not accepted in bodies");
                case XMLStreamConstants.ENTITY_REFERENCE ->
                        throw new MappingException(Reason.FORBIDDEN_XML, "entity reference &" + r.getLocalName() + "; is not accepted");
                case XMLStreamConstants.START_ELEMENT -> {
                    if (root != null) {
                        throw new MappingException(Reason.MALFORMED_BODY, "content after the root element");
                    }
                    if (++elements > limits.maxElements()) {
                        throw new MappingException(Reason.TOO_LARGE, "more than " + limits.maxElements() + " elements");
                    }
                    if (stack.size() >= limits.maxDepth()) {
                        throw new MappingException(Reason.TOO_LARGE, "nesting deeper than " + limits.maxDepth());
                    }
                    String inheritedLang = stack.isEmpty() ? "" : stack.peek().lang;
                    stack.push(new Builder(r, inheritedLang));
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (!stack.isEmpty()) {
                        stack.peek().text.append(r.getText());
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    XmlElement done = stack.pop().build();
                    if (stack.isEmpty()) {
                        root = done;
                    } else {
                        stack.peek().children.add(done);
                    }
                }
                default -> {
                    // comments, processing instructions, document start/end: nothing to keep
                }
            }
        }
        if (root == null) {
            throw new MappingException(Reason.MALFORMED_BODY, "no root element");
        }
        return root;
    }

    private static final class Builder {
        final String namespace;
        final String name;
        final Map<String, String> attributes;
        final String lang;
        final List<XmlElement> children = new ArrayList<>(4);
        final StringBuilder text = new StringBuilder();

        Builder(XMLStreamReader r, String inheritedLang) {
            this.namespace = r.getNamespaceURI();
            this.name = r.getLocalName();
            int count = r.getAttributeCount();
            Map<String, String> attrs = count == 0 ? Map.of() : new HashMap<>(count * 2);
            String ownLang = null;
            for (int i = 0; i < count; i++) {
                String local = r.getAttributeLocalName(i);
                if (XmlElement.XML_NS.equals(r.getAttributeNamespace(i)) && "lang".equals(local)) {
                    ownLang = r.getAttributeValue(i);
                } else {
                    attrs.put(local, r.getAttributeValue(i));
                }
            }
            this.attributes = attrs;
            this.lang = ownLang != null ? ownLang : inheritedLang;
        }

        XmlElement build() {
            return new XmlElement(namespace, name, attributes, lang, children, text.toString());
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable input";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void closeQuietly(XMLStreamReader reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (XMLStreamException ignored) {
                // nothing left to release for a string source
            }
        }
    }
}
