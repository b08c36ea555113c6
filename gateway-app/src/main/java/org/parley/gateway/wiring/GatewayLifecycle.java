package org.parley.gateway.wiring;

import org.parley.gateway.cluster.GatewayCluster;
import org.parley.gateway.routing.Router;
import org.parley.gateway.routing.SipSide;
import org.parley.sip.SipEndpoint;
import org.parley.sip.SipStartException;
import org.parley.xmpp.s2s.OutboundStreams;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Starts the gateway once everything is built — router connected to both sides, SIP endpoint,
 * s2s listeners, then the SIP subscriptions the store says Parley owns — and stops it in reverse:
 * SIP watchers are told (NOTIFY terminated), streams close cleanly.
 */
@Component
public class GatewayLifecycle implements SmartLifecycle {

    private static final System.Logger LOG = System.getLogger(GatewayLifecycle.class.getName());

    private final Router router;
    private final SipEndpoint sip;
    private final OutboundStreams outbound;
    private final XmppListeners listeners;
    private final ComponentLinks components;
    private volatile boolean running;
    /** How long a drain waits for IMs in flight; within the chart's terminationGracePeriodSeconds (60). */
    private static final java.time.Duration DRAIN = java.time.Duration.ofSeconds(20);

    private final GatewayCluster cluster;
    private final org.parley.gateway.trace.TranslationTrace trace;

    public GatewayLifecycle(Router router, SipEndpoint sip, OutboundStreams outbound, XmppListeners listeners, ComponentLinks components,
                            org.springframework.beans.factory.ObjectProvider<GatewayCluster> cluster,
                            org.parley.gateway.trace.TranslationTrace trace) {
        this.cluster = cluster.getIfAvailable();
        this.trace = trace;
        this.components = components;
        this.router = router;
        this.sip = sip;
        this.outbound = outbound;
        this.listeners = listeners;
    }

    @Override
    public void start() {
        // component mode replaces s2s for outgoing traffic: the internal XMPP server federates
        SipSide localSip = new SipEndpointSide(sip);
        router.connect(components.enabled() ? components : outbound::send, cluster == null ? localSip : cluster.sipSide(localSip));
        try {
            sip.start();
        } catch (SipStartException e) {
            throw new IllegalStateException("the SIP side cannot start: " + e.getMessage(), e);
        }
        listeners.start();
        components.start();
        outbound.startKeepAlive(java.time.Duration.ofMinutes(1), java.time.Duration.ofMinutes(10));
        int restored = router.restoreSubscriptions();
        if (cluster != null) {
            cluster.started(router, localSip, sip.notifier(), trace, () -> new org.parley.gateway.cluster.MemberReport(cluster.memberName(), true,
                    router.heldSubscriptions(), sip.subscriber().size(), sip.notifier().size(), sip.imSessions().size(), trace.recorded(),
                    router.forwarded()));
        }
        running = true;
        LOG.log(System.Logger.Level.INFO, "Parley is up: SIP " + sip.config().listenAddress() + ":" + sip.config().listenPort()
                + " → front ends " + sip.config().frontEnds() + ", XMPP s2s " + listeners.ports()
                + (components.enabled() ? ", XMPP components " + components.states().keySet() : "") + ", " + restored + " SIP subscriptions restored");
    }

    /**
     * Drain (SIGTERM): readiness turns false, no new XMPP streams are accepted, XMPP watchers get
     * unavailable presence and the SIP subscriptions behind them end, SIP watchers get NOTIFY
     * terminated, IMs in flight get their outcome (up to the drain bound), then the streams close
     * with a stream end and the SIP stack stops. Whatever is still queued is answered with an error.
     */
    @Override
    public void stop() {
        running = false;
        listeners.close();
        try {
            if (cluster != null) {
                // the other members take over: XMPP watchers are not told unavailable, SIP watchers come back elsewhere
                cluster.stopRehoming();
                int handed = router.handOver();
                sip.notifier().terminateAll();
                cluster.leave();
                LOG.log(System.Logger.Level.INFO, "draining: " + handed + " SIP subscriptions handed over to the cluster, SIP watchers notified");
            } else {
                int ended = router.goingAway();
                sip.notifier().terminateAll();
                LOG.log(System.Logger.Level.INFO, "draining: " + ended + " XMPP watchers told unavailable, SIP watchers notified");
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not end every subscription cleanly: " + e.getMessage());
        }
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while ((sip.pendingMessages() > 0 || outbound.pendingCount() > 0) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (sip.pendingMessages() > 0 || outbound.pendingCount() > 0) {
            LOG.log(System.Logger.Level.WARNING, "drain bound reached: " + sip.pendingMessages() + " SIP and " + outbound.pendingCount()
                    + " XMPP stanzas still waiting are answered with an error");
        }
        components.close();
        outbound.close();
        sip.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
