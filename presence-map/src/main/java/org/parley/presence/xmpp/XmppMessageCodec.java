package org.parley.presence.xmpp;

import java.util.Locale;
import org.parley.presence.MappingException;
import org.parley.presence.MappingException.Reason;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatState;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.MessageKind;
import org.parley.presence.model.Receipt;
import org.parley.presence.model.StanzaKind;
import org.parley.presence.xml.SafeXmlParser;
import org.parley.presence.xml.XmlReader;
import org.parley.presence.xml.XmlWriter;

/**
 * {@code <message/>} stanzas as XML text ⇄ model events: the one message codec, which the xmpp module reads and
 * writes live messages with. A message is an IM ({@link ChatMessage}: body, XEP-0071 XHTML-IM, thread, XEP-0184
 * receipt request, XEP-0085 state), a chat state alone ({@link ChatStateChange}), a receipt ({@link Receipt}) or an
 * error ({@link GatewayError}). Groupchat is not translated: the caller answers it before asking this codec.
 */
public final class XmppMessageCodec {

    public static final String CHATSTATES = "http://jabber.org/protocol/chatstates";
    public static final String RECEIPTS = "urn:xmpp:receipts";

    private final SafeXmlParser parser;
    private final AddressMapper addresses;

    public XmppMessageCodec(SafeXmlParser parser, AddressMapper addresses) {
        this.parser = parser;
        this.addresses = addresses;
    }

    /** What a message's children say; for each single-valued child the first counts. */
    private static final class MessageChildren {
        String body;
        String html;
        String thread;
        boolean receiptRequested;
        String receivedId;
        ChatState state;
        XmppStanzaError.Parsed error;

        void read(XmlReader reader, String stanzaNamespace) throws MappingException {
            String ns = reader.namespace();
            String name = reader.localName();
            if (ns.equals(stanzaNamespace)) {
                switch (name) {
                    case "body" -> body = body == null ? reader.elementText() : body;
                    case "thread" -> thread = thread == null ? reader.elementText() : thread;
                    case "error" -> error = error == null ? XmppStanzaError.read(reader) : error;
                    default -> {
                        // left for the reader to skip
                    }
                }
            } else if (ns.equals(RECEIPTS)) {
                if (name.equals("request")) {
                    receiptRequested = true;
                } else if (name.equals("received") && receivedId == null) {
                    receivedId = reader.attribute("id");
                }
            } else if (ns.equals(CHATSTATES) && state == null) {
                state = chatState(name);
            } else if (ns.equals(XhtmlBody.XHTML_IM) && name.equals("html") && html == null) {
                int depth = reader.depth();
                while (reader.nextChild(depth)) {
                    if (html == null && reader.is(XhtmlBody.XHTML, "body")) {
                        html = XhtmlBody.read(reader);
                    }
                }
            }
        }
    }

    /**
     * @return a {@link ChatMessage}, {@link ChatStateChange}, {@link Receipt} or {@link GatewayError}
     * @throws MappingException MALFORMED_ADDRESS for a missing or malformed address, MALFORMED_BODY for a message
     *                          without body, state or receipt, or of an unknown type
     */
    public GatewayEvent decode(String stanza) throws MappingException {
        return parser.read(stanza, this::readStanza);
    }

    /**
     * A stanza as it stood in its stream, which declared the default namespace ({@code jabber:server},
     * {@code jabber:component:accept}) the stanza inherits.
     */
    public GatewayEvent decode(String stanza, String streamNamespace) throws MappingException {
        return parser.read(stanza, streamNamespace, this::readStanza);
    }

