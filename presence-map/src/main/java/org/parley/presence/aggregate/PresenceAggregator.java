package org.parley.presence.aggregate;

import java.util.Comparator;
import java.util.List;
import org.parley.presence.model.Availability;
import org.parley.presence.model.PresenceUpdate;

/**
 * Reduces the presence of several XMPP resources or Lync endpoints of one user to the single
 * presence the other side sees. Deterministic, whatever the input order:
 * <ol>
 *   <li>online endpoints beat offline / unknown ones;</li>
 *   <li>then the highest XMPP priority (RFC 6121 §4.7.2.3; Lync endpoints all have 0);</li>
 *   <li>then the most reachable availability ({@link Availability} declaration order), as a
 *       Lync client shows the most available of a user's endpoints;</li>
 *   <li>then the instance name (resource / endpoint id), so ties never depend on arrival order.</li>
 * </ol>
 * The result is addressed from the bare user.
 */
public final class PresenceAggregator {

    private static final Comparator<PresenceUpdate> BEST_FIRST = Comparator
            .comparing((PresenceUpdate p) -> p.availability().isOnline() ? 0 : 1)
            .thenComparing(PresenceUpdate::priority, Comparator.reverseOrder())
            .thenComparing(PresenceUpdate::availability)
            .thenComparing(p -> p.from().instance() == null ? "" : p.from().instance());

    private PresenceAggregator() {
    }

    /** @throws IllegalArgumentException on an empty list or updates from different users */
    public static PresenceUpdate aggregate(List<PresenceUpdate> endpoints) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("nothing to aggregate");
        }
        PresenceUpdate best = endpoints.get(0);
        for (PresenceUpdate p : endpoints) {
            if (!p.from().bare().equals(best.from().bare())) {
                throw new IllegalArgumentException("cannot aggregate presence of " + p.from().bare() + " with " + best.from().bare());
            }
            if (BEST_FIRST.compare(p, best) < 0) {
                best = p;
            }
        }
        return best.withFrom(best.from().bare());
    }
}
