package org.parley.gateway.routing;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.parley.gateway.store.RelationshipStore.Direction;
import org.parley.gateway.store.RelationshipStore.State;

/**
 * The authorization lifecycle of one presence relationship, as an explicit table: (state, event) → new state and the
 * outputs the gateway produces. Pure data — no I/O — so every row is pinned by a golden file
 * ({@code lifecycle/*.golden}) and the bridges only carry outputs out.
 *
 * <p>Two tables, one per direction:
 * <ul>
 *   <li>{@link Direction#SIP_WATCHES_XMPP}: a Lync user subscribed (SIP SUBSCRIBE) to an XMPP user. XMPP authorization is
 *       per contact (RFC 6121 §3): the SIP dialog is {@code pending} — no state — until the XMPP user approves
 *       ({@code subscribed}); a refusal or revocation ({@code unsubscribed}) ends that watcher's dialogs with
 *       {@code terminated;reason=rejected} (RFC 6665 §4.2.2) and forgets the relationship, so a later SUBSCRIBE asks again.</li>
 *   <li>{@link Direction#XMPP_WATCHES_SIP}: an XMPP user subscribed to a Lync user. Parley subscribes in SIP on the XMPP
 *       user's behalf; the front end's 2xx approves ({@code subscribed}), its refusal answers {@code unsubscribed} —
 *       once (RFC 7248 §4).</li>
 * </ul>
 */
public final class SubscriptionLifecycle {

    /** Where a relationship stands. NONE: not stored. */
    public enum Authorization {
        NONE, PENDING, ACTIVE;

        public static Authorization of(State stored) {
            return stored == null ? NONE : stored == State.ACTIVE ? ACTIVE : PENDING;
        }
    }

    /** What can happen to a relationship. */
    public enum Event {
        /** SIP_WATCHES_XMPP: a new SUBSCRIBE dialog from the Lync watcher. */
        SIP_SUBSCRIBE,
        /** SIP_WATCHES_XMPP: the XMPP user approves ({@code subscribed}). */
        XMPP_SUBSCRIBED,
        /** SIP_WATCHES_XMPP: the XMPP user refuses or revokes ({@code unsubscribed}). */
        XMPP_UNSUBSCRIBED,
        /** SIP_WATCHES_XMPP: the Lync watcher's last dialog ended (Expires: 0, expiry, or the watcher is gone). */
        SIP_UNSUBSCRIBE,
        /** XMPP_WATCHES_SIP: the XMPP user asks ({@code subscribe}). */
        XMPP_SUBSCRIBE,
        /** XMPP_WATCHES_SIP: the XMPP user ends it ({@code unsubscribe}). */
        XMPP_UNSUBSCRIBE,
        /** XMPP_WATCHES_SIP: the XMPP user's server probes ({@code probe}). */
        XMPP_PROBE,
        /** XMPP_WATCHES_SIP: the front end accepted Parley's SUBSCRIBE (2xx). */
        SIP_ACCEPTED,
        /** XMPP_WATCHES_SIP: the front end refused Parley's SUBSCRIBE, or ended it for good (rejected, noresource). */
        SIP_REFUSED,
        /** Either side: Parley started (after a restart, the store is all that is left). */
        START
    }

    /** What the gateway does; the bridges carry these out in the order given. */
    public enum Output {
        /** Store the relationship PENDING. */
        STORE_PENDING,
        /** Store the relationship ACTIVE. */
        STORE_ACTIVE,
        /** Remove the relationship from the store. */
        FORGET,
        /** Send the XMPP user {@code subscribe} from the Lync watcher. */
        ASK_XMPP_USER,
        /** Answer the SUBSCRIBE: dialog {@code pending}, first NOTIFY without state. */
        ANSWER_PENDING,
        /** Answer the SUBSCRIBE: dialog {@code active}, first NOTIFY with the state the XMPP user sent this watcher. */
        ANSWER_STATE,
        /** Turn this watcher's dialogs {@code active} and NOTIFY them the state the XMPP user sent this watcher. */
        AUTHORIZE_WATCHER,
        /** NOTIFY {@code terminated;reason=rejected} in this watcher's dialogs, which end; its stored state is forgotten. */
        REJECT_WATCHER,
        /** Send the XMPP user {@code unsubscribe} from the Lync watcher. */
        CANCEL_TO_XMPP,
        /** Send the XMPP user's server a presence probe from the Lync watcher (RFC 6121 §4.3). */
        PROBE_XMPP_USER,
        /** SUBSCRIBE to the Lync user on the XMPP user's behalf (kept, never duplicated). */
        SIP_SUBSCRIBE,
        /** End Parley's SUBSCRIBE to the Lync user (Expires: 0). */
        SIP_UNSUBSCRIBE,
        /** Tell the XMPP user {@code subscribed}. */
        APPROVE_TO_XMPP,
        /** Tell the XMPP user {@code unsubscribed}, once. */
        DENY_TO_XMPP,
        /** Send the XMPP user the Lync user's latest state (to that watcher), or unavailable when none is known. */
        STATE_TO_XMPP
    }

