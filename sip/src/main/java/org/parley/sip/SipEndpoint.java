package org.parley.sip;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.sip.ListeningPoint;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.lync.CategoriesCodec;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatState;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.pidf.PidfCodec;
import org.parley.presence.xml.SafeXmlParser;
import org.parley.sip.config.SipDialect;
import org.parley.sip.config.SipEndpointConfig;
import org.parley.sip.config.SipTimers;
import org.parley.sip.config.SipTransport;
import org.parley.sip.im.ImSessionRegistry;
import org.parley.sip.im.ImSessions;
import org.parley.sip.im.OutgoingImSessions;
import org.parley.sip.im.PageModeMessaging;
import org.parley.sip.route.FrontEndReachability;
import org.parley.sip.route.FrontEndRoute;
import org.parley.sip.route.OptionsProbe;
import org.parley.sip.subscription.Notifier;
import org.parley.sip.subscription.PresencePackage;
import org.parley.sip.subscription.Subscriber;
import org.parley.sip.tls.RotatingTls;
import org.parley.sip.tls.TlsConfigurationException;
import org.parley.sip.transport.SipConnections;

/**
 * Parley's SIP endpoint: what the rest of Parley sees of the SIP side. It assembles the parts — the stack
 * ({@link SipStackHost}), the front ends' health ({@link FrontEndHealth}), the request dispatcher
 * ({@link SipDispatcher}), and the method handlers (page-mode and session IM, both subscription roles) — and sends
 * IM and typing in the dialect of the recipient's domain.
 */
