package org.parley.gateway.routing;

import java.time.Clock;
import org.parley.gateway.store.RelationshipStore;
import org.parley.gateway.trace.TranslationTrace;
import org.parley.presence.model.Address;

/** What every bridge of the router works with: addresses, the store, the trace, the shared presence, both sides. */
record RoutingContext(Readdressing addresses, RelationshipStore relationships, TranslationTrace trace, Clock clock, WireForms wire,
                      PresenceBook presence, Clustering clustering, Sides sides) {

    static final String TO_SIP = "xmpp→sip";
    static final String TO_XMPP = "sip→xmpp";

    /** Where a relationship stands in {@code direction} (NONE when it is not stored, or stored the other way). */
    SubscriptionLifecycle.Authorization authorization(RelationshipStore.Direction direction, String watcher, String presentity) {
        return SubscriptionLifecycle.Authorization.of(relationships.find(watcher, presentity).filter(r -> r.direction() == direction)
                .map(RelationshipStore.Relationship::state).orElse(null));
    }

    /** An address as stored ({@code user@domain}) in the XMPP scheme, where both sides' users are kept. */
    static Address xmpp(String userAtDomain) {
        int at = userAtDomain.lastIndexOf('@');
        return Address.xmpp(at < 0 ? null : userAtDomain.substring(0, at), userAtDomain.substring(at + 1));
    }
}
