package org.parley.sip;

import gov.nist.javax.sip.ListeningPointExt;
import java.io.IOException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sip.ListeningPoint;
import org.parley.sip.config.HostPort;
import org.parley.sip.config.SipEndpointConfig;
import org.parley.sip.route.FrontEndReachability;
import org.parley.sip.route.FrontEndRoute;
import org.parley.sip.route.OptionsProbe;
import org.parley.sip.route.PoolResolver;

/**
 * Which front ends Parley can use: the pool's name resolved to one target per address (Lync pools are DNS
 * load-balanced), CRLF keep-alives on the open connections, and OPTIONS now and then. Failures mark a target down in
 * the {@link FrontEndRoute}; answers bring it back.
 */
final class FrontEndHealth {

    private static final System.Logger LOG = System.getLogger(FrontEndHealth.class.getName());

    private final SipEndpointConfig config;
    private final FrontEndRoute route;
    private final FrontEndReachability reachability;
    private final OptionsProbe probe;
    private final ScheduledExecutorService timers;

    FrontEndHealth(SipEndpointConfig config, FrontEndRoute route, FrontEndReachability reachability, OptionsProbe probe,
                   ScheduledExecutorService timers) {
        this.config = config;
        this.route = route;
        this.reachability = reachability;
        this.probe = probe;
        this.timers = timers;
    }

    FrontEndReachability reachability() {
        return reachability;
    }

    /**
     * Front-end targets given by name (the pool FQDN) become one target per A/AAAA record: Lync pools are DNS
     * load-balanced. IP literals stay as they are.
     */
    void resolveTargets() throws SipStartException {
        List<HostPort> out = new ArrayList<>();
        for (HostPort t : config.frontEnds()) {
            if (isIpLiteral(t.host())) {
                out.add(t);
                continue;
            }
            try {
                List<HostPort> resolved = PoolResolver.system().resolve(t.host(), t.port());
                LOG.log(System.Logger.Level.INFO, "front-end pool " + t.host() + " resolved to " + resolved);
                out.addAll(resolved);
            } catch (UnknownHostException e) {
                throw new SipStartException(e.getMessage(), e);
            }
        }
        route.replaceTargets(out);
    }

    /** Starts the keep-alive on {@code lp} and the OPTIONS probe, each unless configured off ({@code 0s}). */
    void start(ListeningPoint lp) {
        startKeepAlive(lp);
        startProbe();
    }

    /**
     * RFC 5626 §4.4.1 CRLF keep-alive toward every healthy front-end target, so idle TLS
     * connections survive NATs and load balancers and a dead peer is noticed between requests.
     */
    private void startKeepAlive(ListeningPoint lp) {
        long every = config.timers().keepAlive().toMillis();
        if (every <= 0 || !(lp instanceof ListeningPointExt ext)) {
            return;
        }
        timers.scheduleWithFixedDelay(() -> {
            for (HostPort t : route.targets()) {
                if (route.isHealthy(t)) {
                    try {
                        ext.sendHeartbeat(t.host(), t.port());
                    } catch (IOException | RuntimeException e) {
                        reachability.unreachable(t, e);
                        route.markFailed(t);
                    }
                }
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /** OPTIONS to every target now and then every {@code optionsProbe}: the front ends' health. */
    private void startProbe() {
        long every = config.timers().optionsProbe().toMillis();
        if (every <= 0) {
            return;
        }
        timers.scheduleWithFixedDelay(() -> {
            try {
                probe.probeAll();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "OPTIONS probe failed: " + e.getMessage());
            }
        }, 0, every, TimeUnit.MILLISECONDS);
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }
}
