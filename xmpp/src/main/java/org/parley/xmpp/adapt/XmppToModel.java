package org.parley.xmpp.adapt;

import org.parley.presence.MappingException;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.xml.SafeXmlParser;
import org.parley.presence.xmpp.XmppMessageCodec;
import org.parley.presence.xmpp.XmppPresenceCodec;
import org.xmpp.packet.Packet;
import org.xmpp.packet.PacketError;

/**
 * Inbound message and presence stanzas → model events, through presence-map's codecs ({@link XmppMessageCodec},
 * {@link XmppPresenceCodec}): the one codec per stanza kind, which the golden files, benchmarks and dry run share.
 * Tinder's packet is only the stream's envelope here. Whatever cannot be translated is answered with the stanza error
 * that says why: groupchat → {@code feature-not-implemented}, a missing or malformed address → {@code jid-malformed},
 * anything else unreadable (a message without a body or a state, an unknown type, a bad priority) → {@code bad-request}.
 */
public final class XmppToModel {

    private final XmppPresenceCodec presenceCodec;
    private final XmppMessageCodec messageCodec;

    public XmppToModel(AddressMapper addresses) {
        SafeXmlParser parser = new SafeXmlParser();
        this.presenceCodec = new XmppPresenceCodec(parser, addresses);
        this.messageCodec = new XmppMessageCodec(parser, addresses);
    }

    public InboundResult translate(Packet packet) {
        String name = packet.getElement().getName();
        try {
            if (name.equals("message")) {
                if ("groupchat".equals(packet.getElement().attributeValue("type"))) {
                    return reply(packet, PacketError.Condition.feature_not_implemented, "groupchat is not supported by this gateway");
                }
                return new InboundResult.Event(messageCodec.decode(packet.toXML()));
            }
            if (name.equals("presence")) {
                return new InboundResult.Event(presenceCodec.decode(packet.toXML()));
            }
            return reply(packet, PacketError.Condition.feature_not_implemented, "only message and presence are translated");
        } catch (MappingException e) {
            return reply(packet, e.reason() == MappingException.Reason.MALFORMED_ADDRESS ? PacketError.Condition.jid_malformed
                    : PacketError.Condition.bad_request, e.getMessage());
        }
    }

    /** An error answer to a stanza the gateway refuses before translating it. */
    public static InboundResult refuse(Packet original, PacketError.Condition condition, String text) {
        return reply(original, condition, text);
    }

    private static InboundResult reply(Packet original, PacketError.Condition condition, String text) {
        Packet error = original.createCopy();
        error.setTo(original.getFrom());
        error.setFrom(original.getTo());
        PacketError pe = new PacketError(condition);
        if (text != null) {
            pe.setText(text, "en");
        }
        error.setError(pe);
        return new InboundResult.Reply(error, text);
    }
}
