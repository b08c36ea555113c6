package org.parley.xmpp.stream;

/**
 * Sees a stream's text as it crosses the wire: each first-level element exactly as the peer's
 * bytes had it (not re-serialized), and each write exactly as Parley made it — so a trace can show
 * the real bytes. Called on the stream's own threads, in wire order: it must be quick and must
 * not throw.
 */
public interface XmppWireTap {

    /** Taps nothing: the streams of a gateway without a trace. */
    XmppWireTap NONE = new XmppWireTap() { };

    /** @param peer who sent it (its domain once known, else its address); @param stanzaXml one element as read */
    default void received(String peer, String stanzaXml) {
    }

    /** @param peer who it went to; @param xml what one write put on the wire (a header, a stanza, a close …) */
    default void sent(String peer, String xml) {
    }
}
