package org.parley.gateway.presence;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.parley.sip.testing.LyncFrontEndSimulator.Received;

/**
 * The vocabulary and the oracle of {@link PresenceLifecycleModelTest}, written from RFC 6121 / 6665 rather than from
 * Parley's code: who watches whom, what one NOTIFY must say, and what each watcher may know.
 */
final class PresenceOracle {

    static final Pattern AVAILABILITY = Pattern.compile("<availability>(\\d+)</availability>");
    static final Pattern NOTE = Pattern.compile("<body type=\"personal\" uri=\"\">([^<]*)</body>");
    /** Resource a has the higher priority: while it is available it is what watchers see. */
    static final Map<String, Integer> PRIORITY = Map.of("a", 1, "b", 0);

    private PresenceOracle() {
    }

    /** A Lync watcher (index into WATCHERS) and an XMPP user. */
    record Pair(String watcher, String user) {
        @Override
        public String toString() {
            return watcher + "→" + user;
        }
    }

    /** What one NOTIFY must say: its Subscription-State, and for an active one the availability and the note. */
    record Expect(String state, String availability, String note) {
        static final Expect PENDING = new Expect("pending", null, null);

        static Expect terminated(String reason) {
            return new Expect("terminated;reason=" + reason, null, null);
        }

        static Expect of(Received r) {
            String s = r.subscriptionState().toLowerCase(java.util.Locale.ROOT);
            if (s.startsWith("terminated")) {
                Matcher reason = Pattern.compile("reason=([a-z]+)").matcher(s);
                return new Expect("terminated;reason=" + (reason.find() ? reason.group(1) : "?"), body(r, AVAILABILITY), body(r, NOTE));
            }
            return new Expect(s.startsWith("pending") ? "pending" : s.startsWith("active") ? "active" : s, body(r, AVAILABILITY), body(r, NOTE));
        }

        private static String body(Received r, Pattern p) {
            Matcher m = p.matcher(r.body());
            return m.find() ? m.group(1) : null;
        }
    }

    /**
     * The oracle, from RFC 6121 / 6665: per pair, the authorization and what the XMPP user sent the watcher per
     * resource; per open dialog, nothing more than the pair it belongs to.
     */
    static final class Oracle {
        enum Auth { NONE, PENDING, ACTIVE }

        final Map<Pair, Auth> auth = new HashMap<>();
        /** What each XMPP user sent each watcher: resource → show ("" available). */
        final Map<Pair, Map<String, String>> sent = new HashMap<>();

        Auth auth(Pair p) {
            return auth.getOrDefault(p, Auth.NONE);
        }

        /** What an approved watcher's NOTIFY carries: the highest-priority available resource, or offline. */
        Expect state(Pair p, String notePrefix) {
            Map<String, String> resources = sent.getOrDefault(p, Map.of());
            String best = null;
            for (String r : resources.keySet()) {
                if (best == null || PRIORITY.get(r) > PRIORITY.get(best)) {
                    best = r;
                }
            }
            if (best == null) {
                return new Expect("active", "18500", null);
            }
            String show = resources.get(best);
            String availability = switch (show) {
                case "away" -> "15500";
                case "dnd" -> "9500";
                default -> "3500";
            };
            return new Expect("active", availability, notePrefix + p.user() + "/" + best + ":" + show);
        }
    }

    /** What one step must produce: NOTIFYs per dialog, in order, and stanzas toward XMPP. */
    record Expected(Map<String, List<Expect>> notifies, List<String> stanzas) {
    }
}