public final class SipEndpoint implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SipEndpoint.class.getName());

    private final RotatingTls rotatingTls;
    private final SipEndpointConfig config;
    private final Consumer<String> securityLog;
    private final SipContext context;
    private final NonInviteTransactions nonInvite;
    private final PageModeMessaging messaging;
    private final ImSessions imSessions;
    private final OutgoingImSessions outgoingIm;
    private final ScheduledExecutorService timers;
    private final Subscriber subscriber;
    private final Notifier notifier;
    private final FrontEndHealth health;
    private final SipConnections connections;
    private final SipDispatcher dispatcher;
    private final SipStackHost host;

    /** An endpoint that hands its events to {@code inbound} and keeps no trace (tests, tools). */
    public SipEndpoint(SipEndpointConfig config, AddressMapper addresses, SipInbound inbound, Clock clock,
                       Consumer<String> securityLog) {
        this(config, addresses, SipSides.of(inbound), clock, securityLog, null);
    }

    public SipEndpoint(SipEndpointConfig config, AddressMapper addresses, SipSides sides, Clock clock, Consumer<String> securityLog) {
        this(config, addresses, sides, clock, securityLog, null);
    }

    /** @param rotatingTls when set, TLS identity and trust come from it (and follow its rotations) instead of {@code config.tls()} */
    public SipEndpoint(SipEndpointConfig config, AddressMapper addresses, SipSides sides, Clock clock,
                       Consumer<String> securityLog, RotatingTls rotatingTls) {
        this.rotatingTls = rotatingTls;
        this.config = config;
        this.securityLog = securityLog;
        FrontEndRoute route = new FrontEndRoute(config.frontEnds(), config.targetBackoff(), clock);
        this.context = new SipContext(config, addresses, route, new MessageFactoryImpl(), new HeaderFactoryImpl(),
                new AddressFactoryImpl());
        this.nonInvite = new NonInviteTransactions(request -> context.provider().sendRequest(request), config.requestTimeout(), "parley-sip-timer-f-" + config.listenPort());
        this.messaging = new PageModeMessaging(context, sides, nonInvite);
        ImSessionRegistry registry = new ImSessionRegistry();
        this.imSessions = new ImSessions(context, sides, clock, registry);
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-sip-timers-" + config.listenPort());
            t.setDaemon(true);
            return t;
        });
        SafeXmlParser xml = new SafeXmlParser();
        PresencePackage presence = new PresencePackage(new PidfCodec(xml, addresses), new CategoriesCodec(xml, addresses, clock),
                config.dialect() == SipDialect.LYNC, domain -> config.dialectFor(domain) == SipDialect.LYNC);
        SipTimers s = config.timers();
        this.subscriber = new Subscriber(context, presence, sides, timers, clock, s.subscribeExpires(), s.retryBackoff());
        this.notifier = new Notifier(context, presence, sides, timers, clock, s.minExpires(), s.maxExpires(), s.notifyInterval(), nonInvite);
        this.outgoingIm = new OutgoingImSessions(context, registry, timers, clock, s.imSessionIdle(), sides.tap());
        FrontEndReachability reachability = new FrontEndReachability(config.timers().optionsProbe(), clock);
        this.health = new FrontEndHealth(config, route, reachability, new OptionsProbe(context, sides.tap(), reachability), timers);
        this.connections = new SipConnections(clock);
        this.dispatcher = new SipDispatcher(context, sides.tap(), nonInvite, messaging, imSessions, outgoingIm, subscriber, notifier);
        this.host = new SipStackHost(config);
    }

    /**
     * Sends an IM from a user behind the gateway to a SIP user: in an IM session toward Lync
     * (reusing the pair's open session), as page-mode MESSAGE toward RFC servers. Completes with a
     * {@link org.parley.presence.model.Receipt} or a {@link org.parley.presence.model.GatewayError}.
     */
    public CompletableFuture<GatewayEvent> sendMessage(ChatMessage message) {
        return config.dialectFor(message.to().domain()) == SipDialect.LYNC ? outgoingIm.send(message) : messaging.send(message);
    }

    /** Typing toward a SIP user: Lync INFO KeyboardActivity in the open session, RFC 3994 isComposing MESSAGE otherwise. */
    public boolean sendChatState(ChatStateChange change) {
        if (config.dialectFor(change.to().domain()) == SipDialect.LYNC) {
            return outgoingIm.sendTyping(change);
        }
        if (change.state() == ChatState.GONE) {
            return false; // page mode has no session to leave
        }
        messaging.sendTyping(change);
        return true;
    }

    /** Lync IM sessions started by SIP users. */
    public ImSessions imSessions() {
        return imSessions;
    }

    /** Parley's own subscriptions (XMPP users watching SIP users). */
    public Subscriber subscriber() {
        return subscriber;
    }

    /** Subscriptions of SIP watchers to users behind the gateway. */
    public Notifier notifier() {
        return notifier;
    }

    public synchronized void start() throws SipStartException {
        if (host.running()) {
            return;
        }
        try {
            SSLContext tls = null;
            if (config.transport() == SipTransport.TLS) {
                Consumer<String> refusals = reason -> {
                    LOG.log(System.Logger.Level.WARNING, reason);
                    securityLog.accept(reason);
                };
                tls = rotatingTls != null ? rotatingTls.sslContext(refusals) : config.tls().sslContext(refusals);
            }
            health.resolveTargets();
            ListeningPoint lp = host.start(context, dispatcher, tls, connections, securityLog, dispatcher::refusedBelowTheListener);
            health.start(lp);
            LOG.log(System.Logger.Level.INFO, "SIP endpoint listening on " + config.transport() + " "
                    + config.listenAddress() + ":" + config.listenPort() + " as " + config.computerFqdn()
                    + " (pool " + config.poolFqdn() + "), front ends " + config.frontEnds());
        } catch (TlsConfigurationException e) {
            host.close();
            throw new SipStartException("TLS configuration: " + e.getMessage(), e);
        }
    }

    public PageModeMessaging messaging() {
        return messaging;
    }

    /** IMs (page mode and in sessions) that wait for their final response: a drain waits for these. */
    public int pendingMessages() {
        return messaging.pendingCount() + outgoingIm.pendingCount();
    }

    /** The SIP connections open now (both directions), with TLS details once negotiated. */
    public List<SipConnections.Connection> connections() {
        return connections.list();
    }

    public FrontEndRoute route() {
        return context.route();
    }

    /** What the OPTIONS probe learnt about each front-end target. */
    public FrontEndReachability reachability() {
        return health.reachability();
    }

    public SipEndpointConfig config() {
        return config;
    }

    /** Terminates the subscriptions Parley serves (NOTIFY terminated), then stops the stack. */
    @Override
    public synchronized void close() {
        if (host.running()) {
            notifier.terminateAll();
        }
        timers.shutdownNow();
        nonInvite.close();
        host.close();
    }
}
