package org.parley.presence.lync;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.parley.presence.MappingException;
import org.parley.presence.MappingException.Reason;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.LocalizedText;
import org.parley.presence.model.LyncState;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.xml.SafeXmlParser;
import org.parley.presence.xml.XmlElement;
import org.parley.presence.xml.XmlWriter;

/**
 * Microsoft's {@code application/msrtc-event-categories+xml} ([MS-PRES]) ⇄ presence.
 *
 * <p>Decoding picks one state out of the several {@code state} category instances a document
 * may hold, the way a Lync client shows a contact ({@link StateAggregation}), and reads the
 * personal note. Encoding renders what a Lync watcher needs: an {@code aggregateState} state
 * category and a {@code note} category.
 */
public final class CategoriesCodec {

    public static final String CONTENT_TYPE = "application/msrtc-event-categories+xml";
    public static final String CATEGORIES_NS = "http://schemas.microsoft.com/2006/09/sip/categories";
    public static final String STATE_NS = "http://schemas.microsoft.com/2006/09/sip/state";
    public static final String NOTE_NS = "http://schemas.microsoft.com/2006/09/sip/note";
    public static final String XSI_NS = "http://www.w3.org/2001/XMLSchema-instance";


    private final SafeXmlParser parser;
    private final AddressMapper addresses;
    private final Clock clock;

    public CategoriesCodec(SafeXmlParser parser, AddressMapper addresses, Clock clock) {
        this.parser = parser;
        this.addresses = addresses;
        this.clock = clock;
    }

    public CategoriesSnapshot decodeSnapshot(String body) throws MappingException {
        XmlElement root = parser.parse(body);
        if (!root.is(CATEGORIES_NS, "categories")) {
            throw new MappingException(Reason.UNSUPPORTED_BODY,
                    "not an msrtc categories document: root <" + root.name() + "> in '" + root.namespace() + "'");
        }
        String uri = root.attribute("uri");
        if (uri == null) {
            throw new MappingException(Reason.MALFORMED_BODY, "categories without 'uri'");
        }
        Address presentity = addresses.parseSipUri(uri).bare();

        List<StateAggregation.StateInstance> states = new ArrayList<>();
        List<LocalizedText> notes = null;
        for (XmlElement category : root.children(CATEGORIES_NS, "category")) {
            String name = category.attribute("name");
            if ("state".equals(name)) {
                StateAggregation.StateInstance s = readState(category);
                if (s != null) {
                    states.add(s);
                }
            } else if ("note".equals(name)) {
                List<LocalizedText> n = readNote(category);
                if (notes == null || (notes.isEmpty() && !n.isEmpty())) {
                    notes = n;
                }
            }
        }
        StateAggregation.StateInstance chosen = StateAggregation.choose(states);
        LyncState state = chosen == null ? null : new LyncState(chosen.availability(), chosen.activityToken());
        return new CategoriesSnapshot(presentity, state, chosen == null ? null : chosen.activityText(), notes);
    }

    /** Decodes a complete document (no earlier state to merge with). */
    public PresenceUpdate decode(String body) throws MappingException {
        return decodeSnapshot(body).applyTo(null);
    }

    /**
     * Renders the presence for a Lync watcher. The availability number comes from the exact
     * {@link LyncState} when present (lossless path), else from {@link LyncAvailability#encode}.
     */
    public String encode(PresenceUpdate update) {
        Address from = update.from();
        String uri = from.scheme() == Address.Scheme.SIP ? addresses.formatSipUri(from.bare()) : "sip:" + from.userAtDomain();
        int number;
        String token;
        if (update.lyncState() != null) {
            number = update.lyncState().availability();
            token = update.lyncState().activityToken();
        } else {
            number = LyncAvailability.encode(update.availability());
            token = update.activity() == null ? null : LyncActivities.fromRpid(update.activity().token());
        }
        String publishTime = publishTime(LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));

