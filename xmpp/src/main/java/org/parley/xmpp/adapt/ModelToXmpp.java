package org.parley.xmpp.adapt;

import java.util.List;
import java.util.Locale;
import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.lync.LyncAvailability;
import org.parley.presence.model.Activity;
import org.parley.presence.model.Availability;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.LocalizedText;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.model.Receipt;
import org.parley.presence.model.SubscriptionEvent;
import org.parley.presence.xmpp.ActivityLabels;
import org.parley.presence.xmpp.LyncStateExtension;
import org.parley.presence.xmpp.XmppShow;
import org.parley.presence.xmpp.XmppSubscriptionType;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.Presence;

/**
 * Model events (addressed with XMPP addresses) → Tinder stanzas. The inverse of
 * {@link XmppToModel}; presence uses presence-map's tables and Parley's lossless
 * {@code <lync-state/>} extension.
 */
public final class ModelToXmpp {

    private final AddressMapper addresses;

    public ModelToXmpp(AddressMapper addresses) {
        this.addresses = addresses;
    }

    public Packet translate(GatewayEvent event) {
        // Java 17: no pattern switch; GatewayEvent is sealed, so this chain is exhaustive.
        if (event instanceof PresenceUpdate p) {
            return presence(p);
        } else if (event instanceof SubscriptionEvent s) {
            return subscription(s);
        } else if (event instanceof ChatMessage m) {
            return message(m);
        } else if (event instanceof ChatStateChange c) {
            return chatState(c);
        } else if (event instanceof Receipt r) {
            return receipt(r);
        } else {
            return error((GatewayError) event);
        }
    }

    private Presence presence(PresenceUpdate p) {
        Availability a = p.lyncState() != null ? LyncAvailability.decode(p.lyncState().availability()) : p.availability();
        Presence out = new Presence();
        address(out, p.from(), p.to());
        if (XmppShow.encodesAsUnavailable(a)) {
            out.setType(Presence.Type.unavailable);
        } else {
            String show = XmppShow.encodeShow(a);
            if (show != null) {
                out.setShow(Presence.Show.valueOf(show));
            }
            if (p.priority() != 0) {
                out.setPriority(p.priority());
            }
        }
        List<LocalizedText> texts = p.statusTexts();
        if (texts.isEmpty() && p.activity() != null) {
            Activity activity = p.activity();
            texts = List.of(LocalizedText.of(activity.text() != null ? activity.text() : ActivityLabels.label(activity.token())));
        }
        for (LocalizedText t : texts) {
            Element status = out.getElement().addElement("status");
            status.setText(t.text());
            if (t.hasLang()) {
                status.addAttribute(QName.get("lang", "xml", Namespaces.XML), t.lang());
            }
        }
        if (p.lyncState() != null) {
            Element ext = out.addChildElement(LyncStateExtension.ELEMENT, LyncStateExtension.NAMESPACE);
            ext.addAttribute("availability", Integer.toString(p.lyncState().availability()));
            if (p.lyncState().activityToken() != null) {
                ext.addAttribute("activity", p.lyncState().activityToken());
            }
        }
        return out;
    }

    private Presence subscription(SubscriptionEvent s) {
        Presence out = new Presence(Presence.Type.valueOf(XmppSubscriptionType.encode(s.action())));
        address(out, s.from(), s.to());
        return out;
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
