package org.parley.gateway.routing;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.presence.model.Address;
import org.parley.presence.model.PresenceUpdate;

/** The latest presence of each user seen on either side, by bare address: what probes and first NOTIFYs are answered from. */
final class PresenceBook {

    private final Map<String, PresenceUpdate> latest = new ConcurrentHashMap<>();

    void put(PresenceUpdate p) {
        latest.put(key(p.from()), p);
    }

    Optional<PresenceUpdate> get(Address user) {
        return Optional.ofNullable(latest.get(key(user)));
    }

    int size() {
        return latest.size();
    }

    private static String key(Address a) {
        return a.scheme() + ":" + a.userAtDomain();
    }
}
