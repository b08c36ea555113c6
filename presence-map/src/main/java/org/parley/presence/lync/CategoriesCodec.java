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
import org.parley.presence.xml.XmlReader;
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

    /**
     * Reads the document with the pull reader, not a tree: the codec needs a handful of values and
     * building the tree was most of a translation's cost. Unread categories (contactCard,
     * calendarData, ...) are still read through and checked, never materialised.
     */
    public CategoriesSnapshot decodeSnapshot(String body) throws MappingException {
        return parser.read(body, this::readDocument);
    }

    private CategoriesSnapshot readDocument(XmlReader reader) throws MappingException {
        reader.next();
        if (!reader.is(CATEGORIES_NS, "categories")) {
            throw new MappingException(Reason.UNSUPPORTED_BODY, "not an msrtc categories document: root <"
                    + reader.localName() + "> in '" + reader.namespace() + "'");
        }
        String uri = reader.attribute("uri");
        if (uri == null) {
            throw new MappingException(Reason.MALFORMED_BODY, "categories without 'uri'");
        }
        Address presentity = addresses.parseSipUri(uri).bare();

        List<StateAggregation.StateInstance> states = new ArrayList<>(4);
        List<LocalizedText> notes = null;
        while (reader.nextChild(1)) {
            if (!reader.is(CATEGORIES_NS, "category")) {
                continue;
            }
            if (reader.attributeEquals("name", "state")) {
                StateAggregation.StateInstance s = readState(reader);
                if (s != null) {
                    states.add(s);
                }
            } else if (reader.attributeEquals("name", "note")) {
                List<LocalizedText> n = readNote(reader);
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
        out.start("categories").fixedAttribute("xmlns", CATEGORIES_NS).attribute("uri", uri);
        out.start("category").fixedAttribute("name", "state").fixedAttribute("instance", "0")
                .attribute("publishTime", publishTime).fixedAttribute("container", "100").fixedAttribute("version", "1")
                .fixedAttribute("expireType", "static");
        out.start("state").fixedAttribute("xmlns", STATE_NS).fixedAttribute("xmlns:xsi", XSI_NS)
                .fixedAttribute("manual", "false").fixedAttribute("xsi:type", "aggregateState");
        out.element("availability", Integer.toString(number));
        if (token != null) {
            out.start("activity").attribute("token", token).end("activity");
        }
        out.end("state").end("category");

        out.start("category").fixedAttribute("name", "note").fixedAttribute("instance", "0")
                .attribute("publishTime", publishTime).fixedAttribute("container", "100").fixedAttribute("version", "1")
                .fixedAttribute("expireType", "static");
        out.start("note").fixedAttribute("xmlns", NOTE_NS);
        for (LocalizedText t : update.statusTexts()) {
            out.start("body").fixedAttribute("type", "personal").fixedAttribute("uri", "")
                    .attribute("xml:lang", t.hasLang() ? t.lang() : null).text(t.text()).end("body");
        }
        out.end("note").end("category");
        return out.end("categories").toString();
    }

    /** From a state category's START to its END; the first {@code state} element counts, as a Lync client reads it. */
    private static StateAggregation.StateInstance readState(XmlReader reader) throws MappingException {
        String publishTime = reader.attribute("publishTime");
        String instance = reader.attribute("instance");
        StateElement state = null;
        int depth = reader.depth();
        while (reader.nextChild(depth)) {
            if (state == null && reader.is(STATE_NS, "state")) {
                state = readStateElement(reader);
            }
        }
        if (state == null || state.availability == null) {
            return null;
        }
        String number = state.availability;
        if (number.isEmpty() || number.length() > 10) {
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
        return new StateAggregation.StateInstance(stripPrefix(state.type), state.manual, availability,
                state.token, state.customText, publishTime, instance);
    }

    /** What one {@code state} element says; the first {@code availability} and {@code activity} children count. */
    private static final class StateElement {
        String type;
        boolean manual;
        String availability;
        boolean activitySeen;
        String token;
        String customText;
    }

    private static StateElement readStateElement(XmlReader reader) throws MappingException {
        StateElement state = new StateElement();
        state.type = reader.attribute("type");
        state.manual = reader.attributeEquals("manual", "true");
        int depth = reader.depth();
        while (reader.nextChild(depth)) {
            if (state.availability == null && reader.is(STATE_NS, "availability")) {
                state.availability = reader.elementText().strip();
            } else if (!state.activitySeen && reader.is(STATE_NS, "activity")) {
                state.activitySeen = true;
                state.token = reader.attribute("token");
                String custom = reader.firstChildText(STATE_NS, "custom");
                state.customText = custom == null || custom.isBlank() ? null : custom.strip();
            }
        }
        return state;
    }

    /** From a note category's START to its END: the texts of the first {@code note} element. */
    private static List<LocalizedText> readNote(XmlReader reader) throws MappingException {
        List<NoteBody> bodies = null;
        boolean noteSeen = false;
        int depth = reader.depth();
        while (reader.nextChild(depth)) {
            if (!noteSeen && reader.is(NOTE_NS, "note")) {
                noteSeen = true;
                bodies = readNoteBodies(reader);
            }
        }
        if (bodies == null) {
            return List.of();
        }
        // A personal note is what the user typed; an out-of-office note only shows when there is none.
        // Immutable results (the snapshot keeps them as they are); a list to collect into only for a second text.
        LocalizedText first = null;
        List<LocalizedText> more = null;
        for (String wanted : NOTE_TYPES_BY_PREFERENCE) {
            for (NoteBody body : bodies) {
                if (wanted.equalsIgnoreCase(body.type() == null ? "personal" : body.type()) && !body.text().isEmpty()) {
                    LocalizedText text = new LocalizedText(body.lang(), body.text());
                    if (first == null) {
                        first = text;
                    } else {
                        if (more == null) {
                            more = new ArrayList<>(4);
                            more.add(first);
                        }
                        more.add(text);
                    }
                }
            }
            if (first != null) {
                break;
            }
        }
        return first == null ? List.of() : more == null ? List.of(first) : List.copyOf(more);
    }

    /** Never written: read in order by {@link #readNote}. */
    private static final String[] NOTE_TYPES_BY_PREFERENCE = {"personal", "OOF"};

    private record NoteBody(String type, String lang, String text) {
    }

    private static List<NoteBody> readNoteBodies(XmlReader reader) throws MappingException {
        List<NoteBody> bodies = new ArrayList<>(2);
        int depth = reader.depth();
        while (reader.nextChild(depth)) {
            if (reader.is(NOTE_NS, "body")) {
                String type = reader.attribute("type");
                String lang = reader.lang();
                bodies.add(new NoteBody(type, lang, reader.elementText().strip()));
            }
        }
        return bodies;
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
