package org.parley.presence.xmpp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.presence.MappingException;
import org.parley.presence.MappingException.Reason;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.lync.LyncActivities;
import org.parley.presence.lync.LyncAvailability;
import org.parley.presence.model.Activity;
import org.parley.presence.model.Address;
import org.parley.presence.model.Availability;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.LocalizedText;
import org.parley.presence.model.LyncState;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.model.SubscriptionAction;
import org.parley.presence.model.SubscriptionEvent;
import org.parley.presence.xml.SafeXmlParser;
import org.parley.presence.xml.XmlReader;
import org.parley.presence.xml.XmlWriter;

/**
 * {@code <presence/>} stanzas as XML text ⇄ model events: the one presence codec. The xmpp module
 * reads and writes live presence with it, and the golden files, benchmarks, the admin dry run and the
 * offline {@code parley translate} run the same code.
 */
public final class XmppPresenceCodec {

    /** Usual sizes of a rendered presence (show, a status or two, the lync-state extension) and of a subscription. */
    private static final int PRESENCE_CHARS = 384;
    private static final int SUBSCRIPTION_CHARS = 160;

    private final SafeXmlParser parser;
    private final AddressMapper addresses;

    public XmppPresenceCodec(SafeXmlParser parser, AddressMapper addresses) {
        this.parser = parser;
        this.addresses = addresses;
    }

    /**
     * Reads a {@code <presence/>} stanza in one pass (no tree): the stanza's own attributes, then
     * the children that carry meaning, then the same checks in the same order as always.
     *
     * @return a {@link PresenceUpdate}, a {@link SubscriptionEvent} or a {@link GatewayError}
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
        if (!reader.localName().equals("presence") || !StanzaNamespaces.isStanzaNamespace(ns)) {
            throw new MappingException(Reason.MALFORMED_BODY,
                    "expected a <presence/> stanza, got <" + reader.localName() + "> in namespace '" + ns + "'");
        }
        String fromText = reader.attribute("from");
        String toText = reader.attribute("to");
        String type = reader.attribute("type");
        String id = reader.attribute("id");
        PresenceChildren children = new PresenceChildren();
        while (reader.nextChild(1)) {
            children.read(reader, ns);
        }

        if (fromText == null) {
            throw new MappingException(Reason.MALFORMED_BODY, "presence without 'from'");
        }
        Address from = addresses.parseJid(fromText);
        Address to = toText == null ? null : addresses.parseJid(toText);
        Optional<SubscriptionAction> action = XmppSubscriptionType.decode(type);
        if (action.isPresent()) {
            if (to == null) {
                throw new MappingException(Reason.MALFORMED_BODY, "presence type '" + type + "' without 'to'");
            }
            return new SubscriptionEvent(from, to, action.get());
        }
        if ("error".equals(type)) {
            if (to == null) {
                throw new MappingException(Reason.MALFORMED_BODY, "presence error without 'to'");
            }
            XmppStanzaError.Parsed e = children.error != null ? children.error : XmppStanzaError.absent();
            return new GatewayError(from, to, e.condition(), e.type(), 0, e.text(), null, id, org.parley.presence.model.StanzaKind.PRESENCE);
        }
        if (type != null && !type.equals("unavailable")) {
            throw new MappingException(Reason.MALFORMED_BODY, "unknown presence type '" + type + "'");
        }
        LyncState lync = children.lyncState;
        // Lossless path: a Parley-aware sender's exact Microsoft state wins over <show/>.
        Availability availability = lync != null
                ? LyncAvailability.decode(lync.availability())
                : XmppShow.decode(children.show, type != null);
        if (type != null) {
            availability = Availability.OFFLINE;
        }
        return new PresenceUpdate(from, to, availability, priority(children.priority), children.statusTexts,
                activityOf(lync), lync);
    }

    /** What the children of one presence say; for each single-valued child the first one counts. */
    private static final class PresenceChildren {
        String show;
        String priority;
        final List<LocalizedText> statusTexts = new ArrayList<>(1);
        boolean lyncStateSeen;
        LyncState lyncState;
        XmppStanzaError.Parsed error;

