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

    ClusterPresenceBook(IMap<String, PresenceUpdate> latest) {
        this.latest = latest;
    }

    @Override
    public void put(PresenceUpdate p) {
        // asynchronous: the routing thread does not wait for the partition owner and its backup
        latest.setAsync(PresenceBook.key(p.from()), p);
    }

    @Override
    public Optional<PresenceUpdate> get(Address user) {
        return Optional.ofNullable(latest.get(PresenceBook.key(user)));
    }
}
