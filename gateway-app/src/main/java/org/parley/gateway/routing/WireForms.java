package org.parley.gateway.routing;

import java.util.function.Function;
import org.parley.presence.model.GatewayEvent;

/**
 * How the XMPP side writes an event, for the translation trace: the xmpp module's own encoder, the one its streams
 * write with, so the text is the stanza as sent. SIP needs none: the SIP side reports each request as it went out
 * ({@code SipWireTap.onSent}).
 */
public record WireForms(Function<GatewayEvent, String> xmpp) {

    /** Model form only (tests that do not look at the wire). */
    public static WireForms modelOnly() {
        return new WireForms(GatewayEvent::toString);
    }
}
