package org.parley.sip;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.time.Clock;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.TooManyListenersException;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import gov.nist.javax.sip.ListeningPointExt;
import javax.sip.ListeningPoint;
import javax.sip.ObjectInUseException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.concurrent.CompletableFuture;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.GatewayEvent;
import org.parley.sip.config.SipEndpointConfig;
import org.parley.sip.config.SipDialect;
import org.parley.sip.config.SipTransport;
import org.parley.sip.config.SipTimers;
import org.parley.sip.subscription.Notifier;
import org.parley.sip.subscription.PresencePackage;
import org.parley.sip.subscription.Subscriber;
import org.parley.presence.lync.CategoriesCodec;
import org.parley.presence.pidf.PidfCodec;
import org.parley.presence.xml.SafeXmlParser;
import org.parley.sip.im.ImSessionRegistry;
import org.parley.sip.im.ImSessions;
import org.parley.sip.im.OutgoingImSessions;
import org.parley.sip.im.PageModeMessaging;
import org.parley.sip.config.HostPort;
import org.parley.sip.route.FrontEndRoute;
import org.parley.sip.transport.StrictMessageParserFactory;
import org.parley.sip.transport.StrictSyntax;
import org.parley.sip.route.PoolResolver;
import org.parley.sip.tls.TlsConfigurationException;
import org.parley.sip.tls.TlsMaterial;
import org.parley.sip.transport.NoDelayNetworkLayer;
import org.parley.sip.transport.ArrivalConnection;
import org.parley.sip.transport.SipStacks;

/**
 * Parley's SIP endpoint: one JAIN-SIP stack with one listening point (TLS by default), the static
 * route to the front end, and the method handlers. Requests are dispatched by method; everything
 * Parley does not implement is answered 501 (never silence), except what must not be answered.
 */
