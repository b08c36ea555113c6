package org.parley.xmpp.stream;

import java.io.IOException;
import org.dom4j.Element;

/** What an {@link XmppStreamIo#readUntilClosed read loop} does with what the peer sends. */
@FunctionalInterface
public interface StreamHandler {

    /**
     * One first-level element (a stanza, or a stream-level element such as a stream error) and {@code text}, the element
     * as its bytes came; false stops reading.
     */
    boolean element(Element element, String text) throws IOException, StreamErrorException;

    /** The peer's stream header; only a stream whose header is read in the loop cares. */
    default void header(StreamEvent.Opened header) throws IOException, StreamErrorException {
    }
}
