package org.parley.gateway.cluster;

import com.hazelcast.map.IMap;
import java.util.UUID;
import java.util.function.Predicate;
import org.parley.gateway.routing.WatcherDialogCopies;
import org.parley.sip.subscription.Notifier;
import org.parley.sip.subscription.SubscriptionDialog;

/**
 * Copies of the SIP watchers' dialogs, by Call-ID, with the member that holds each. When a member dies, the
 * owner of each copy's partition ends the orphaned dialog (NOTIFY terminated;reason=deactivated from the
 * copy): the watcher subscribes again, to a living member.
 */
final class ClusterWatcherDialogs implements WatcherDialogCopies {

    private static final System.Logger LOG = System.getLogger(ClusterWatcherDialogs.class.getName());

    private final IMap<String, WatcherDialogCopy> copies;
    private final java.util.function.Supplier<UUID> self;
    private final java.util.function.BooleanSupplier running;

    /** @param running whether the member is still in the cluster (a draining member's dialogs end after it left) */
    /** @param self this member's current id (Hazelcast gives a member a new one when it merges after a split) */
    ClusterWatcherDialogs(IMap<String, WatcherDialogCopy> copies, java.util.function.Supplier<UUID> self,
                          java.util.function.BooleanSupplier running) {
        this.copies = copies;
        this.self = self;
        this.running = running;
    }

    @Override
    public void held(SubscriptionDialog dialog, boolean benotify) {
        if (running.getAsBoolean()) {
            copies.setAsync(dialog.callId(), new WatcherDialogCopy(self.get(), dialog, benotify));
        }
    }

    @Override
    public void ended(String callId) {
        if (running.getAsBoolean()) {
            copies.deleteAsync(callId);
        }
    }

    /**
     * Ends, from this member, the dialogs of members no longer in the cluster whose copies this member owns.
     *
     * @return how many watchers were asked to subscribe again
     */
    int adoptOrphans(Predicate<UUID> alive, Notifier notifier) {
        int n = 0;
        for (String callId : copies.localKeySet()) {
            WatcherDialogCopy copy = copies.get(callId);
            if (copy == null || alive.test(copy.member())) {
                continue;
            }
            copies.delete(callId);
            if (notifier.deactivate(copy.dialog(), copy.benotify())) {
                n++;
            } else {
                LOG.log(System.Logger.Level.WARNING, "could not end the orphaned subscription of " + copy.dialog().watcher() + " to "
                        + copy.dialog().presentity() + "; it ends when the watcher's refresh fails");
            }
        }
        return n;
    }

    int size() {
        return copies.size();
    }
}
