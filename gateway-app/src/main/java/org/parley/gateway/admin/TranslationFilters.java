package org.parley.gateway.admin;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.parley.gateway.trace.TraceQuery;
import org.parley.gateway.trace.TranslationRecord;
import org.springframework.util.MultiValueMap;

/**
 * The query of {@code GET /admin/api/translations} read strictly: a value that cannot mean anything
 * (an unknown direction or kind, a limit out of range, a misspelt parameter, one given twice) is a
 * {@link BadQuery} naming it. Read leniently, a typo is an empty list, and an operator concludes that
 * nothing happened.
 */
final class TranslationFilters {

    /** A query value the API cannot honour; the message is the reason the 400 gives. */
    static final class BadQuery extends IllegalArgumentException {
        BadQuery(String reason) {
            super(reason);
        }
    }

    static final int MAX_LIMIT = 10_000;
    private static final Set<String> PARAMETERS = Set.of("limit", "user", "direction", "kind", "outcome", "since");
    private static final Map<String, String> DIRECTIONS = Map.of("xmpp-sip", "xmpp→sip", "sip-xmpp", "sip→xmpp",
            "xmpp→sip", "xmpp→sip", "sip→xmpp", "sip→xmpp");

    private TranslationFilters() {
    }

    static TraceQuery parse(MultiValueMap<String, String> query) {
        for (Map.Entry<String, List<String>> p : query.entrySet()) {
            if (!PARAMETERS.contains(p.getKey())) {
                throw new BadQuery("unknown parameter '" + p.getKey() + "' (known: limit, user, direction, kind, outcome, since)");
            }
            if (p.getValue().size() > 1) {
                throw new BadQuery(p.getKey() + " is given twice; give each filter once");
            }
        }
        String limit = query.getFirst("limit");
        String user = query.getFirst("user");
        String direction = query.getFirst("direction");
        String kind = query.getFirst("kind");
        String outcome = query.getFirst("outcome");
        String since = query.getFirst("since");
        if (user != null && user.isBlank()) {
            throw new BadQuery("user must not be empty (leave it out to see everyone)");
        }
        return new TraceQuery(limit == null ? 100 : limit(limit), user, direction == null ? null : direction(direction),
                kind == null ? null : kind(kind), outcome == null ? null : outcome(outcome), since == null ? null : since(since), null);
    }

    /** A record id as the path gives it. */
    static long id(String id) {
        try {
            long value = Long.parseLong(id);
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // answered below, with the value as given
        }
        throw new BadQuery("the id must be a whole number from 1, not '" + id + "'");
    }

    private static int limit(String limit) {
        try {
            int value = Integer.parseInt(limit.strip());
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // answered below, with the value as given
        }
        throw new BadQuery("limit must be a whole number from 1 to " + MAX_LIMIT + ", not '" + limit + "'");
    }

    private static String direction(String direction) {
        String canonical = DIRECTIONS.get(direction.strip().toLowerCase(Locale.ROOT));
        if (canonical == null) {
            throw new BadQuery("direction must be xmpp-sip or sip-xmpp, not '" + direction + "'");
        }
        return canonical;
    }

    private static String kind(String kind) {
        String k = kind.strip().toLowerCase(Locale.ROOT);
        if (!TranslationRecord.KINDS.contains(k)) {
            throw new BadQuery("kind must be one of " + String.join(", ", TranslationRecord.KINDS) + ", not '" + kind + "'");
        }
        return k;
    }

    private static TranslationRecord.Outcome outcome(String outcome) {
        try {
            return TranslationRecord.Outcome.valueOf(outcome.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadQuery("outcome must be DELIVERED, REJECTED or FAILED, not '" + outcome + "'");
        }
    }

    private static Instant since(String since) {
        try {
            return Instant.parse(since.strip());
        } catch (DateTimeParseException e) {
            throw new BadQuery("since must be an ISO-8601 instant, e.g. 2026-11-21T10:00:00Z, not '" + since + "'");
        }
    }
}
