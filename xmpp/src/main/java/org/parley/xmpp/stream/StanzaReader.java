package org.parley.xmpp.stream;

import com.fasterxml.aalto.AsyncByteArrayFeeder;
import com.fasterxml.aalto.AsyncXMLInputFactory;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import com.fasterxml.aalto.stax.InputFactoryImpl;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import org.dom4j.DocumentFactory;
import org.dom4j.Element;
import org.dom4j.Namespace;
import org.dom4j.QName;

/**
 * Cuts an XMPP stream into stanzas as bytes arrive, with Aalto's non-blocking StAX parser: no
 * thread waits for a whole stanza, and one stream's garbage never affects another stream.
 *
 * <p>Explicit state (before header / in stream / closed), limits checked on every feed, and
 * every failure a {@link StreamErrorException} with the RFC 6120 condition to send:
 * <ul>
 *   <li>DTDs, entity references, comments and processing instructions → {@code restricted-xml}
 *       (RFC 6120 §11.1), so billion-laughs and external entities cannot happen;</li>
 *   <li>a stanza larger than the limit or nested deeper → {@code policy-violation};</li>
 *   <li>anything not well-formed, invalid UTF-8 included → {@code not-well-formed};</li>
 *   <li>a root that is not {@code <stream:stream>} in the streams namespace, or a content
 *       namespace other than the expected one → {@code invalid-namespace}.</li>
 * </ul>
 * Not thread-safe: one reader per stream, fed by the stream's I/O handler. A restarted stream
 * (after STARTTLS or SASL) gets a new reader.
 */
public final class StanzaReader {

    public static final String STREAMS_NS = "http://etherx.jabber.org/streams";

    private enum State { BEFORE_HEADER, IN_STREAM, CLOSED }

    private final AsyncXMLStreamReader<AsyncByteArrayFeeder> xml;
    private final StreamLimits limits;
    private final Set<String> contentNamespaces;
    private final DocumentFactory dom = DocumentFactory.getInstance();
    private final Deque<Element> open = new ArrayDeque<>();
    private State state = State.BEFORE_HEADER;
    private String contentNamespace = "";
    private long fed;
    private long stanzaStart = -1;
    /** Stream offset where the last complete top-level unit ended. */
    private long lastBoundary;
    /** 0: nothing pending, 1: saw '<', 2: saw "<!" (see refuseMarkupDeclarations). */
    private int markup;

    /** @param contentNamespaces accepted stream content namespaces, e.g. {@code jabber:server} */
    public StanzaReader(StreamLimits limits, Set<String> contentNamespaces) {
        AsyncXMLInputFactory factory = new InputFactoryImpl();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        this.xml = factory.createAsyncForByteArray();
        this.limits = limits;
        this.contentNamespaces = Set.copyOf(contentNamespaces);
    }

