package org.parley.gateway.routing;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.presence.model.Address;
import org.parley.presence.model.PresenceUpdate;

/**
 * The latest presence of each user seen on either side, by bare address: what probes and first NOTIFYs are
 * answered from. Live state only — it is rebuilt from the next presence each side sends.
 */
public interface PresenceBook {

    void put(PresenceUpdate p);

    Optional<PresenceUpdate> get(Address user);

    /** One gateway's book, in its heap. */
    static PresenceBook inMemory() {
        Map<String, PresenceUpdate> latest = new ConcurrentHashMap<>();
        return new PresenceBook() {
            @Override
            public void put(PresenceUpdate p) {
                latest.put(key(p.from()), p);
            }

            @Override
            public Optional<PresenceUpdate> get(Address user) {
                return Optional.ofNullable(latest.get(key(user)));
            }
        };
    }

    static String key(Address a) {
        return a.scheme() + ":" + a.userAtDomain();
    }
}
