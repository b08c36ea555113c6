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

    /**
     * A presentity watched by one watcher: bare, lower-case {@code user@domain} of the SIP addresses. A Lync URI's case
     * is not its identity (sip:John.Smith@contoso.com is john.smith on the XMPP side, which folds case): the dialog's
     * From and the address the rest of Parley names for the same watcher must meet here.
     */
    record Pair(String presentity, String watcher) {
        static Pair of(Address presentity, Address watcher) {
            return new Pair(key(presentity), key(watcher));
        }

        private static String key(Address a) {
            return a.userAtDomain().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One pair's state.
     *
     * @param authorized whether the presentity's user approved the watcher (RFC 6665 {@code active}); until then
     *                   NOTIFYs say {@code pending} and carry no state
     * @param state      the latest state the user's side sent to this watcher, {@code null} if none yet
     */
    record Watch(boolean authorized, PresenceUpdate state, Instant lastNotified, long stateSequence, long authorizedSequence) {
        static final Watch PENDING = new Watch(false, null, null, 0, 0);

        Watch withState(PresenceUpdate newState, long sequence) {
            return new Watch(authorized, newState, lastNotified, sequence, authorizedSequence);
        }

        /** The body a watch allows: the state once authorized, nothing while pending (RFC 6665 §4.2.2). */
        PresenceUpdate allowedState() {
            return authorized ? state : null;
        }
    }

    private final Map<Pair, Watch> watches = new ConcurrentHashMap<>();
    /** The sequence number of each pair's latest refusal: a SUBSCRIBE answered "approved" before it must not outlive it. */
    private final Map<Pair, Long> refusals = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();
    private final Map<Pair, Integer> answering = new ConcurrentHashMap<>();
    private final Object[] locks = new Object[64];

    WatchedPairs() {
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }
    private final Map<Pair, Set<String>> callIds = new ConcurrentHashMap<>();
    private final Map<Pair, ScheduledFuture<?>> deferred = new ConcurrentHashMap<>();

    Watch watch(Pair pair) {
        return watches.getOrDefault(pair, Watch.PENDING);
    }

    /** Approves the pair (and, when given, sets its state); returns the new watch. */
    Watch authorize(Pair pair, PresenceUpdate state) {
        return watches.compute(pair, (p, w) -> {
            Watch cur = w == null ? Watch.PENDING : w;
            long at = sequence.incrementAndGet();
            return new Watch(true, state != null ? state : cur.state(), cur.lastNotified(), state != null ? at : cur.stateSequence(), at);
        });
    }

    /**
     * Approves the pair with the state an answer to a SUBSCRIBE carried, unless a newer state arrived while that answer
     * was computed ({@code asked}: the sequence number taken before asking): presence published in between wins.
     */
    Watch authorizeUnlessNewer(Pair pair, PresenceUpdate answered, long asked) {
        return watches.compute(pair, (p, w) -> {
            Watch cur = w == null ? Watch.PENDING : w;
            long at = sequence.incrementAndGet();
            return cur.state() != null && cur.stateSequence() > asked
                    ? new Watch(true, cur.state(), cur.lastNotified(), cur.stateSequence(), at)
                    : new Watch(true, answered, cur.lastNotified(), at, at);
        });
    }

    /** The answer said pending: an approval older than the question ({@code asked}) is dropped, a newer one kept. */
    void pendingUnlessApprovedSince(Pair pair, long asked) {
        watches.computeIfPresent(pair, (p, w) -> w.authorized() && w.authorizedSequence() <= asked
                ? new Watch(false, w.state(), w.lastNotified(), w.stateSequence(), 0) : w);
    }

    /** Records the state sent to this watcher if it is worth keeping here; the pair's authorization is unchanged. */
    Watch state(Pair pair, PresenceUpdate state) {
        return watches.compute(pair, (p, w) -> {
            if (w == null && !wanted(pair)) {
                return null; // the dialogs went meanwhile: nothing to keep
            }
            return (w == null ? Watch.PENDING : w).withState(state, sequence.incrementAndGet());
        });
    }

    void notified(Pair pair, Instant at) {
        watches.computeIfPresent(pair, (p, w) -> new Watch(w.authorized(), w.state(), at, w.stateSequence(), w.authorizedSequence()));
    }

    /** The lock under which a pair's answer to a SUBSCRIBE and its refusal are carried out, never interleaved. */
    Object lock(Pair pair) {
        return locks[Math.floorMod(pair.hashCode(), locks.length)];
    }

    /** A SUBSCRIBE of the pair is being answered: presence for it is kept meanwhile, though no dialog is held yet. */
    void answering(Pair pair) {
        answering.merge(pair, 1, Integer::sum);
    }

    void answered(Pair pair) {
        Integer left = answering.computeIfPresent(pair, (p, n) -> n <= 1 ? null : n - 1);
        if (left == null) {
            refusals.remove(pair); // no answer in flight is left to be told of a refusal
        }
    }

    /** Whether state for the pair is worth keeping here: a dialog is held, or one is being answered. */
    boolean wanted(Pair pair) {
        return !dialogs(pair).isEmpty() || answering.containsKey(pair);
    }

    /** The current sequence number, taken before asking whether a watcher is approved. */
    long sequence() {
        return sequence.get();
    }

    /**
     * Records a refusal of the pair (and forgets everything about it). Only a SUBSCRIBE being answered needs to know of it
     * later: without one, nothing is kept.
     */
    void refused(Pair pair) {
        if (answering.containsKey(pair)) {
            refusals.put(pair, sequence.incrementAndGet());
        }
        forget(pair);
    }

    /** Whether the pair was refused after {@code since} (an answer computed before then is stale). */
    boolean refusedSince(Pair pair, long since) {
        Long at = refusals.get(pair);
        return at != null && at > since;
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
