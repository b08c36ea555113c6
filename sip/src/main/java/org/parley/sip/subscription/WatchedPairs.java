package org.parley.sip.subscription;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import org.parley.presence.model.Address;
import org.parley.presence.model.PresenceUpdate;

/**
 * What the notifier knows per (presentity, watcher) pair — the unit of authorization in XMPP (RFC 6121 §3) and of
 * a presence subscription in SIP: whether the presentity's user allowed this watcher, the state the user's side
 * sent to this watcher, the dialogs this watcher holds, and when it was last notified. Nothing here is ever read
 * across pairs: one watcher's state cannot reach another watcher's dialog.
 */
final class WatchedPairs {

    /** A presentity watched by one watcher (both bare SIP addresses). */
    record Pair(Address presentity, Address watcher) {
        static Pair of(Address presentity, Address watcher) {
            return new Pair(presentity.bare(), watcher.bare());
        }
    }

    /**
     * One pair's state.
     *
     * @param authorized whether the presentity's user approved the watcher (RFC 6665 {@code active}); until then
     *                   NOTIFYs say {@code pending} and carry no state
     * @param state      the latest state the user's side sent to this watcher, {@code null} if none yet
     */
    record Watch(boolean authorized, PresenceUpdate state, Instant lastNotified) {
        static final Watch PENDING = new Watch(false, null, null);
    }

    private final Map<Pair, Watch> watches = new ConcurrentHashMap<>();
    private final Map<Pair, Set<String>> callIds = new ConcurrentHashMap<>();
    private final Map<Pair, ScheduledFuture<?>> deferred = new ConcurrentHashMap<>();

    Watch watch(Pair pair) {
        return watches.getOrDefault(pair, Watch.PENDING);
    }

    /** Sets the pair's authorization (and, when given, its state); returns the new watch. */
    Watch authorize(Pair pair, boolean authorized, PresenceUpdate state) {
        return watches.compute(pair, (p, w) -> {
            Watch cur = w == null ? Watch.PENDING : w;
            return new Watch(authorized, state != null ? state : cur.state(), cur.lastNotified());
        });
    }

    /** Records the state sent to this watcher; the pair's authorization is unchanged. */
    Watch state(Pair pair, PresenceUpdate state) {
        return watches.compute(pair, (p, w) -> {
            Watch cur = w == null ? Watch.PENDING : w;
            return new Watch(cur.authorized(), state, cur.lastNotified());
        });
    }

    void notified(Pair pair, Instant at) {
        watches.computeIfPresent(pair, (p, w) -> new Watch(w.authorized(), w.state(), at));
    }

    /** Forgets everything about the pair (rejected, or its last dialog ended). */
    void forget(Pair pair) {
        watches.remove(pair);
        ScheduledFuture<?> f = deferred.remove(pair);
        if (f != null) {
            f.cancel(false);
        }
    }

    void addDialog(Pair pair, String callId) {
        callIds.computeIfAbsent(pair, p -> ConcurrentHashMap.newKeySet()).add(callId);
    }

    /** Removes a dialog; returns whether it was the pair's last one. */
    boolean removeDialog(Pair pair, String callId) {
        boolean[] last = {false};
        callIds.computeIfPresent(pair, (p, ids) -> {
            ids.remove(callId);
            last[0] = ids.isEmpty();
            return ids.isEmpty() ? null : ids;
        });
        return last[0];
    }

    Set<String> dialogs(Pair pair) {
        Set<String> ids = callIds.get(pair);
        return ids == null ? Set.of() : Set.copyOf(ids);
    }

    /** Schedules a deferred NOTIFY for the pair unless one is already waiting; returns whether this call scheduled it. */
    boolean defer(Pair pair, java.util.function.Supplier<ScheduledFuture<?>> schedule) {
        boolean[] scheduled = {false};
        deferred.computeIfAbsent(pair, p -> {
            scheduled[0] = true;
            return schedule.get();
        });
        return scheduled[0];
    }

    void deferredRan(Pair pair) {
        deferred.remove(pair);
    }
}
