package org.parley.gateway.cluster;

import com.hazelcast.map.IMap;
import org.parley.gateway.routing.ContactPresence;
import org.parley.gateway.routing.PresenceBook;
import org.parley.presence.model.Address;
import org.parley.presence.model.PresenceUpdate;

/**
 * The latest presence per (user, contact), shared: a SUBSCRIBE, approval or probe answered by any member sees presence
 * that arrived at another. Live state (one backup copy): lost only with two members at once, then rebuilt from the next
 * presence of each user. One (user, contact) pair's presence arrives in order on one stream, so a read-modify-write per
 * stanza is not raced by another member.
 */
final class ClusterPresenceBook implements PresenceBook {

    private final IMap<String, ContactPresence> latest;
    private final java.util.function.BooleanSupplier running;

    /** @param running whether the member is still in the cluster (a draining member answers without the shared book) */
    ClusterPresenceBook(IMap<String, ContactPresence> latest, java.util.function.BooleanSupplier running) {
        this.latest = latest;
        this.running = running;
    }

    @Override
    public ContactPresence record(PresenceUpdate p) {
        String key = PresenceBook.key(p.from(), p.to());
        ContactPresence now = get(p.from(), p.to()).with(p);
        if (running.getAsBoolean()) {
            try {
                // asynchronous: the routing thread does not wait for the partition owner and its backup
                if (now.isEmpty()) {
                    latest.deleteAsync(key); // nothing available: nothing kept
                } else {
                    latest.setAsync(key, now);
                }
            } catch (RuntimeException leaving) {
                // this member is leaving: the members that stay get the next presence themselves
            }
        }
        return now;
    }

    @Override
    public ContactPresence get(Address user, Address contact) {
        if (!running.getAsBoolean()) {
            return ContactPresence.NONE; // offline until the next presence, as after a restart
        }
        try {
            ContactPresence p = latest.get(PresenceBook.key(user, contact));
            return p == null ? ContactPresence.NONE : p;
        } catch (RuntimeException unavailable) {
            // leaving, or the partition's owner just died: answer as after a restart, never fail the SIP request
            return ContactPresence.NONE;
        }
    }

    @Override
    public void forget(Address user, Address contact) {
        if (running.getAsBoolean()) {
            try {
                latest.delete(PresenceBook.key(user, contact));
            } catch (RuntimeException leaving) {
                // nothing shared to forget any more
            }
        }
    }
}