    /** Feeds bytes read from the socket; returns the events they complete (possibly none). */
    public List<StreamEvent> feed(byte[] bytes, int offset, int length) throws StreamErrorException {
        if (state == State.CLOSED) {
            throw new StreamErrorException(StreamErrorCondition.NOT_WELL_FORMED, "data after </stream:stream>");
        }
        fed += length;
        refuseMarkupDeclarations(bytes, offset, length);
        List<StreamEvent> events = new ArrayList<>(2);
        try {
            xml.getInputFeeder().feedInput(bytes, offset, length);
            int event;
            while ((event = xml.next()) != AsyncXMLStreamReader.EVENT_INCOMPLETE) {
                handle(event, events);
                if (state == State.CLOSED) {
                    break;
                }
            }
            // Everything since the last complete top-level unit (header or stanza) belongs to one
            // unit still being read — a huge start tag or header counts as much as a huge body.
            if (fed - lastBoundary > limits.maxStanzaBytes()) {
                throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION,
                        "stanza larger than " + limits.maxStanzaBytes() + " bytes");
            }
        } catch (XMLStreamException | RuntimeException e) {
            String why = firstLine(e.getMessage());
            String lower = why.toLowerCase(java.util.Locale.ROOT);
            // Aalto refuses a DTD or an entity with a parse error: report it as what it is
            boolean restricted = lower.contains("doctype") || lower.contains("dtd") || lower.contains("entity");
            throw new StreamErrorException(restricted ? StreamErrorCondition.RESTRICTED_XML : StreamErrorCondition.NOT_WELL_FORMED, why);
        }
        return events;
    }

    /**
     * {@code <!DOCTYPE}, {@code <!ENTITY} and comments are refused before the parser sees them:
     * Aalto's non-blocking parser rejects an internal DTD subset with a generic syntax error,
     * and the peer deserves the precise {@code restricted-xml}. Only {@code <![CDATA[} may follow
     * {@code <!}. Tracks a {@code <} or {@code <!} split across reads.
     */
    private void refuseMarkupDeclarations(byte[] bytes, int offset, int length) throws StreamErrorException {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (markup == 2) {
                if (b != '[') {
                    throw new StreamErrorException(StreamErrorCondition.RESTRICTED_XML,
                            "DTDs, entity declarations and comments are not allowed in XMPP");
                }
                markup = 0;
            } else if (markup == 1) {
                markup = b == '!' ? 2 : 0;
            }
            if (b == '<') {
                markup = 1;
            }
        }
    }

    public String contentNamespace() {
        return contentNamespace;
    }

    private void handle(int event, List<StreamEvent> out) throws StreamErrorException, XMLStreamException {
        switch (event) {
            case XMLStreamConstants.START_DOCUMENT, XMLStreamConstants.SPACE -> {
                // the XML declaration and inter-stanza whitespace (keep-alives)
            }
            case XMLStreamConstants.DTD -> throw new StreamErrorException(StreamErrorCondition.RESTRICTED_XML, "DTDs are not allowed in XMPP");
            case XMLStreamConstants.ENTITY_REFERENCE ->
                    throw new StreamErrorException(StreamErrorCondition.RESTRICTED_XML, "entity references are not allowed in XMPP");
            case XMLStreamConstants.COMMENT -> throw new StreamErrorException(StreamErrorCondition.RESTRICTED_XML, "comments are not allowed in XMPP");
            case XMLStreamConstants.PROCESSING_INSTRUCTION ->
                    throw new StreamErrorException(StreamErrorCondition.RESTRICTED_XML, "processing instructions are not allowed in XMPP");
            case XMLStreamConstants.START_ELEMENT -> startElement(out);
            case XMLStreamConstants.END_ELEMENT -> endElement(out);
            case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
                if (!open.isEmpty()) {
                    open.peek().addText(xml.getText());
                } else if (!xml.isWhiteSpace()) {
                    throw new StreamErrorException(StreamErrorCondition.NOT_WELL_FORMED, "text between stanzas");
                }
            }
            case XMLStreamConstants.END_DOCUMENT -> state = State.CLOSED;
            default -> {
                // nothing else can carry content
            }
        }
    }

    private void startElement(List<StreamEvent> out) throws StreamErrorException, XMLStreamException {
        if (state == State.BEFORE_HEADER) {
            if (!"stream".equals(xml.getLocalName()) || !STREAMS_NS.equals(xml.getNamespaceURI())) {
                throw new StreamErrorException(StreamErrorCondition.INVALID_NAMESPACE,
                        "expected <stream:stream> in " + STREAMS_NS + ", got <" + xml.getLocalName() + "> in " + xml.getNamespaceURI());
            }
            String ns = xml.getNamespaceContext().getNamespaceURI(XMLConstants.DEFAULT_NS_PREFIX);
            contentNamespace = ns == null ? "" : ns;
            if (!contentNamespaces.contains(contentNamespace)) {
                throw new StreamErrorException(StreamErrorCondition.INVALID_NAMESPACE,
                        "content namespace '" + contentNamespace + "' is not one of " + contentNamespaces);
            }
            Map<String, String> attributes = new HashMap<>();
            for (int i = 0; i < xml.getAttributeCount(); i++) {
                String prefix = xml.getAttributePrefix(i);
                String name = prefix == null || prefix.isEmpty() ? xml.getAttributeLocalName(i) : prefix + ":" + xml.getAttributeLocalName(i);
                attributes.put(name, xml.getAttributeValue(i));
            }
            state = State.IN_STREAM;
            lastBoundary = xml.getLocationInfo().getEndingByteOffset();
            out.add(new StreamEvent.Opened(contentNamespace, attributes));
            return;
        }
        if (open.isEmpty() && "stream".equals(xml.getLocalName()) && STREAMS_NS.equals(xml.getNamespaceURI())) {
            // RFC 6120 §4.3.3: a stream restarts only after STARTTLS or SASL success, and then with a new reader; a header
            // inside an open stream would otherwise be read as the start of a stanza that never ends
            throw new StreamErrorException(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE,
                    "a stream header inside an open stream (RFC 6120 §4.3.3: a stream restarts only after STARTTLS or SASL)");
        }
        if (open.size() >= limits.maxDepth()) {
            throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION, "stanza nested deeper than " + limits.maxDepth());
        }
        if (open.isEmpty()) {
            stanzaStart = xml.getLocationInfo().getStartingByteOffset();
        }
        String ns = xml.getNamespaceURI();
        String prefix = xml.getPrefix();
        Element element = dom.createElement(QName.get(xml.getLocalName(), Namespace.get(prefix == null ? "" : prefix, ns == null ? "" : ns)));
        for (int i = 0; i < xml.getNamespaceCount(); i++) {
            String p = xml.getNamespacePrefix(i);
            String uri = xml.getNamespaceURI(i);
            if (p != null && !p.isEmpty()) {
                element.addNamespace(p, uri);
            }
        }
        for (int i = 0; i < xml.getAttributeCount(); i++) {
            String ans = xml.getAttributeNamespace(i);
            String ap = xml.getAttributePrefix(i);
            QName q = ans == null || ans.isEmpty() ? QName.get(xml.getAttributeLocalName(i))
                    : QName.get(xml.getAttributeLocalName(i), Namespace.get(ap, ans));
            element.addAttribute(q, xml.getAttributeValue(i));
        }
        if (!open.isEmpty()) {
            open.peek().add(element);
        }
        open.push(element);
    }

    private void endElement(List<StreamEvent> out) throws XMLStreamException {
        if (open.isEmpty()) {
            state = State.CLOSED; // </stream:stream>
            out.add(new StreamEvent.Closed());
            return;
        }
        Element done = open.pop();
        if (open.isEmpty()) {
            long end = xml.getLocationInfo().getEndingByteOffset();
            out.add(new StreamEvent.Stanza(done, (int) Math.max(0, end - stanzaStart), end, null));
            stanzaStart = -1;
            lastBoundary = end;
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "not well-formed";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
