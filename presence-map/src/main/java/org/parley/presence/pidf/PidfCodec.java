package org.parley.presence.pidf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.presence.MappingException;
import org.parley.presence.MappingException.Reason;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Activity;
import org.parley.presence.model.Address;
import org.parley.presence.model.Availability;
import org.parley.presence.model.LocalizedText;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.xml.SafeXmlParser;
import org.parley.presence.xml.XmlReader;
import org.parley.presence.xml.XmlWriter;

/**
 * {@code application/pidf+xml} (RFC 3863) with RPID (RFC 4480) ⇄ {@link PresenceUpdate}.
 * Decoding yields one update per {@code <tuple>} (the tuple id becomes the instance);
 * person-level activities, user-input and notes apply to every tuple. Unknown elements and
 * namespaces are ignored (RFC 3863 §4.1.7 "must-ignore").
 */
public final class PidfCodec {

    public static final String CONTENT_TYPE = "application/pidf+xml";
    public static final String PIDF_NS = "urn:ietf:params:xml:ns:pidf";
    public static final String DM_NS = "urn:ietf:params:xml:ns:pidf:data-model";
    public static final String RPID_NS = "urn:ietf:params:xml:ns:pidf:rpid";

    private final SafeXmlParser parser;
    private final AddressMapper addresses;

    public PidfCodec(SafeXmlParser parser, AddressMapper addresses) {
        this.parser = parser;
        this.addresses = addresses;
    }

    /**
     * Decodes a PIDF body; the presentity comes from the {@code entity} attribute. The document is
     * read in one pass without building a tree: person data may follow the tuples it applies to, so
     * tuples are kept as read and become updates at the end.
     */
    public List<PresenceUpdate> decode(String body) throws MappingException {
        return parser.read(body, this::readDocument);
    }

    private List<PresenceUpdate> readDocument(XmlReader reader) throws MappingException {
        reader.next();
        if (!reader.is(PIDF_NS, "presence")) {
            throw new MappingException(Reason.UNSUPPORTED_BODY,
                    "not a PIDF document: root <" + reader.localName() + "> in '" + reader.namespace() + "'");
        }
        String entity = reader.attribute("entity");
        if (entity == null) {
            throw new MappingException(Reason.MALFORMED_BODY, "PIDF document without 'entity'");
        }
        Address presentity = parseEntity(entity);

        Activities person = new Activities();
        Map<String, String> personNotes = new LinkedHashMap<>();
        Map<String, String> documentNotes = new LinkedHashMap<>();
        List<TupleReading> tuples = new ArrayList<>(2);
        while (reader.nextChild(1)) {
            if (reader.is(PIDF_NS, "tuple")) {
                tuples.add(readTuple(reader));
            } else if (reader.is(DM_NS, "person")) {
                int depth = reader.depth();
                while (reader.nextChild(depth)) {
                    if (!person.read(reader) && reader.is(DM_NS, "note")) {
                        collectNote(reader, personNotes);
                    }
                }
            } else if (reader.is(PIDF_NS, "note")) {
                collectNote(reader, documentNotes);
            }
        }

        List<PresenceUpdate> updates = new ArrayList<>(Math.max(1, tuples.size()));
        if (tuples.isEmpty()) {
            // RFC 3863: no tuple, nothing is known to be reachable.
            updates.add(new PresenceUpdate(presentity, null, Availability.OFFLINE, 0,
                    texts(personNotes, documentNotes, Map.of()), activity(person.tokens), null));
            return updates;
        }
        for (TupleReading tuple : tuples) {
            List<String> activities = new ArrayList<>(person.tokens.size() + tuple.activities.tokens.size());
            activities.addAll(person.tokens);
            activities.addAll(tuple.activities.tokens);
            boolean idle = person.idle | tuple.activities.idle;
            updates.add(new PresenceUpdate(presentity.withInstance(tuple.id), null,
                    RpidActivities.decode(tuple.open, activities, idle), 0,
                    texts(personNotes, tuple.notes, documentNotes), activity(activities), null));
        }
        return updates;
    }