    /** A row's result. */
    public record Transition(Authorization next, List<Output> outputs) {
        public Transition {
            outputs = List.copyOf(outputs);
        }
    }

    /** One row of a table, as the golden files show it. */
    public record Row(Direction side, Authorization state, Event event, Transition transition) {
        @Override
        public String toString() {
            return state + " × " + event + " → " + transition.next() + " " + transition.outputs();
        }
    }

    /** Read-only once built. */
    private static final Map<Direction, Map<Authorization, Map<Event, Transition>>> TABLES = build();

    private static void row(Map<Direction, Map<Authorization, Map<Event, Transition>>> tables, Direction side, Authorization state,
                            Event event, Authorization next, Output... outputs) {
        Transition previous = tables.computeIfAbsent(side, s -> new EnumMap<>(Authorization.class))
                .computeIfAbsent(state, s -> new EnumMap<>(Event.class))
                .put(event, new Transition(next, List.of(outputs)));
        if (previous != null) {
            throw new IllegalStateException("two rows for " + side + " " + state + " × " + event);
        }
    }

    private static Map<Direction, Map<Authorization, Map<Event, Transition>>> build() {
        Map<Direction, Map<Authorization, Map<Event, Transition>>> t = new EnumMap<>(Direction.class);
        Direction l = Direction.SIP_WATCHES_XMPP;
        Authorization none = Authorization.NONE;
        Authorization pending = Authorization.PENDING;
        Authorization active = Authorization.ACTIVE;
        row(t, l, none, Event.SIP_SUBSCRIBE, pending, Output.STORE_PENDING, Output.ASK_XMPP_USER, Output.ANSWER_PENDING);
        // another endpoint of the same watcher: the question is already with the XMPP user
        row(t, l, pending, Event.SIP_SUBSCRIBE, pending, Output.ANSWER_PENDING);
        row(t, l, active, Event.SIP_SUBSCRIBE, active, Output.ANSWER_STATE);
        // RFC 6121 §3.1.5: a 'subscribed' nobody asked for is ignored (no approval is created out of nothing)
        row(t, l, none, Event.XMPP_SUBSCRIBED, none);
        row(t, l, pending, Event.XMPP_SUBSCRIBED, active, Output.STORE_ACTIVE, Output.AUTHORIZE_WATCHER);
        row(t, l, active, Event.XMPP_SUBSCRIBED, active);
        // nothing stored to refuse, but what the user sent this contact is forgotten, and a dialog a race left behind
        // (a SUBSCRIBE answered on another thread, another member) is ended: a refusal is never lost
        row(t, l, none, Event.XMPP_UNSUBSCRIBED, none, Output.FORGET, Output.REJECT_WATCHER);
        row(t, l, pending, Event.XMPP_UNSUBSCRIBED, none, Output.FORGET, Output.REJECT_WATCHER);
        row(t, l, active, Event.XMPP_UNSUBSCRIBED, none, Output.FORGET, Output.REJECT_WATCHER);
        row(t, l, none, Event.SIP_UNSUBSCRIBE, none);
        // RFC 7248 §4.3: the SIP watcher ends its subscription → XMPP unsubscribe
        row(t, l, pending, Event.SIP_UNSUBSCRIBE, none, Output.FORGET, Output.CANCEL_TO_XMPP);
        row(t, l, active, Event.SIP_UNSUBSCRIBE, none, Output.FORGET, Output.CANCEL_TO_XMPP);
        row(t, l, none, Event.START, none);
        row(t, l, pending, Event.START, pending);
        // RFC 6121 §4.3: after a restart the current state is asked for, not assumed offline
        row(t, l, active, Event.START, active, Output.PROBE_XMPP_USER);

        Direction x = Direction.XMPP_WATCHES_SIP;
        row(t, x, none, Event.XMPP_SUBSCRIBE, pending, Output.STORE_PENDING, Output.SIP_SUBSCRIBE);
        row(t, x, pending, Event.XMPP_SUBSCRIBE, pending, Output.SIP_SUBSCRIBE);
        // RFC 6121 §3.1.3: already subscribed → 'subscribed' again, and the current state
        row(t, x, active, Event.XMPP_SUBSCRIBE, active, Output.SIP_SUBSCRIBE, Output.APPROVE_TO_XMPP, Output.STATE_TO_XMPP);
        row(t, x, none, Event.XMPP_UNSUBSCRIBE, none, Output.SIP_UNSUBSCRIBE);
        row(t, x, pending, Event.XMPP_UNSUBSCRIBE, none, Output.FORGET, Output.SIP_UNSUBSCRIBE);
        row(t, x, active, Event.XMPP_UNSUBSCRIBE, none, Output.FORGET, Output.SIP_UNSUBSCRIBE);
        // RFC 6121 §4.3.2: a probe from a non-subscriber learns nothing but 'unsubscribed'; a pending one waits
        row(t, x, none, Event.XMPP_PROBE, none, Output.DENY_TO_XMPP);
        row(t, x, pending, Event.XMPP_PROBE, pending);
        row(t, x, active, Event.XMPP_PROBE, active, Output.STATE_TO_XMPP);
        row(t, x, none, Event.SIP_ACCEPTED, none);
        row(t, x, pending, Event.SIP_ACCEPTED, active, Output.STORE_ACTIVE, Output.APPROVE_TO_XMPP, Output.STATE_TO_XMPP);
        row(t, x, active, Event.SIP_ACCEPTED, active);
        row(t, x, none, Event.SIP_REFUSED, none);
        row(t, x, pending, Event.SIP_REFUSED, none, Output.FORGET, Output.DENY_TO_XMPP);
        row(t, x, active, Event.SIP_REFUSED, none, Output.FORGET, Output.DENY_TO_XMPP);
        row(t, x, none, Event.START, none);
        row(t, x, pending, Event.START, pending);
        row(t, x, active, Event.START, active, Output.SIP_SUBSCRIBE);
        Map<Direction, Map<Authorization, Map<Event, Transition>>> frozen = new EnumMap<>(Direction.class);
        t.forEach((side, byState) -> {
            Map<Authorization, Map<Event, Transition>> states = new EnumMap<>(Authorization.class);
            byState.forEach((state, byEvent) -> states.put(state, java.util.Collections.unmodifiableMap(new EnumMap<>(byEvent))));
            frozen.put(side, java.util.Collections.unmodifiableMap(states));
        });
        return java.util.Collections.unmodifiableMap(frozen);
    }

