package org.parley.gateway.wiring;

import org.parley.sip.SipEndpoint;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Part of readiness: the gateway has started and a front-end target has answered (an OPTIONS probe
 * or any request) and is not failed now. Until then a load balancer should send nothing here.
 */
@Component("gateway")
public class GatewayHealth implements HealthIndicator {

    private final GatewayLifecycle lifecycle;
    private final SipEndpoint sip;
    private final XmppListeners listeners;

    public GatewayHealth(GatewayLifecycle lifecycle, SipEndpoint sip, XmppListeners listeners) {
        this.lifecycle = lifecycle;
        this.sip = sip;
        this.listeners = listeners;
    }

    @Override
    public Health health() {
        boolean frontEnd = sip.route().anyConfirmedHealthy();
        Health.Builder h = lifecycle.isRunning() && frontEnd ? Health.up() : Health.outOfService();
        return h.withDetail("started", lifecycle.isRunning())
                .withDetail("sipFrontEndAnswered", frontEnd)
                .withDetail("xmppPorts", listeners.ports())
                .build();
    }
}
