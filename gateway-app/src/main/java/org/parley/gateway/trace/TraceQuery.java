package org.parley.gateway.trace;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A search of the translation trace, as the admin API takes it; a value so that every member of a cluster can
 * run it on its own trace.
 *
 * @param user      matches from or to (substring, case-insensitive), or null
 * @param direction {@code xmpp→sip} / {@code sip→xmpp}, or null
 * @param id        one record, or null
 */
public record TraceQuery(int limit, String user, String direction, String kind, TranslationRecord.Outcome outcome, Instant since, Long id)
        implements Serializable {

    public static TraceQuery byId(long id) {
        return new TraceQuery(1, null, null, null, null, null, id);
    }

    public boolean matches(TranslationRecord r) {
        if (id != null && r.id() != id) {
            return false;
        }
        if (user != null && !mentions(r.from(), user) && !mentions(r.to(), user)) {
            return false;
        }
        return (direction == null || r.direction().equals(direction)) && (kind == null || r.kind().equals(kind))
                && (outcome == null || r.outcome() == outcome) && (since == null || !r.at().isBefore(since));
    }

    /** A refusal may know neither side (a stream refused before any stanza has no {@code to}). */
    private static boolean mentions(String address, String user) {
        return address != null && address.toLowerCase(Locale.ROOT).contains(user.toLowerCase(Locale.ROOT));
    }

    public List<TranslationRecord> run(TranslationTrace trace) {
        if (id != null) {
            // one record by its slot: a scan would decode every newer record first
            return trace.get(id).filter(this::matches).stream().limit(limit).toList();
        }
        return trace.find(this::matches, limit);
    }
}
