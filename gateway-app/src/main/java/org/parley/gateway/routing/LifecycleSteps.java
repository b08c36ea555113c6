package org.parley.gateway.routing;

import java.util.function.Function;
import org.parley.gateway.routing.SubscriptionLifecycle.Authorization;
import org.parley.gateway.routing.SubscriptionLifecycle.Event;
import org.parley.gateway.routing.SubscriptionLifecycle.Output;
import org.parley.gateway.routing.SubscriptionLifecycle.Transition;
import org.parley.gateway.store.RelationshipStore.Direction;
import org.parley.gateway.store.RelationshipStore.Relationship;
import org.parley.gateway.store.RelationshipStore.State;
import org.parley.gateway.trace.TranslationTrace;

/**
 * Takes one relationship through one row of {@link SubscriptionLifecycle}: reads where it stands, stores where it goes,
 * and lets the bridge carry out the other outputs — all under the relationship's lock, so that two events about one
 * relationship (an approval and a new SUBSCRIBE, say) never interleave. Different relationships do not wait for
 * each other beyond their lock stripe.
 */
final class LifecycleSteps {

    private static final int STRIPES = 256;

    private final RoutingContext ctx;
    private final Object[] locks = new Object[STRIPES];

    LifecycleSteps(RoutingContext ctx) {
        this.ctx = ctx;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /** Where a relationship stands in {@code direction} (NONE when it is not stored, or stored the other way). */
    Authorization current(Direction direction, String watcher, String presentity) {
        return ctx.authorization(direction, watcher, presentity);
    }

    /**
     * One step: the row for the relationship's state and {@code event}, its store outputs applied, then {@code carryOut}
     * given the transition (still under the lock) — its result is returned.
     */
    <T> T step(Direction direction, String watcher, String presentity, Event event, TranslationTrace.Translation t,
               Function<Transition, T> carryOut) {
        synchronized (locks[Math.floorMod((watcher + "|" + presentity).hashCode(), STRIPES)]) {
            Authorization from = current(direction, watcher, presentity);
            Transition tr = SubscriptionLifecycle.next(direction, from, event);
            t.decision(direction + " " + watcher + " → " + presentity + ": " + from + " × " + event + " → " + tr.next()
                    + (tr.outputs().isEmpty() ? " (nothing to do)" : " " + tr.outputs()));
            for (Output o : tr.outputs()) {
                switch (o) {
                    case STORE_PENDING -> ctx.relationships().put(new Relationship(watcher, presentity, direction, State.PENDING, ctx.clock().instant()));
                    case STORE_ACTIVE -> ctx.relationships().put(new Relationship(watcher, presentity, direction, State.ACTIVE, ctx.clock().instant()));
                    case FORGET -> ctx.relationships().remove(watcher, presentity);
                    default -> {
                        // the bridge's
                    }
                }
            }
            return carryOut.apply(tr);
        }
    }
}
