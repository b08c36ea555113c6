package org.parley.gateway.cluster;

import java.io.Serializable;
import org.parley.presence.model.Address;
import org.parley.presence.model.PresenceUpdate;

/**
 * A presence change for the SIP watchers' dialogs other members hold: new presence for one watcher, an approval, or a
 * refusal. Sent on a Hazelcast topic, which delivers one member's messages in the order it published them: a user's
 * "away" then "busy" is never applied the other way round elsewhere, nor an approval after a refusal.
 *
 * @param presence  the presence ({@code PUBLISH}), the current state ({@code AUTHORIZE}, may be null), or null ({@code REJECT})
 */
record PublishPresence(Kind kind, Address presentity, Address watcher, PresenceUpdate presence) implements Serializable {

    enum Kind { PUBLISH, AUTHORIZE, REJECT }
}