    private SubscriptionLifecycle() {
    }

    /** The events a side's table has rows for. */
    public static List<Event> events(Direction side) {
        return side == Direction.SIP_WATCHES_XMPP
                ? List.of(Event.SIP_SUBSCRIBE, Event.XMPP_SUBSCRIBED, Event.XMPP_UNSUBSCRIBED, Event.SIP_UNSUBSCRIBE, Event.START)
                : List.of(Event.XMPP_SUBSCRIBE, Event.XMPP_UNSUBSCRIBE, Event.XMPP_PROBE, Event.SIP_ACCEPTED, Event.SIP_REFUSED, Event.START);
    }

    /** @throws IllegalArgumentException for an event the side's table has no row for */
    public static Transition next(Direction side, Authorization state, Event event) {
        Transition t = TABLES.get(side).get(state).get(event);
        if (t == null) {
            throw new IllegalArgumentException("no " + side + " row for " + state + " × " + event);
        }
        return t;
    }

    /** Every row of a side's table, by state then event. */
    public static List<Row> rows(Direction side) {
        List<Row> rows = new ArrayList<>();
        for (Authorization a : Authorization.values()) {
            for (Event e : events(side)) {
                rows.add(new Row(side, a, e, next(side, a, e)));
            }
        }
        return rows;
    }
}
