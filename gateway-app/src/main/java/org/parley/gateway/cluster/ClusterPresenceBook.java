package org.parley.gateway.cluster;

import com.hazelcast.map.IMap;
import java.util.Optional;
import org.parley.gateway.routing.PresenceBook;
import org.parley.presence.model.Address;
import org.parley.presence.model.PresenceUpdate;

/**
 * The latest presence per user, shared: a SUBSCRIBE or probe answered by any member sees presence that
 * arrived at another. Live state (one backup copy): lost only with two members at once, then rebuilt from
 * the next presence of each user.
 */
final class ClusterPresenceBook implements PresenceBook {

    private final IMap<String, PresenceUpdate> latest;
    private final java.util.function.BooleanSupplier running;

    /** @param running whether the member is still in the cluster (a draining member answers without the shared book) */
    ClusterPresenceBook(IMap<String, PresenceUpdate> latest, java.util.function.BooleanSupplier running) {
        this.latest = latest;
        this.running = running;
    }

    @Override
    public void put(PresenceUpdate p) {
        if (running.getAsBoolean()) {
            // asynchronous: the routing thread does not wait for the partition owner and its backup
            latest.setAsync(PresenceBook.key(p.from()), p);
        }
    }

    @Override
    public Optional<PresenceUpdate> get(Address user) {
        if (!running.getAsBoolean()) {
            return Optional.empty(); // offline until the next presence, as after a restart
        }
        try {
            return Optional.ofNullable(latest.get(PresenceBook.key(user)));
        } catch (RuntimeException unavailable) {
            // leaving, or the partition's owner just died: answer as after a restart, never fail the SIP request
            return Optional.empty();
        }
    }
}
