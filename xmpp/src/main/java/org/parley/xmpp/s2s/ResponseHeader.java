package org.parley.xmpp.s2s;

import java.util.UUID;
import org.parley.xmpp.stream.StanzaReader;

/**
 * The receiving entity's response stream header (RFC 6120 §4.7): always a fresh {@code id} and a
 * {@code from}, because a partner binds dialback keys to the id and Prosody refuses a header
 * without one ("Missing stream ID") — which is also true of the header that only carries a
 * stream error (§4.9.1.2). {@code version} is echoed only to a partner that sent one (§4.7.5): a
 * pre-RFC 3920 server gets none.
 *
 * @param id the stream id Parley hands out for this stream (each restart is a new stream)
 */
record ResponseHeader(String from, String to, String id, boolean versioned) {

    /** A header with a new random id. */
    static ResponseHeader fresh(String from, String to, boolean versioned) {
        return new ResponseHeader(from, to, UUID.randomUUID().toString(), versioned);
    }

    String toXml() {
        return "<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='" + StanzaReader.STREAMS_NS
                + "' xmlns:db='jabber:server:dialback' from='" + XmlAttr.escape(from) + "'"
                + (to == null ? "" : " to='" + XmlAttr.escape(to) + "'")
                + " id='" + id + "'" + (versioned ? " version='1.0'" : "") + ">";
    }
}
