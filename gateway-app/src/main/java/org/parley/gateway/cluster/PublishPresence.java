package org.parley.gateway.cluster;

import java.io.Serializable;
import org.parley.presence.model.Address;
import org.parley.presence.model.PresenceUpdate;

/**
 * Presence for the SIP watchers other members hold dialogs for: to all of them, or to one watcher just approved
 * ({@code watcher} non-null). Sent on a Hazelcast topic, which delivers one member's messages in the order it
 * published them: a user's "away" then "busy" is never applied the other way round elsewhere.
 */
record PublishPresence(PresenceUpdate presence, Address watcher) implements Serializable {
}