    private GatewayEvent readStanza(XmlReader reader) throws MappingException {
        reader.next();
        String ns = reader.namespace();
        if (!reader.localName().equals("message") || !StanzaNamespaces.isStanzaNamespace(ns)) {
            throw new MappingException(Reason.MALFORMED_BODY, "expected a <message/> stanza, got <" + reader.localName() + ">");
        }
        String fromText = reader.attribute("from");
        String toText = reader.attribute("to");
        String type = reader.attribute("type");
        String id = reader.attribute("id");
        MessageChildren c = new MessageChildren();
        while (reader.nextChild(1)) {
            c.read(reader, ns);
        }
        if (fromText == null || toText == null) {
            throw new MappingException(Reason.MALFORMED_ADDRESS, "stanza without an address");
        }
        Address from = addresses.parseJid(fromText);
        Address to = addresses.parseJid(toText);
        if ("error".equals(type)) {
            XmppStanzaError.Parsed e = c.error != null ? c.error : XmppStanzaError.absent();
            return new GatewayError(from, to, e.condition(), e.type(), 0, e.text(), null, id, StanzaKind.MESSAGE);
        }
        MessageKind kind = kind(type);
        if (c.receivedId != null) {
            return new Receipt(from, to, c.receivedId);
        }
        if (c.body == null) {
            if (c.state != null) {
                return new ChatStateChange(from, to, c.state, c.thread);
            }
            throw new MappingException(Reason.MALFORMED_BODY, "a message needs a body, a chat state or a receipt");
        }
        return new ChatMessage(from, to, id, kind, c.body, c.html, c.thread, c.receiptRequested, c.state);
    }

    private static MessageKind kind(String type) throws MappingException {
        if (type == null || type.equals("normal")) {
            return MessageKind.NORMAL;
        }
        return switch (type) {
            case "chat" -> MessageKind.CHAT;
            case "headline" -> MessageKind.HEADLINE;
            default -> throw new MappingException(Reason.MALFORMED_BODY, "unknown message type '" + type + "'");
        };
    }

    private static ChatState chatState(String name) {
        for (ChatState s : ChatState.values()) {
            if (s.name().toLowerCase(Locale.ROOT).equals(name)) {
                return s;
            }
        }
        return null;
    }

    public String encode(ChatMessage m) {
        XmlWriter out = start(m.from(), m.to(), switch (m.kind()) {
            case CHAT -> "chat";
            case HEADLINE -> "headline";
            case NORMAL -> "normal";
        }, m.id());
        out.element("body", m.body());
        if (m.htmlBody() != null) {
            XhtmlBody.write(parser, m.htmlBody(), out);
        }
        if (m.conversationId() != null) {
            out.element("thread", m.conversationId());
        }
        if (m.receiptRequested()) {
            out.start("request").fixedAttribute("xmlns", RECEIPTS).end("request");
        }
        if (m.chatState() != null) {
            state(m.chatState(), out);
        }
        return out.end("message").toString();
    }

    public String encode(ChatStateChange c) {
        XmlWriter out = start(c.from(), c.to(), "chat", null);
        state(c.state(), out);
        if (c.conversationId() != null) {
            out.element("thread", c.conversationId());
        }
        return out.end("message").toString();
    }

    public String encode(Receipt r) {
        XmlWriter out = start(r.from(), r.to(), null, null);
        out.start("received").fixedAttribute("xmlns", RECEIPTS).attribute("id", r.messageId()).end("received");
        return out.end("message").toString();
    }

    /** A message error carrying the reason (the ms-diagnostics reason when the front end gave one). */
    public String encode(GatewayError e) {
        XmlWriter out = start(e.from(), e.to(), "error", e.correlationId() == null || e.correlationId().isEmpty() ? null : e.correlationId());
        XmppStanzaError.write(e.condition(), e.type(), e.diagnostics() != null ? e.diagnostics().describe() : e.text(), out);
        return out.end("message").toString();
    }

    private XmlWriter start(Address from, Address to, String type, String id) {
        return new XmlWriter(256).start("message")
                .attribute("from", addresses.formatJid(from))
                .attribute("to", addresses.formatJid(to))
                .attribute("type", type)
                .attribute("id", id);
    }

    private static void state(ChatState state, XmlWriter out) {
        String name = state.name().toLowerCase(Locale.ROOT);
        out.start(name).fixedAttribute("xmlns", CHATSTATES).end(name);
    }
}