        /** Reads the child at the reader's START; children in other namespaces are left for the reader to skip. */
        void read(XmlReader reader, String stanzaNamespace) throws MappingException {
            if (reader.namespace().equals(stanzaNamespace)) {
                String name = reader.localName();
                switch (name) {
                    case "status" -> statusTexts.add(new LocalizedText(reader.lang(), reader.elementText()));
                    case "show" -> show = show == null ? reader.elementText().strip() : show;
                    case "priority" -> priority = priority == null ? reader.elementText().strip() : priority;
                    default -> {
                        // an <error/> in the stanza namespace is read below, like one in any namespace
                    }
                }
            }
            if (reader.event() != XmlReader.Event.START) {
                return; // read to its end above
            }
            if (!lyncStateSeen && reader.is(LyncStateExtension.NAMESPACE, LyncStateExtension.ELEMENT)) {
                lyncStateSeen = true;
                lyncState = LyncStateExtension.read(reader);
            } else if (error == null && reader.localName().equals("error")) {
                error = XmppStanzaError.read(reader);
            }
        }
    }

    /**
     * Renders a presence update. The availability comes from the lossless {@link LyncState} when
     * present (so 6500 renders {@code dnd} even if a caller passed another availability), else from
     * the lossy table; an activity without status text becomes the status.
     */
    public String encode(PresenceUpdate update) {
        Availability availability = update.lyncState() != null
                ? LyncAvailability.decode(update.lyncState().availability()) : update.availability();
        XmlWriter out = new XmlWriter(PRESENCE_CHARS);
        out.start("presence")
                .attribute("from", addresses.formatJid(update.from()))
                .attribute("to", update.to() == null ? null : addresses.formatJid(update.to()))
                .attribute("type", XmppShow.encodesAsUnavailable(availability) ? "unavailable" : null);
        String show = XmppShow.encodeShowElement(availability);
        if (show != null) {
            out.fixedMarkup(show);
        }
        List<LocalizedText> texts = update.statusTexts();
        if (texts.isEmpty() && update.activity() != null) {
            Activity a = update.activity();
            texts = List.of(LocalizedText.of(a.text() != null ? a.text() : ActivityLabels.label(a.token())));
        }
        for (LocalizedText t : texts) {
            out.start("status").attribute("xml:lang", t.hasLang() ? t.lang() : null).text(t.text()).end("status");
        }
        if (update.priority() != 0 && !XmppShow.encodesAsUnavailable(availability)) {
            out.element("priority", Integer.toString(update.priority()));
        }
        if (update.lyncState() != null) {
            LyncStateExtension.write(update.lyncState(), out);
        }
        return out.end("presence").toString();
    }

    public String encode(SubscriptionEvent event) {
        return new XmlWriter(SUBSCRIPTION_CHARS).start("presence")
                .attribute("from", addresses.formatJid(event.from()))
                .attribute("to", addresses.formatJid(event.to()))
                .attribute("type", XmppSubscriptionType.encode(event.action()))
                .end("presence").toString();
    }

    public String encode(GatewayError error) {
        XmlWriter out = new XmlWriter().start("presence")
                .attribute("from", addresses.formatJid(error.from()))
                .attribute("to", addresses.formatJid(error.to()))
                .attribute("type", "error")
                .attribute("id", error.correlationId());
        String text = error.text();
        if (error.diagnostics() != null) {
            text = error.diagnostics().describe();
        }
        XmppStanzaError.write(error.condition(), error.type(), text, out);
        return out.end("presence").toString();
    }

    private static int priority(String text) throws MappingException {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        try {
            int p = Integer.parseInt(text);
            if (p < -128 || p > 127) {
                throw new MappingException(Reason.MALFORMED_BODY, "priority " + p + " outside -128..127");
            }
            return p;
        } catch (NumberFormatException e) {
            throw new MappingException(Reason.MALFORMED_BODY, "priority '" + text + "' is not an integer");
        }
    }

    private static Activity activityOf(LyncState state) {
        if (state == null || state.activityToken() == null) {
            return null;
        }
        String rpid = LyncActivities.toRpid(state.activityToken());
        return rpid == null ? null : Activity.of(rpid);
    }
}