        XmlWriter out = new XmlWriter();
        out.start("categories").attribute("xmlns", CATEGORIES_NS).attribute("uri", uri);
        out.start("category").attribute("name", "state").attribute("instance", "0")
                .attribute("publishTime", publishTime).attribute("container", "100").attribute("version", "1")
                .attribute("expireType", "static");
        out.start("state").attribute("xmlns", STATE_NS).attribute("xmlns:xsi", XSI_NS)
                .attribute("manual", "false").attribute("xsi:type", "aggregateState");
        out.element("availability", Integer.toString(number));
        if (token != null) {
            out.start("activity").attribute("token", token).end("activity");
        }
        out.end("state").end("category");

        out.start("category").attribute("name", "note").attribute("instance", "0")
                .attribute("publishTime", publishTime).attribute("container", "100").attribute("version", "1")
                .attribute("expireType", "static");
        out.start("note").attribute("xmlns", NOTE_NS);
        for (LocalizedText t : update.statusTexts()) {
            out.start("body").attribute("type", "personal").attribute("uri", "")
                    .attribute("xml:lang", t.hasLang() ? t.lang() : null).text(t.text()).end("body");
        }
        out.end("note").end("category");
        return out.end("categories").toString();
    }

    private static StateAggregation.StateInstance readState(XmlElement category) {
        XmlElement state = category.child(STATE_NS, "state").orElse(null);
        if (state == null) {
            return null;
        }
        String number = state.childText(STATE_NS, "availability");
        if (number == null || number.isEmpty() || number.length() > 10) {
            return null;
        }
        int availability;
        try {
            availability = Integer.parseInt(number);
        } catch (NumberFormatException e) {
            return null;
        }
        if (availability < 0) {
            return null;
        }
        XmlElement activity = state.child(STATE_NS, "activity").orElse(null);
        String token = activity == null ? null : activity.attribute("token");
        String text = null;
        if (activity != null) {
            XmlElement custom = activity.child(STATE_NS, "custom").orElse(null);
            if (custom != null && !custom.text().isBlank()) {
                text = custom.text().strip();
            }
        }
        String type = stripPrefix(state.attribute("type"));
        return new StateAggregation.StateInstance(type, "true".equals(state.attribute("manual")), availability, token, text,
                category.attribute("publishTime"), category.attribute("instance"));
    }

    private static List<LocalizedText> readNote(XmlElement category) {
        List<LocalizedText> texts = new ArrayList<>(1);
        XmlElement note = category.child(NOTE_NS, "note").orElse(null);
        if (note == null) {
            return texts;
        }
        // A personal note is what the user typed; an out-of-office note only shows when there is none.
        for (String wanted : new String[] {"personal", "OOF"}) {
            for (XmlElement body : note.children(NOTE_NS, "body")) {
                String type = body.attribute("type");
                String text = body.text().strip();
                if (wanted.equalsIgnoreCase(type == null ? "personal" : type) && !text.isEmpty()) {
                    texts.add(new LocalizedText(body.lang(), text));
                }
            }
            if (!texts.isEmpty()) {
                break;
            }
        }
        return texts;
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss.SSS} in UTC, as Lync writes publishTime. Written by hand: a
     * DateTimeFormatter costs about a microsecond per call, a fifth of the whole translation budget.
     */
    static String publishTime(LocalDateTime t) {
        char[] c = new char[23];
        digits(c, 0, t.getYear(), 4);
        c[4] = '-';
        digits(c, 5, t.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, t.getDayOfMonth(), 2);
        c[10] = 'T';
        digits(c, 11, t.getHour(), 2);
        c[13] = ':';
        digits(c, 14, t.getMinute(), 2);
        c[16] = ':';
        digits(c, 17, t.getSecond(), 2);
        c[19] = '.';
        digits(c, 20, t.getNano() / 1_000_000, 3);
        return new String(c);
    }

    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static String stripPrefix(String qname) {
        if (qname == null) {
            return "";
        }
        int colon = qname.indexOf(':');
        return colon < 0 ? qname : qname.substring(colon + 1);
    }
}
