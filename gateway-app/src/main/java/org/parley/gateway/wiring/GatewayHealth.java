package org.parley.gateway.wiring;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness: the gateway has started — the SIP and XMPP listeners are bound and the store is open — so it
 * answers whatever reaches it. It does not wait for a front end: with Lync away, XMPP partners still get
 * Parley's error stanzas (and presence from the store) instead of connection failures, and a Kubernetes
 * Service keeps its endpoints. Front-end reachability is {@link FrontEndHealth}, shown beside this.
 */
@Component("gateway")
public class GatewayHealth implements HealthIndicator {

    private final GatewayLifecycle lifecycle;
    private final XmppListeners listeners;

    public GatewayHealth(GatewayLifecycle lifecycle, XmppListeners listeners) {
        this.lifecycle = lifecycle;
        this.listeners = listeners;
    }

    @Override
    public Health health() {
        Health.Builder h = lifecycle.isRunning() ? Health.up() : Health.outOfService();
        return h.withDetail("started", lifecycle.isRunning()).withDetail("xmppPorts", listeners.ports()).build();
    }
}
