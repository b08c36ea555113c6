package org.parley.xmpp.stream;

/**
 * Caps applied to every inbound stream.
 *
 * @param maxStanzaBytes bytes one stanza may take on the wire (RFC 6120 §13.12 suggests ≥ 10,000)
 * @param maxDepth       element nesting inside a stanza
 */
public record StreamLimits(int maxStanzaBytes, int maxDepth) {

    public static final StreamLimits DEFAULT = new StreamLimits(256 * 1024, 48);

    public StreamLimits {
        if (maxStanzaBytes < 10_000 || maxDepth < 4) {
            throw new IllegalArgumentException("stanza limit below RFC 6120's 10,000 bytes or depth below 4");
        }
    }
}
