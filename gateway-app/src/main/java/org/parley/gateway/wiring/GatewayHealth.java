package org.parley.gateway.wiring;

import org.parley.sip.SipEndpoint;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Part of readiness: the gateway has started, the SIP side has a front-end target it has not
 * given up on, and the XMPP side is listening. Until then a load balancer should send nothing here.
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
        Health.Builder h = lifecycle.isRunning() && sip.route().anyHealthy() ? Health.up() : Health.outOfService();
        return h.withDetail("started", lifecycle.isRunning())
                .withDetail("sipFrontEndReachable", sip.route().anyHealthy())
                .withDetail("xmppPorts", listeners.ports())
                .build();
    }
}
