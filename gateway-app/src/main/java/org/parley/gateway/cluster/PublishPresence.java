package org.parley.gateway.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.io.Serializable;
import org.parley.gateway.routing.SipSide;
import org.parley.presence.model.Address;
import org.parley.presence.model.PresenceUpdate;

/** Presence for the SIP watchers another member holds dialogs for (to all of them, or to one watcher just approved). */
final class PublishPresence implements Runnable, Serializable, HazelcastInstanceAware {

    private static final long serialVersionUID = 1L;

    private final PresenceUpdate presence;
    private final Address watcher;
    private transient HazelcastInstance hz;

    PublishPresence(PresenceUpdate presence, Address watcher) {
        this.presence = presence;
        this.watcher = watcher;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.hz = hazelcastInstance;
    }

    @Override
    public void run() {
        SipSide sip = MemberContext.sip(hz);
        if (sip == null) {
            return; // still starting: it holds no watcher yet
        }
        if (watcher == null) {
            sip.publish(presence);
        } else {
            sip.publishTo(presence, watcher);
        }
    }
}
