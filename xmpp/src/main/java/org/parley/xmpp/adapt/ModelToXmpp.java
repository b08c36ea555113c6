package org.parley.xmpp.adapt;

import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.model.Receipt;
import org.parley.presence.model.StanzaKind;
import org.parley.presence.model.SubscriptionEvent;
import org.parley.presence.xml.SafeXmlParser;
import org.parley.presence.xmpp.XmppMessageCodec;
import org.parley.presence.xmpp.XmppPresenceCodec;

/**
 * Model events (addressed with XMPP addresses) → stanza text, through presence-map's codecs: the inverse of
 * {@link XmppToModel}. Presence, subscriptions and presence errors by {@link XmppPresenceCodec} (with Parley's
 * lossless {@code <lync-state/>} extension), messages, chat states, receipts and message errors by
 * {@link XmppMessageCodec}. An error is of the kind of the stanza that caused it (RFC 6120 §8.3.1).
 */
public final class ModelToXmpp {

    private final XmppPresenceCodec presenceCodec;
    private final XmppMessageCodec messageCodec;

    public ModelToXmpp(AddressMapper addresses) {
        SafeXmlParser parser = new SafeXmlParser();
        this.presenceCodec = new XmppPresenceCodec(parser, addresses);
        this.messageCodec = new XmppMessageCodec(parser, addresses);
    }

    /** The stanza Parley writes for {@code event}, as text. */
    public String render(GatewayEvent event) {
        // Java 17: no pattern switch; GatewayEvent is sealed, so this chain is exhaustive.
        if (event instanceof PresenceUpdate p) {
            return presenceCodec.encode(p);
        } else if (event instanceof SubscriptionEvent s) {
            return presenceCodec.encode(s);
        } else if (event instanceof ChatMessage m) {
            return messageCodec.encode(m);
        } else if (event instanceof ChatStateChange c) {
            return messageCodec.encode(c);
        } else if (event instanceof Receipt r) {
            return messageCodec.encode(r);
        }
        GatewayError e = (GatewayError) event;
        return e.kind() == StanzaKind.PRESENCE ? presenceCodec.encode(e) : messageCodec.encode(e);
    }
}
