package org.parley.xmpp.adapt;

import org.parley.presence.model.GatewayEvent;
import org.xmpp.packet.Packet;

/**
 * What an inbound stanza becomes: a model event for the rest of Parley, or an error stanza to
 * send straight back (a stanza Parley cannot translate is never dropped silently).
 */
public sealed interface InboundResult {

    record Event(GatewayEvent event) implements InboundResult {
    }

    record Reply(Packet error, String reason) implements InboundResult {
    }
}
