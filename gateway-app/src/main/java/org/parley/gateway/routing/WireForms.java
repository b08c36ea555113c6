package org.parley.gateway.routing;

import java.util.function.Function;
import org.parley.presence.model.GatewayEvent;

/**
 * How each side writes an event on the wire, for the translation trace: the modules' own encoders
 * (the XMPP stanza exactly; the SIP request line, meaningful headers and body).
 */
public record WireForms(Function<GatewayEvent, String> xmpp, Function<GatewayEvent, String> sip) {

    /** Model form only (tests that do not look at the wire). */
    public static WireForms modelOnly() {
        return new WireForms(GatewayEvent::toString, GatewayEvent::toString);
    }
}
