package org.parley.gateway.routing;

import org.parley.presence.address.AddressMapper;
import org.parley.presence.MappingException;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.model.Receipt;
import org.parley.presence.model.SubscriptionEvent;

/** Moves an event between the XMPP and SIP address schemes (RFC 7247 §5), keeping everything else. */
final class Readdressing {

    private final AddressMapper mapper;

    Readdressing(AddressMapper mapper) {
        this.mapper = mapper;
    }

    GatewayEvent toSip(GatewayEvent e) throws MappingException {
        return with(e, sip(e.from()), sip(e.to()));
    }

    GatewayEvent toXmpp(GatewayEvent e) throws MappingException {
        return with(e, xmpp(e.from()), xmpp(e.to()));
    }

    Address sip(Address a) throws MappingException {
        return a == null || a.scheme() == Address.Scheme.SIP ? a : mapper.toSip(a);
    }

    Address xmpp(Address a) throws MappingException {
        return a == null || a.scheme() == Address.Scheme.XMPP ? a : mapper.toXmpp(a);
    }

    static GatewayEvent with(GatewayEvent e, Address from, Address to) {
        if (e instanceof ChatMessage m) {
            return new ChatMessage(from, to, m.id(), m.kind(), m.body(), m.htmlBody(), m.conversationId(), m.receiptRequested(), m.chatState());
        }
        if (e instanceof ChatStateChange c) {
            return new ChatStateChange(from, to, c.state(), c.conversationId());
        }
        if (e instanceof PresenceUpdate p) {
            return new PresenceUpdate(from, to, p.availability(), p.priority(), p.statusTexts(), p.activity(), p.lyncState());
        }
        if (e instanceof SubscriptionEvent s) {
            return new SubscriptionEvent(from, to, s.action());
        }
        if (e instanceof Receipt r) {
            return new Receipt(from, to, r.messageId());
        }
        GatewayError g = (GatewayError) e; // the last permitted GatewayEvent
        return g.between(from, to);
    }
}
