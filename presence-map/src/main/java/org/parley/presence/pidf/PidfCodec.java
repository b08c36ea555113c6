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
import org.parley.presence.xml.XmlElement;
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

    /** Decodes a PIDF body; the presentity comes from the {@code entity} attribute. */
    public List<PresenceUpdate> decode(String body) throws MappingException {
        XmlElement presence = parser.parse(body);
        if (!presence.is(PIDF_NS, "presence")) {
            throw new MappingException(Reason.UNSUPPORTED_BODY,
                    "not a PIDF document: root <" + presence.name() + "> in '" + presence.namespace() + "'");
        }
        String entity = presence.attribute("entity");
        if (entity == null) {
            throw new MappingException(Reason.MALFORMED_BODY, "PIDF document without 'entity'");
        }
        Address presentity = parseEntity(entity);

        List<String> personActivities = new ArrayList<>();
        boolean personIdle = false;
        Map<String, String> personNotes = new LinkedHashMap<>();
        for (XmlElement person : presence.children(DM_NS, "person")) {
            personIdle |= readActivities(person, personActivities);
            collectNotes(person.children(DM_NS, "note"), personNotes);
        }
        Map<String, String> documentNotes = new LinkedHashMap<>();
        collectNotes(presence.children(PIDF_NS, "note"), documentNotes);

        List<XmlElement> tuples = presence.children(PIDF_NS, "tuple");
        List<PresenceUpdate> updates = new ArrayList<>(Math.max(1, tuples.size()));
        if (tuples.isEmpty()) {
            // RFC 3863: no tuple, nothing is known to be reachable.
            updates.add(new PresenceUpdate(presentity, null, Availability.OFFLINE, 0,
                    texts(personNotes, documentNotes, Map.of()), activity(personActivities), null));
            return updates;
        }
        for (XmlElement tuple : tuples) {
            List<String> activities = new ArrayList<>(personActivities);
            boolean idle = personIdle | readActivities(tuple, activities);
            XmlElement status = tuple.child(PIDF_NS, "status").orElse(null);
            String basic = status == null ? null : status.childText(PIDF_NS, "basic");
            boolean open = "open".equals(basic);
            Map<String, String> tupleNotes = new LinkedHashMap<>();
            collectNotes(tuple.children(PIDF_NS, "note"), tupleNotes);
            String id = tuple.attribute("id");
            updates.add(new PresenceUpdate(presentity.withInstance(id), null,
                    RpidActivities.decode(open, activities, idle), 0,
                    texts(personNotes, tupleNotes, documentNotes), activity(activities), null));
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
                .attribute("xmlns", PIDF_NS)
                .attribute("xmlns:dm", DM_NS)
                .attribute("xmlns:rpid", RPID_NS)
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
            out.start("dm:person").attribute("id", "p1");
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

    /** Reads {@code <rpid:activities>} and {@code <rpid:user-input>} under an element; returns idle. */
    private static boolean readActivities(XmlElement parent, List<String> into) {
        for (XmlElement activities : parent.children(RPID_NS, "activities")) {
            for (XmlElement a : activities.children()) {
                if (a.namespace().equals(RPID_NS) && !a.name().equals("note") && !a.name().equals("other")) {
                    into.add(a.name());
                }
            }
        }
        for (XmlElement ui : parent.children(RPID_NS, "user-input")) {
            if ("idle".equals(ui.text().strip())) {
                return true;
            }
        }
        return false;
    }

    private static void collectNotes(List<XmlElement> notes, Map<String, String> byLang) {
        for (XmlElement n : notes) {
            String text = n.text().strip();
            if (!text.isEmpty()) {
                byLang.putIfAbsent(n.lang(), text);
            }
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
