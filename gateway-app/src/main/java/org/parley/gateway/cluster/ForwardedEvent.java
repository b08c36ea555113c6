package org.parley.gateway.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.io.Serializable;
import java.util.concurrent.Callable;
import org.parley.gateway.routing.Router;
import org.parley.presence.model.GatewayEvent;

/** An XMPP-side event on its way to the member that owns it; true once that member's router has it. */
final class ForwardedEvent implements Callable<Boolean>, Serializable, HazelcastInstanceAware {

    private static final long serialVersionUID = 1L;

    private final GatewayEvent event;
    private final String rawStanza;
    private transient HazelcastInstance hz;

    ForwardedEvent(GatewayEvent event, String rawStanza) {
        this.event = event;
        this.rawStanza = rawStanza;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.hz = hazelcastInstance;
    }

    @Override
    public Boolean call() {
        MemberServices services = MemberServices.of(hz);
        Router router = services == null ? null : services.router();
        if (router == null) {
            return false; // the owner is still starting: the sender handles it
        }
        try {
            // answered only once handled: if this member dies meanwhile, the sender handles the event itself
            router.onForwarded(event, rawStanza).toCompletableFuture().get();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true; // handled, with an error the router already answered
        }
    }
}
