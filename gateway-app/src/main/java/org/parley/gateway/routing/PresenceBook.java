package org.parley.gateway.routing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.parley.presence.model.Address;
import org.parley.presence.model.PresenceUpdate;

/**
 * The latest presence each user's side sent each contact, per resource, keyed by (user, contact) in the XMPP address
 * scheme: what first NOTIFYs, approvals and probes are answered from. Per contact, never per user: presence one
 * contact may see is never answered to another. Live state only — rebuilt from the next presence each side sends.
 */
public interface PresenceBook {

    /**
     * Records presence {@code p} sent by one resource of {@code p.from()} to {@code p.to()} (required), and returns
     * what that contact now has of the user.
     */
    ContactPresence record(PresenceUpdate p);

    ContactPresence get(Address user, Address contact);

    /** Forgets what the contact had of the user (the user refused or revoked the contact). */
    void forget(Address user, Address contact);

    /** One gateway's book, in its heap. */
    static PresenceBook inMemory() {
        Map<String, ContactPresence> latest = new ConcurrentHashMap<>();
        return new PresenceBook() {
            @Override
            public ContactPresence record(PresenceUpdate p) {
                ContactPresence[] now = {ContactPresence.NONE};
                latest.compute(key(p.from(), p.to()), (k, cur) -> {
                    now[0] = (cur == null ? ContactPresence.NONE : cur).with(p);
                    return now[0].isEmpty() ? null : now[0]; // nothing available: nothing kept
                });
                return now[0];
            }

            @Override
            public ContactPresence get(Address user, Address contact) {
                return latest.getOrDefault(key(user, contact), ContactPresence.NONE);
            }

            @Override
            public void forget(Address user, Address contact) {
                latest.remove(key(user, contact));
            }
        };
    }

    /** @throws IllegalArgumentException for presence without a contact: there is no broadcast */
    static String key(Address user, Address contact) {
        if (contact == null) {
            throw new IllegalArgumentException("presence of " + user + " without a contact");
        }
        return user.userAtDomain() + ">" + contact.userAtDomain();
    }
}
