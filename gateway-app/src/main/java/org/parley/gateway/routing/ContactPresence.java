package org.parley.gateway.routing;

import java.util.HashMap;
import java.util.Map;
import org.parley.presence.aggregate.PresenceAggregator;
import org.parley.presence.model.Address;
import org.parley.presence.model.Availability;
import org.parley.presence.model.PresenceUpdate;

/**
 * What one user's side last sent one contact: the presence of each of the user's resources (XMPP) or endpoints, by
 * resource. One resource going unavailable removes that resource only; the others' state stays (RFC 6121 §4.5).
 *
 * @param byResource the latest available presence of each resource ({@code ""} for presence from the bare address)
 */
public record ContactPresence(Map<String, PresenceUpdate> byResource) implements java.io.Serializable {

    public static final ContactPresence NONE = new ContactPresence(Map.of());

    public ContactPresence {
        byResource = Map.copyOf(byResource);
    }

    /** The most resources kept per contact: a user has a few devices; a sender inventing resources gets no more room. */
    public static final int MAX_RESOURCES = 16;

    /**
     * With one more presence from a resource: available replaces that resource's state, unavailable removes it. A new
     * resource beyond {@link #MAX_RESOURCES} is not kept.
     */
    public ContactPresence with(PresenceUpdate p) {
        String resource = p.from().instance() == null ? "" : p.from().instance();
        if (p.availability() != Availability.OFFLINE && !byResource.containsKey(resource) && byResource.size() >= MAX_RESOURCES) {
            return this;
        }
        Map<String, PresenceUpdate> next = new HashMap<>(byResource);
        if (p.availability() == Availability.OFFLINE) {
            if (resource.isEmpty()) {
                next.clear(); // unavailable from the bare address: the user, all resources, went away
            } else {
                next.remove(resource);
            }
        } else {
            next.put(resource, p.withTo(null));
        }
        return new ContactPresence(next);
    }

    /**
     * What the contact sees of the user: the resources aggregated by {@link PresenceAggregator} (priority, then
     * availability, deterministic), or unavailable when no resource is available.
     */
    public PresenceUpdate aggregate(Address user) {
        if (byResource.isEmpty()) {
            return PresenceUpdate.of(user.bare(), Availability.OFFLINE);
        }
        return PresenceAggregator.aggregate(java.util.List.copyOf(byResource.values()));
    }

    public boolean isEmpty() {
        return byResource.isEmpty();
    }
}
