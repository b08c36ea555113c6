package org.parley.gateway.wiring;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.parley.sip.SipEndpoint;
import org.parley.sip.config.HostPort;
import org.parley.sip.route.FrontEndReachability;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Whether the Lync front ends answer (the OPTIONS probe): UP when at least one target answered its last
 * probe, DOWN when every probed target failed, UNKNOWN before the first probe. Not part of readiness
 * ({@link GatewayHealth} says why); visible under {@code /actuator/health} as {@code frontEnds}, as the
 * metric {@code parley_sip_front_end_reachable{target}} (1 or 0) and as one log line per change.
 */
@Component("frontEnds")
public class FrontEndHealth implements HealthIndicator {

    private final SipEndpoint sip;

    public FrontEndHealth(SipEndpoint sip, MeterRegistry registry) {
        this.sip = sip;
        for (HostPort target : sip.route().targets()) {
            Gauge.builder("parley.sip.front.end.reachable", sip, s -> reachable(s.reachability(), target))
                    .description("1 when the front-end target answered its last OPTIONS probe").tag("target", target.toString())
                    .register(registry);
        }
    }

    private static double reachable(FrontEndReachability reachability, HostPort target) {
        FrontEndReachability.State s = reachability.states().get(target);
        return s != null && s.reachable() ? 1 : 0;
    }

    @Override
    public Health health() {
        Map<HostPort, FrontEndReachability.State> states = sip.reachability().states();
        Map<String, Object> details = new LinkedHashMap<>();
        states.forEach((target, s) -> details.put(target.toString(),
                Map.of("reachable", s.reachable(), "detail", s.detail(), "since", s.since().toString())));
        Health.Builder h = states.isEmpty() ? Health.unknown()
                : states.values().stream().anyMatch(FrontEndReachability.State::reachable) ? Health.up() : Health.down();
        return h.withDetails(details).build();
    }
}
