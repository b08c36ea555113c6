package org.parley.xmpp.stream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes read on one stream since the last element was handed on, so that a {@link XmppWireTap}
 * gets each element as the peer wrote it. Offsets are the {@link StanzaReader}'s: one per XML
 * document, so a restarted stream starts a new one. What it keeps is bounded by the stanza limit:
 * the reader refuses more bytes than that since the last element.
 */
final class ReceivedText {

    private byte[] data = new byte[1024];
    private int length;
    /** The stream offset of {@code data[0]}. */
    private long offset;

    void add(byte[] bytes, int count) {
        if (length + count > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, length + count));
        }
        System.arraycopy(bytes, 0, data, length, count);
        length += count;
    }

    /** The element's text, and forgets everything up to its end; null when those bytes are not (or no longer) here. */
    String take(StreamEvent.Stanza stanza) {
        long start = stanza.end() - stanza.bytes();
        if (start < offset || stanza.end() > offset + length) {
            return null;
        }
        String text = new String(data, (int) (start - offset), stanza.bytes(), StandardCharsets.UTF_8);
        int consumed = (int) (stanza.end() - offset);
        System.arraycopy(data, consumed, data, 0, length - consumed);
        length -= consumed;
        offset = stanza.end();
        return text;
    }
}
