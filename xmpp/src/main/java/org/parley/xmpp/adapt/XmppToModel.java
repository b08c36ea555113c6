package org.parley.xmpp.adapt;

import java.util.Locale;
import org.dom4j.Element;
import org.parley.presence.MappingException;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatState;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.ErrorType;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.MessageKind;
import org.parley.presence.model.Receipt;
import org.parley.presence.xmpp.XmppPresenceCodec;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.Presence;

/**
 * Tinder message and presence stanzas → model events; presence through presence-map's codec. Whatever
 * cannot be translated is answered with the stanza error that says why: groupchat →
 * {@code feature-not-implemented}, a malformed address → {@code jid-malformed}, a message
 * without a body or a state → {@code bad-request}.
 */
public final class XmppToModel {

    private final AddressMapper addresses;
    private final XmppPresenceCodec presenceCodec;

    public XmppToModel(AddressMapper addresses) {
        this.addresses = addresses;
        this.presenceCodec = new XmppPresenceCodec(new org.parley.presence.xml.SafeXmlParser(), addresses);
    }

    public InboundResult translate(Packet packet) {
        try {
            if (packet instanceof Message m) {
                return message(m);
            }
            if (packet instanceof Presence p) {
                return presence(p);
            }
            return reply(packet, PacketError.Condition.feature_not_implemented, "only message and presence are translated");
        } catch (MappingException e) {
            return reply(packet, PacketError.Condition.jid_malformed, e.getMessage());
        } catch (IllegalArgumentException e) {
            return reply(packet, PacketError.Condition.bad_request, e.getMessage());
        }
    }

    private InboundResult message(Message m) throws MappingException {
        Address from = jid(m.getFrom() == null ? null : m.getFrom().toString());
        Address to = jid(m.getTo() == null ? null : m.getTo().toString());
        Message.Type type = m.getType() == null ? Message.Type.normal : m.getType();
        if (type == Message.Type.groupchat) {
            return reply(m, PacketError.Condition.feature_not_implemented, "groupchat is not supported by this gateway");
        }
        if (type == Message.Type.error) {
            PacketError e = m.getError();
            return new InboundResult.Event(error(from, to, e, m.getID()));
        }
        Element received = m.getChildElement("received", Namespaces.RECEIPTS);
        if (received != null && received.attributeValue("id") != null) {
            return new InboundResult.Event(new Receipt(from, to, received.attributeValue("id")));
        }
        ChatState state = chatState(m);
        String body = m.getBody();
        if (body == null) {
            if (state != null) {
                return new InboundResult.Event(new ChatStateChange(from, to, state, m.getThread()));
            }
            return reply(m, PacketError.Condition.bad_request, "a message needs a body, a chat state or a receipt");
        }
        String html = null;
        Element htmlElement = m.getChildElement("html", Namespaces.XHTML_IM);
        if (htmlElement != null) {
            Element xhtmlBody = htmlElement.element(org.dom4j.QName.get("body", Namespaces.XHTML));
            if (xhtmlBody != null) {
                StringBuilder b = new StringBuilder();
                for (Object node : xhtmlBody.content()) {
                    if (node instanceof org.dom4j.Namespace) {
                        continue; // a namespace declaration, not content
                    }
                    b.append(((org.dom4j.Node) node).asXML().replace(" xmlns=\"" + Namespaces.XHTML + "\"", ""));
                }
                html = b.toString();
            }
        }
        boolean receiptRequested = m.getChildElement("request", Namespaces.RECEIPTS) != null;
        MessageKind kind = switch (type) {
            case chat -> MessageKind.CHAT;
            case headline -> MessageKind.HEADLINE;
            default -> MessageKind.NORMAL;
        };
        return new InboundResult.Event(new ChatMessage(from, to, m.getID(), kind, body, html, m.getThread(), receiptRequested, state));
    }

    /**
     * Presence through presence-map's {@link XmppPresenceCodec}: the one codec the golden files, benchmarks, dry run and
     * live traffic share. What it cannot read is answered bad-request, an address it cannot read jid-malformed.
     */
    private InboundResult presence(Presence p) {
        try {
            return new InboundResult.Event(presenceCodec.decode(p.toXML()));
        } catch (MappingException e) {
            return reply(p, e.reason() == MappingException.Reason.MALFORMED_ADDRESS ? PacketError.Condition.jid_malformed
                    : PacketError.Condition.bad_request, e.getMessage());
        }
    }

    private Address jid(String jid) throws MappingException {
        if (jid == null) {
            throw new MappingException(MappingException.Reason.MALFORMED_ADDRESS, "stanza without an address");
        }
        return addresses.parseJid(jid);
    }

    private static GatewayError error(Address from, Address to, PacketError e, String id) {
        ErrorCondition condition = ErrorCondition.UNDEFINED_CONDITION;
        ErrorType type = null;
        String text = null;
        if (e != null) {
            condition = ErrorCondition.fromXmppName(e.getCondition().toXMPP()).orElse(ErrorCondition.UNDEFINED_CONDITION);
            type = e.getType() == null ? null : ErrorType.valueOf(e.getType().toXMPP().toUpperCase(Locale.ROOT));
            text = e.getText();
        }
        return new GatewayError(from, to, condition, type, 0, text, null, id);
    }

    private static ChatState chatState(Message m) {
        for (ChatState s : ChatState.values()) {
            if (m.getChildElement(s.name().toLowerCase(Locale.ROOT), Namespaces.CHATSTATES) != null) {
                return s;
            }
        }
        return null;
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
