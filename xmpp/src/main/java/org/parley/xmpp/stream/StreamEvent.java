package org.parley.xmpp.stream;

import java.util.Map;
import org.dom4j.Element;

/** What a {@link StanzaReader} finds in the bytes fed to it. */
public sealed interface StreamEvent {

    /** The {@code <stream:stream>} header: its attributes (from, to, id, version, xml:lang) and content namespace. */
    record Opened(String contentNamespace, Map<String, String> attributes) implements StreamEvent {
        public Opened {
            attributes = Map.copyOf(attributes);
        }
    }

    /**
     * One complete first-level element: a stanza, or stream features / TLS / SASL / dialback negotiation.
     *
     * @param bytes its size on the wire
     * @param end   the offset in the stream (one XML document) just past its last byte: with {@code bytes}, where it
     *              stands in what was read
     * @param text  the element as its bytes came (not re-serialized), once the stream I/O has cut it out; {@code null}
     *              from the reader alone
     */
    record Stanza(Element element, int bytes, long end, String text) implements StreamEvent {

        Stanza withText(String read) {
            return new Stanza(element, bytes, end, read);
        }
    }

    /** The peer closed the stream with {@code </stream:stream>}. */
    record Closed() implements StreamEvent {
    }
}