public final class SipEndpoint implements SipListener, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SipEndpoint.class.getName());

    private final org.parley.sip.tls.RotatingTls rotatingTls;
    private final SipEndpointConfig config;
    private final Consumer<String> securityLog;
    private final SipContext context;
    private final SipInbound inbound;
    private final PageModeMessaging messaging;
    private final ImSessions imSessions;
    private final OutgoingImSessions outgoingIm;
    private final ScheduledExecutorService timers;
    private final Subscriber subscriber;
    private final Notifier notifier;
    private final org.parley.sip.route.OptionsProbe probe;
    private final org.parley.sip.route.FrontEndReachability reachability;
    private final org.parley.sip.transport.SipConnections connections;
    private javax.sip.SipStack stack;
    private SipProvider provider;

    public SipEndpoint(SipEndpointConfig config, AddressMapper addresses, SipInbound inbound, Clock clock,
                       Consumer<String> securityLog) {
        this(config, addresses, inbound, clock, securityLog, null);
    }

    /** @param rotatingTls when set, TLS identity and trust come from it (and follow its rotations) instead of {@code config.tls()} */
    public SipEndpoint(SipEndpointConfig config, AddressMapper addresses, SipInbound inbound, Clock clock,
                       Consumer<String> securityLog, org.parley.sip.tls.RotatingTls rotatingTls) {
        this.rotatingTls = rotatingTls;
        this.config = config;
        this.securityLog = securityLog;
        this.inbound = inbound;
        FrontEndRoute route = new FrontEndRoute(config.frontEnds(), config.targetBackoff(), clock);
        this.context = new SipContext(config, addresses, route, new MessageFactoryImpl(), new HeaderFactoryImpl(),
                new AddressFactoryImpl());
        this.messaging = new PageModeMessaging(context, inbound);
        ImSessionRegistry registry = new ImSessionRegistry();
        this.imSessions = new ImSessions(context, inbound, clock, registry);
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-sip-timers-" + config.listenPort());
            t.setDaemon(true);
            return t;
        });
        SafeXmlParser xml = new SafeXmlParser();
        PresencePackage presence = new PresencePackage(new PidfCodec(xml, addresses), new CategoriesCodec(xml, addresses, clock),
                config.dialect() == SipDialect.LYNC, domain -> config.dialectFor(domain) == SipDialect.LYNC);
        SipTimers s = config.timers();
        this.subscriber = new Subscriber(context, presence, inbound, timers, clock, s.subscribeExpires(), s.retryBackoff());
        this.notifier = new Notifier(context, presence, inbound, timers, clock, s.minExpires(), s.maxExpires(), s.notifyInterval());
        this.outgoingIm = new OutgoingImSessions(context, registry, timers, clock, s.imSessionIdle(), inbound);
        this.reachability = new org.parley.sip.route.FrontEndReachability(config.timers().optionsProbe(), clock);
        this.probe = new org.parley.sip.route.OptionsProbe(context, inbound, reachability);
        this.connections = new org.parley.sip.transport.SipConnections(clock);
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
        if (change.state() == org.parley.presence.model.ChatState.GONE) {
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
        if (stack != null) {
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
            NoDelayNetworkLayer layer = new NoDelayNetworkLayer(tls, TlsMaterial.protocols(),
                    (int) config.connectTimeout().toMillis(), connections);
            context.route().replaceTargets(resolveTargets());
            stack = SipStacks.create(stackProperties(), layer, securityLog, this::refusedBelowTheListener);
            ListeningPoint lp = stack.createListeningPoint(config.listenAddress(), config.listenPort(), config.transport().jainName());
            provider = stack.createSipProvider(lp);
            provider.addSipListener(this);
            context.attach(provider);
            stack.start();
            startKeepAlive(lp);
            startProbe();
            LOG.log(System.Logger.Level.INFO, "SIP endpoint listening on " + config.transport() + " "
                    + config.listenAddress() + ":" + config.listenPort() + " as " + config.computerFqdn()
                    + " (pool " + config.poolFqdn() + "), front ends " + config.frontEnds());
        } catch (TlsConfigurationException e) {
            closeQuietly();
            throw new SipStartException("TLS configuration: " + e.getMessage(), e);
        } catch (javax.sip.PeerUnavailableException | javax.sip.TransportNotSupportedException
                 | javax.sip.InvalidArgumentException | ObjectInUseException | TooManyListenersException e) {
            closeQuietly();
            throw new SipStartException("cannot listen on " + config.transport() + " " + config.listenAddress() + ":"
                    + config.listenPort() + ": " + e.getMessage(), e);
        } catch (SipException e) {
            closeQuietly();
            throw new SipStartException("cannot start the SIP stack: " + e.getMessage(), e);
        }
    }

    /**
     * Front-end targets given by name (the pool FQDN) become one target per A/AAAA record:
     * Lync pools are DNS load-balanced. IP literals stay as they are.
     */
    private List<HostPort> resolveTargets() throws SipStartException {
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
        return out;
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
            for (HostPort t : context.route().targets()) {
                if (context.route().isHealthy(t)) {
                    try {
                        ext.sendHeartbeat(t.host(), t.port());
                    } catch (java.io.IOException | RuntimeException e) {
                        reachability.unreachable(t, e);
                        context.route().markFailed(t);
                    }
                }
            }
        }, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
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
        }, 0, every, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    public PageModeMessaging messaging() {
        return messaging;
    }

    /** IMs (page mode and in sessions) that wait for their final response: a drain waits for these. */
    public int pendingMessages() {
        return messaging.pendingCount() + outgoingIm.pendingCount();
    }

    /** The SIP connections open now (both directions), with TLS details once negotiated. */
    public java.util.List<org.parley.sip.transport.SipConnections.Connection> connections() {
        return connections.list();
    }

    public FrontEndRoute route() {
        return context.route();
    }

    /** What the OPTIONS probe learnt about each front-end target. */
    public org.parley.sip.route.FrontEndReachability reachability() {
        return reachability;
    }

    public SipEndpointConfig config() {
        return config;
    }

    /** Terminates the subscriptions Parley serves (NOTIFY terminated), then stops the stack. */
    @Override
    public synchronized void close() {
        if (stack != null) {
            notifier.terminateAll();
        }
        timers.shutdownNow();
        closeQuietly();
    }

    // ------------------------------------------------------------------ SipListener

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        try {
            inbound.onRequestWire(StrictMessageParserFactory.wireOf(request));
            defaultMaxForwards(request);
            StrictSyntax.Violation violation = StrictMessageParserFactory.violationOf(request);
            int unserved = MethodPolicy.refusal(request.getMethod());
            if (violation != null && !(violation.methodFirst() && unserved != 0)) {
                refuse(event, new RequestInspection.Refusal(violation.status(), List.of(), violation.reason(), violation.original()));
                if (violation.closesConnection()) {
                    ArrivalConnection.close(request); // the stream's framing is lost: what follows cannot be read as messages
                }
                return;
            }
            if (unserved != 0) {
                answer(event, unserved); // §8.2.1: the method first, with Allow, before §8.2.2's 416 / 420
                return;
            }
            RequestInspection.Refusal refusal = RequestInspection.inspect(request);
            if (refusal != null) {
                refuse(event, refusal);
                return;
            }
            switch (request.getMethod()) {
                case Request.MESSAGE -> {
                    if (imSessions.owns(request)) {
                        imSessions.onMessage(event);
                    } else {
                        messaging.onRequest(event);
                    }
                }
                case Request.INVITE -> imSessions.onInvite(event);
                case Request.INFO -> imSessions.onInfo(event);
                case Request.BYE -> imSessions.onBye(event);
                case Request.SUBSCRIBE -> notifier.onSubscribe(event);
                case Request.NOTIFY -> subscriber.onNotify(event, true);
                case "BENOTIFY" -> subscriber.onNotify(event, false); // [MS-SIPRE]: never answered
                case Request.OPTIONS -> answer(event, Response.OK);
                // INVITEs are answered at once, so a CANCEL finds nothing left to cancel (RFC 3261 §9.2: 200 anyway)
                case Request.CANCEL -> answer(event, Response.OK);
                case Request.ACK -> {
                    // nothing to answer
                }
                default -> answer(event, Response.NOT_IMPLEMENTED); // not reached: MethodPolicy answered it
            }
        } catch (RuntimeException e) {
            // A handler bug must not leave the peer waiting — except where no answer is allowed.
            LOG.log(System.Logger.Level.ERROR, "failed to handle " + request.getMethod(), e);
            if (!"BENOTIFY".equals(request.getMethod()) && !Request.ACK.equals(request.getMethod())) {
                answer(event, Response.SERVER_INTERNAL_ERROR);
            }
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        CSeqHeader cseq = (CSeqHeader) event.getResponse().getHeader(CSeqHeader.NAME);
        String method = cseq == null ? "" : cseq.getMethod();
        switch (method) {
            case Request.SUBSCRIBE -> subscriber.onResponse(event);
            case Request.NOTIFY -> notifier.onResponse(event);
            case Request.INVITE, Request.BYE, Request.INFO -> outgoingIm.onResponse(event);
            case Request.OPTIONS -> probe.onResponse(event);
            default -> {
                if (outgoingIm.owns(event.getClientTransaction())) {
                    outgoingIm.onResponse(event);
                } else {
                    messaging.onResponse(event);
                }
            }
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (!event.isServerTransaction()) {
            var ct = event.getClientTransaction();
            if (!probe.onFailure(ct) && !outgoingIm.onTimeout(ct) && !subscriber.onTimeout(ct) && !notifier.onTimeout(ct)) {
                messaging.onTimeout(ct);
            }
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        LOG.log(System.Logger.Level.WARNING, "SIP I/O failure toward " + event.getHost() + ":" + event.getPort()
                + " (" + event.getTransport() + ")");
        messaging.onIOException(event.getHost(), event.getPort());
    }

    /**
     * JAIN-SIP ends a transaction that hit an I/O error as TERMINATED, with no TimeoutEvent: every
     * owner treats a transaction that ends without a final response like a timeout, so nothing
     * waits forever and nothing leaks.
     */
    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        if (!event.isServerTransaction()) {
            var ct = event.getClientTransaction();
            if (!probe.onFailure(ct) && !outgoingIm.onTimeout(ct) && !subscriber.onTimeout(ct) && !notifier.onTimeout(ct)) {
                messaging.onTerminated(ct);
            }
        }
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        // dialogs are Parley's own compact records, not JAIN-SIP dialogs
    }

    /** RFC 2543 peers may omit Max-Forwards (RFC 4475 §3.4.1); without it JAIN-SIP builds no server transaction and the peer waits forever. */
    private void defaultMaxForwards(Request request) {
        if (request.getHeader(javax.sip.header.MaxForwardsHeader.NAME) == null) {
            try {
                request.addHeader(context.headers().createMaxForwardsHeader(70));
            } catch (javax.sip.InvalidArgumentException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    /** 400 / 505 / 416 / 420 before any handler runs; a 420 lists what Parley does not support (RFC 3261 §8.2.2.3). */
    private void refuse(RequestEvent event, RequestInspection.Refusal refusal) {
        Request request = event.getRequest();
        LOG.log(System.Logger.Level.INFO, "refused " + request.getMethod() + " " + request.getRequestURI() + " with " + refusal.status()
                + ": " + refusal.reason());
        boolean answered = !"BENOTIFY".equals(request.getMethod()) && !Request.ACK.equals(request.getMethod()); // [MS-SIPRE], §17.2.3
        if (answered) {
            try {
                Response r = context.messages().createResponse(refusal.status(), request);
                for (String tag : refusal.unsupported()) {
                    r.addHeader(context.headers().createUnsupportedHeader(tag));
                }
                if (refusal.status() == Response.UNSUPPORTED_MEDIA_TYPE) {
                    r.addHeader(context.headers().createAcceptEncodingHeader(RequestInspection.ACCEPTED_ENCODING));
                }
                ServerTransaction st = event.getServerTransaction();
                if (st == null) {
                    try {
                        st = provider.getNewServerTransaction(request);
                    } catch (javax.sip.TransactionUnavailableException | javax.sip.TransactionAlreadyExistsException | RuntimeException e) {
                        // JAIN-SIP builds no transaction for some malformed requests (an INVITE without Contact): answer
                        // statelessly, on the connection it came in on (RFC 3261 §18.2.2), not by the Via
                        org.parley.sip.transport.ArrivalConnection.answerStatelessly(request, r);
                        st = null;
                    }
                }
                if (st != null) {
                    st.sendResponse(r);
                }
            } catch (Exception e) {
                answered = false;
                LOG.log(System.Logger.Level.WARNING, "could not answer " + request.getMethod() + " with " + refusal.status() + ": " + e.getMessage());
            }
        }
        SipRefusal record = SipRefusal.of(request, answered ? refusal.status() : 0, refusal.status() + ": " + refusal.reason());
        // as it arrived, not JAIN-SIP's re-encoding nor the stand-ins it was parsed with
        refusedBelowTheListener(refusal.original() != null ? record.withRaw(refusal.original()) : record);
    }

    /** Tells the rest of Parley (the trace); a failing listener must not cost the SIP thread. */
    private void refusedBelowTheListener(SipRefusal refusal) {
        try {
            inbound.onRefused(refusal);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "failed to record a refused request", e);
        }
    }

    private void answer(RequestEvent event, int status) {
        try {
            ServerTransaction st = event.getServerTransaction();
            if (st == null) {
                st = provider.getNewServerTransaction(event.getRequest());
            }
            Response response = context.messages().createResponse(status, event.getRequest());
            boolean saysWhatIsServed = status == Response.METHOD_NOT_ALLOWED || status == Response.NOT_IMPLEMENTED
                    || status == Response.OK && Request.OPTIONS.equals(event.getRequest().getMethod());
            if (saysWhatIsServed) {
                for (String method : MethodPolicy.allow()) {
                    response.addHeader(context.headers().createAllowHeader(method));
                }
            }
            if (status == Response.OK && Request.OPTIONS.equals(event.getRequest().getMethod())) {
                for (String tag : RequestInspection.SUPPORTED) {
                    response.addHeader(context.headers().createSupportedHeader(tag));
                }
            }
            st.sendResponse(response);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "could not answer " + event.getRequest().getMethod() + " with " + status
                    + ": " + e.getMessage());
        }
    }

    private Properties stackProperties() {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "parley-" + config.computerFqdn() + "-" + config.listenPort());
        // Dialog state is kept in Parley's compact records, not in JAIN-SIP dialogs.
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        // "Want", not "Need": a missing client certificate is then refused by ClientCertificateValve,
        // which can log it; presented certificates are judged in the handshake either way.
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Want");
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", String.join(",", TlsMaterial.protocols()));
        // JAIN-SIP's own default suites are four legacy ones (RSA key exchange, CBC, 3DES, anonymous DH): no forward
        // secrecy and no TLS 1.3 at all. Use the JDK's defaults, which follow the JDK's security policy.
        p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", String.join(",", TlsMaterial.cipherSuites()));
        p.setProperty("gov.nist.javax.sip.SSL_HANDSHAKE_TIMEOUT", Long.toString(config.connectTimeout().toMillis()));
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", "org.parley.sip.transport.JdkStackLogger");
        p.setProperty("gov.nist.javax.sip.SECURITY_MANAGER_PROVIDER", "org.parley.sip.transport.UnusedSecurityManagerProvider");
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", "org.parley.sip.transport.SilentServerLogger");
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "1048576");
        return p;
    }

    private void closeQuietly() {
        if (stack != null) {
            try {
                if (provider != null) {
                    provider.removeSipListener(this);
                    stack.deleteSipProvider(provider);
                }
            } catch (ObjectInUseException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "while closing: " + e.getMessage());
            }
            stack.stop();
            stack = null;
            provider = null;
        }
    }
}