    /** Encodes one presence (typically already aggregated) as a one-tuple PIDF document. */
    public String encode(PresenceUpdate update) {
        Address sipFrom = update.from();
        String entity = sipFrom.scheme() == Address.Scheme.SIP
                ? addresses.formatSipUri(sipFrom.bare())
                : "sip:" + sipFrom.userAtDomain();
        Availability a = update.availability();
        XmlWriter out = new XmlWriter().declaration();
        out.start("presence")
                .fixedAttribute("xmlns", PIDF_NS)
                .fixedAttribute("xmlns:dm", DM_NS)
                .fixedAttribute("xmlns:rpid", RPID_NS)
                .attribute("entity", entity);
        out.start("tuple").attribute("id", tupleId(sipFrom.instance()));
        out.start("status").element("basic", RpidActivities.isOpen(a) ? "open" : "closed").end("status");
        for (LocalizedText t : update.statusTexts()) {
            out.start("note").attribute("xml:lang", t.hasLang() ? t.lang() : null).text(t.text()).end("note");
        }
        out.end("tuple");

        String token = RpidActivities.genericToken(a);
        if (update.activity() != null && RpidActivities.sameClass(update.activity().token(), a)) {
            token = update.activity().token();
        }
        boolean idle = RpidActivities.isIdle(a);
        if (RpidActivities.isOpen(a) && (token != null || idle)) {
            out.start("dm:person").fixedAttribute("id", "p1");
            if (token != null) {
                out.start("rpid:activities").start("rpid:" + token).end("rpid:" + token).end("rpid:activities");
            }
            if (idle) {
                out.element("rpid:user-input", "idle");
            }
            out.end("dm:person");
        }
        return out.end("presence").toString();
    }

    private Address parseEntity(String entity) throws MappingException {
        String e = entity.strip();
        if (e.regionMatches(true, 0, "pres:", 0, 5)) {
            e = "sip:" + e.substring(5);
        }
        return addresses.parseSipUri(e).bare();
    }

    /** From a tuple's START to its END: id, the first status's first basic, activities and notes. */
    private static TupleReading readTuple(XmlReader reader) throws MappingException {
        TupleReading tuple = new TupleReading(reader.attribute("id"));
        boolean statusSeen = false;
        int depth = reader.depth();
        while (reader.nextChild(depth)) {
            if (tuple.activities.read(reader)) {
                continue;
            }
            if (!statusSeen && reader.is(PIDF_NS, "status")) {
                statusSeen = true;
                String basic = reader.firstChildText(PIDF_NS, "basic");
                tuple.open = basic != null && basic.strip().equals("open");
            } else if (reader.is(PIDF_NS, "note")) {
                collectNote(reader, tuple.notes);
            }
        }
        return tuple;
    }

    /** From a note's START to its END: the first non-empty text per language is kept. */
    private static void collectNote(XmlReader reader, Map<String, String> byLang) throws MappingException {
        String lang = reader.lang();
        String text = reader.elementText().strip();
        if (!text.isEmpty()) {
            byLang.putIfAbsent(lang, text);
        }
    }

    /** RPID activity tokens (in document order) and user-input idleness read under one element. */
    private static final class Activities {
        final List<String> tokens = new ArrayList<>(2);
        boolean idle;

        /** Reads the child at the reader's START if it is {@code <rpid:activities>} or {@code <rpid:user-input>}. */
        boolean read(XmlReader reader) throws MappingException {
            if (reader.is(RPID_NS, "activities")) {
                int depth = reader.depth();
                while (reader.nextChild(depth)) {
                    if (reader.namespace().equals(RPID_NS)) {
                        String token = reader.localName();
                        if (!token.equals("note") && !token.equals("other")) {
                            tokens.add(token);
                        }
                    }
                }
                return true;
            }
            if (reader.is(RPID_NS, "user-input")) {
                idle |= "idle".equals(reader.elementText().strip());
                return true;
            }
            return false;
        }
    }

    /** One tuple as read; it becomes an update once the person data of the whole document is known. */
    private static final class TupleReading {
        final String id;
        final Activities activities = new Activities();
        final Map<String, String> notes = new LinkedHashMap<>();
        boolean open;

        TupleReading(String id) {
            this.id = id;
        }
    }

    /** One text per language: the first source that has a language wins (person, tuple, document). */
    @SafeVarargs
    private static List<LocalizedText> texts(Map<String, String>... sources) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (Map<String, String> source : sources) {
            source.forEach(merged::putIfAbsent);
        }
        List<LocalizedText> out = new ArrayList<>(merged.size());
        merged.forEach((lang, text) -> out.add(new LocalizedText(lang, text)));
        return out;
    }

    private static Activity activity(List<String> tokens) {
        for (String t : tokens) {
            if (!t.equals("unknown")) {
                return Activity.of(t);
            }
        }
        return null;
    }

    /** Tuple ids are XML IDs (NCName): keep safe characters, prefix so it starts with a letter. */
    private static String tupleId(String instance) {
        if (instance == null) {
            return "parley";
        }
        StringBuilder b = new StringBuilder("t-");
        for (int i = 0; i < instance.length() && b.length() < 64; i++) {
            char c = instance.charAt(i);
            b.append(Character.isLetterOrDigit(c) && c < 0x80 || c == '-' || c == '.' || c == '_' ? c : '_');
        }
        return b.toString();
    }
}
