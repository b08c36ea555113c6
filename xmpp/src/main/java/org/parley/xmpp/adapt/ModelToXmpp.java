package org.parley.xmpp.adapt;

import java.util.Locale;
import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.model.Receipt;
import org.parley.presence.model.StanzaKind;
import org.parley.presence.model.SubscriptionEvent;
import org.parley.presence.xmpp.XmppPresenceCodec;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.PacketError;

/**
 * Model events (addressed with XMPP addresses) → stanza text. The inverse of {@link XmppToModel}:
 * presence, subscriptions and presence errors through presence-map's {@link XmppPresenceCodec} (the
 * one codec, with Parley's lossless {@code <lync-state/>} extension), messages through Tinder.
 */
public final class ModelToXmpp {

    private final AddressMapper addresses;
    private final XmppPresenceCodec presenceCodec;

    public ModelToXmpp(AddressMapper addresses) {
        this.addresses = addresses;
        this.presenceCodec = new XmppPresenceCodec(new org.parley.presence.xml.SafeXmlParser(), addresses);
    }

    /** The stanza Parley writes for {@code event}, as text. */
    public String render(GatewayEvent event) {
        // Java 17: no pattern switch; GatewayEvent is sealed, so this chain is exhaustive.
        if (event instanceof PresenceUpdate p) {
            return presenceCodec.encode(p);
        } else if (event instanceof SubscriptionEvent s) {
            return presenceCodec.encode(s);
        } else if (event instanceof ChatMessage m) {
            return message(m).toXML();
        } else if (event instanceof ChatStateChange c) {
            return chatState(c).toXML();
        } else if (event instanceof Receipt r) {
            return receipt(r).toXML();
        }
        GatewayError e = (GatewayError) event;
        // RFC 6120 §8.3.1: the error stanza is of the kind that caused it
        return e.kind() == StanzaKind.PRESENCE ? presenceCodec.encode(e) : error(e).toXML();
    }

    private Message message(ChatMessage m) {
        Message out = new Message();
        address(out, m.from(), m.to());
        out.setType(switch (m.kind()) {
            case CHAT -> Message.Type.chat;
            case HEADLINE -> Message.Type.headline;
            case NORMAL -> Message.Type.normal;
        });
        if (m.id() != null) {
            out.setID(m.id());
        }
        out.setBody(m.body());
        if (m.htmlBody() != null) {
            Element html = out.addChildElement("html", Namespaces.XHTML_IM);
            Element body = html.addElement(QName.get("body", Namespaces.XHTML));
            try {
                // XHTML-IM needs well-formed XML; Lync's HTML often is not — then only the text goes.
                Element parsed = DocumentHelper.parseText("<body xmlns='" + Namespaces.XHTML + "'>" + m.htmlBody() + "</body>").getRootElement();
                for (Object node : parsed.content()) {
                    body.add((org.dom4j.Node) ((org.dom4j.Node) node).clone());
                }
            } catch (DocumentException | RuntimeException e) {
                out.getElement().remove(html);
            }
        }
        if (m.conversationId() != null) {
            out.setThread(m.conversationId());
        }
        if (m.receiptRequested()) {
            out.addChildElement("request", Namespaces.RECEIPTS);
        }
        if (m.chatState() != null) {
            out.addChildElement(m.chatState().name().toLowerCase(Locale.ROOT), Namespaces.CHATSTATES);
        }
        return out;
    }

    private Message chatState(ChatStateChange c) {
        Message out = new Message();
        address(out, c.from(), c.to());
        out.setType(Message.Type.chat);
        out.addChildElement(c.state().name().toLowerCase(Locale.ROOT), Namespaces.CHATSTATES);
        if (c.conversationId() != null) {
            out.setThread(c.conversationId());
        }
        return out;
    }

    private Message receipt(Receipt r) {
        Message out = new Message();
        address(out, r.from(), r.to());
        out.addChildElement("received", Namespaces.RECEIPTS).addAttribute("id", r.messageId());
        return out;
    }

    /** A failed message comes back as a message error carrying the reason (ms-diagnostics included). */
    private Message error(GatewayError e) {
        Message out = new Message();
        address(out, e.from(), e.to());
        if (e.correlationId() != null && !e.correlationId().isEmpty()) {
            out.setID(e.correlationId());
        }
        PacketError pe = new PacketError(PacketError.Condition.fromXMPP(e.condition().xmppName()),
                PacketError.Type.fromXMPP(e.type().xmppName()));
        String text = e.diagnostics() != null ? e.diagnostics().describe() : e.text();
        if (text != null) {
            pe.setText(text, "en");
        }
        out.setError(pe);
        return out;
    }

    private void address(Packet p, org.parley.presence.model.Address from, org.parley.presence.model.Address to) {
        p.setFrom(new JID(addresses.formatJid(from), true));
        if (to != null) {
            p.setTo(new JID(addresses.formatJid(to), true));
        }
    }
}
