package org.parley.sip.subscription;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

/**
 * The SIP watchers' dialogs the notifier holds, by Call-ID, indexed by (presentity, watcher) in {@link WatchedPairs}: one
 * place adds and removes a dialog, so the index and the cluster's copies never disagree with the dialogs themselves.
 */
final class HeldDialogs {

    /** A held subscription: the compact dialog, whether it uses BENOTIFY, and its expiry timer. */
    record Held(SubscriptionDialog dialog, boolean benotify, ScheduledFuture<?> expiry) {
        Held with(SubscriptionDialog d) {
            return new Held(d, benotify, expiry);
        }

        WatchedPairs.Pair pair() {
            return WatchedPairs.Pair.of(dialog.presentity(), dialog.watcher());
        }
    }

    private final Map<String, Held> dialogs = new ConcurrentHashMap<>();
    private final WatchedPairs pairs;
    private final WatcherDialogReplication replication;

    HeldDialogs(WatchedPairs pairs, WatcherDialogReplication replication) {
        this.pairs = pairs;
        this.replication = replication;
    }

    int size() {
        return dialogs.size();
    }

    Held get(String callId) {
        return dialogs.get(callId);
    }

    boolean holds(String callId) {
        return dialogs.containsKey(callId);
    }

    List<String> callIds() {
        return List.copyOf(dialogs.keySet());
    }

    void add(Held held) {
        dialogs.put(held.dialog().callId(), held);
        pairs.addDialog(held.pair(), held.dialog().callId());
    }

    /** Removes a dialog (null when it is not held); the cluster's copy of it goes too. */
    Held remove(String callId) {
        Held held = dialogs.remove(callId);
        if (held != null) {
            replication.onWatcherDialogEnded(callId);
            pairs.removeDialog(held.pair(), callId);
        }
        return held;
    }

    /** Reserves the dialog's next CSeq atomically (publishes, refreshes and timers run on different threads). */
    Held nextCseq(String callId) {
        return dialogs.computeIfPresent(callId, (k, h) -> h.with(h.dialog().nextCseq()));
    }

    /** A refresh: a new expiry and its timer; a NOTIFY sent meanwhile keeps its CSeq. Null when no longer held. */
    Held refreshed(String callId, Instant expiresAt, ScheduledFuture<?> expiry) {
        return dialogs.computeIfPresent(callId, (k, h) -> new Held(h.dialog().expiringAt(expiresAt), h.benotify(), expiry));
    }
}
