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
        return translate(packet, null);
    }

    /**
     * @param wire the stanza as its bytes came on the stream, {@code null} when not known. The codec reads it in the
     *             stream's default namespace, instead of the element serialized again (a tenth of the s2s reader's CPU
     *             per IM, docs/performance.md). Where the wire text alone cannot be read (a prefix only the stream
     *             header declared), the element serialized with its whole context is read instead.
     */
    public InboundResult translate(Packet packet, String wire) {
        String name = packet.getElement().getName();
        try {
            if (name.equals("message")) {
                if ("groupchat".equals(packet.getElement().attributeValue("type"))) {
                    return reply(packet, PacketError.Condition.feature_not_implemented, "groupchat is not supported by this gateway");
                }
                return new InboundResult.Event(decode(messageCodec::decode, messageCodec::decode, packet, wire));
            }
            if (name.equals("presence")) {
                return new InboundResult.Event(decode(presenceCodec::decode, presenceCodec::decode, packet, wire));
            }
            return reply(packet, PacketError.Condition.feature_not_implemented, "only message and presence are translated");
        } catch (MappingException e) {
            return reply(packet, e.reason() == MappingException.Reason.MALFORMED_ADDRESS ? PacketError.Condition.jid_malformed
                    : PacketError.Condition.bad_request, e.getMessage());
        }
    }

    @FunctionalInterface
    private interface WholeStanza {
        org.parley.presence.model.GatewayEvent decode(String stanza) throws MappingException;
    }

    @FunctionalInterface
    private interface StanzaInStream {
        org.parley.presence.model.GatewayEvent decode(String stanza, String streamNamespace) throws MappingException;
    }

    private static org.parley.presence.model.GatewayEvent decode(WholeStanza whole, StanzaInStream inStream, Packet packet, String wire)
            throws MappingException {
        // a prefixed root (<s:message xmlns:s='jabber:server'>) leaves its children in a default namespace the element
        // does not tell: only the element serialized with its context says what they are in
        if (wire != null && packet.getElement().getNamespacePrefix().isEmpty()) {
            try {
                return inStream.decode(wire, packet.getElement().getNamespaceURI());
            } catch (MappingException readAlone) {
                // the element, serialized with every declaration it needs, gives the answer: the same event or the same
                // refusal as before the wire text was read directly
            }
        }
        return whole.decode(packet.toXML());
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
