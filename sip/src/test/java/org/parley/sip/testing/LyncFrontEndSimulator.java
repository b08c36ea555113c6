package org.parley.sip.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Response;
import org.parley.sip.tls.TlsMaterial;
import org.parley.sip.transport.NoDelayNetworkLayer;
import org.parley.sip.transport.SipStacks;

/**
 * A Lync / Skype for Business front end, as far as a trusted application sees it, built from
 * Microsoft's published examples ([MS-SIPRE], [MS-PRES]): users of contoso.com, page-mode
 * MESSAGE answered 200 for known users and {@code 404} with
 * {@code ms-diagnostics: 1003;reason="User does not exist"} for others; presence SUBSCRIBEs
 * answered 200 and followed by an msrtc categories NOTIFY, later changes as BENOTIFY (which
 * must get no response); and a Lync watcher that subscribes with Lync's Accept list and
 * {@code Supported: ms-benotify}.
 *
 * <p>The facade tests use: the JAIN-SIP stack and its callbacks, configuration and queries. The front end's answers
 * are {@link FrontEndAnswers}, what Lync clients behind it do is {@link LyncClients}, how their messages look is
 * {@link LyncStyle}, and what they all remember is {@link FrontEndState}.
 */
public final class LyncFrontEndSimulator implements SipListener, AutoCloseable {

    public static final String CATEGORIES = "application/msrtc-event-categories+xml";

    /** A request the simulator received; {@code wire} is the request as its bytes arrived. */
    public record Received(String method, String contentType, String body, String subscriptionState, String toTag, String contact,
                           String callId, String requestUri, List<String> routes, String wire) {
    }

    private final SipStack stack;
    private final FrontEndState state = new FrontEndState();
    private final LyncStyle style;
    private final FrontEndAnswers answers;
    private final LyncClients clients;

    public LyncFrontEndSimulator(int port, TlsMaterial tls, Set<String> knownUsers) throws Exception {
        Set<String> known = Set.copyOf(knownUsers);
        style = new LyncStyle(port, state);
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "lync-fe-" + port);
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Enabled");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", "org.parley.sip.transport.JdkStackLogger");
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", "org.parley.sip.transport.SilentServerLogger");
        p.setProperty("gov.nist.javax.sip.SECURITY_MANAGER_PROVIDER", "org.parley.sip.transport.UnusedSecurityManagerProvider");
        SSLContext ctx = tls.sslContext(r -> { });
        // the strict parser, as Parley's own: what a front end would not take shows, and each request keeps the bytes it came as
        stack = SipStacks.create(p, new NoDelayNetworkLayer(ctx, TlsMaterial.protocols(), 3000), line -> { }, state.unparsed::add);
        ListeningPoint lp = stack.createListeningPoint("127.0.0.1", port, ListeningPoint.TLS);
        SipProvider provider = stack.createSipProvider(lp);
        answers = new FrontEndAnswers(state, style, provider, known);
        clients = new LyncClients(state, style, provider);
        provider.addSipListener(this);
        stack.start();
    }

    public Received await(long seconds) throws InterruptedException {
        return state.received.poll(seconds, TimeUnit.SECONDS);
    }

    /** Statuses of responses to BENOTIFYs the simulator sent: there must be none. */
    public Integer awaitBenotifyResponse(long seconds) throws InterruptedException {
        return state.benotifyResponses.poll(seconds, TimeUnit.SECONDS);
    }

    /** Sends NOTIFY or BENOTIFY with a categories body in the last subscription Parley made. */
    public void notifyLastSubscriber(String method, String categoriesBody) throws Exception {
        clients.notifyLastSubscriber(method, categoriesBody);
    }

    /** How many SUBSCRIBEs from the gateway the simulator has accepted and still remembers. */
    public int acceptedSubscriptions() {
        return state.accepted.size();
    }

    /**
     * Forgets the subscriptions accepted so far (a load run that measures the gateway's heap does not
     * want the simulator's own dialog records in the figure). {@link #notifyLastSubscriber} needs a
     * subscription accepted after this call.
     */
    public void forgetAcceptedSubscriptions() {
        state.accepted.clear();
    }

    /** A Lync user subscribes, as Lync does, to a user behind the gateway at {@code gatewayPort}. */
    public Response subscribeAsLyncWatcher(String watcherUri, String presentityUri, int gatewayPort) throws Exception {
        return clients.subscribeAsLyncWatcher(watcherUri, presentityUri, gatewayPort);
    }

    /** A Lync watcher's subscription, offering {@code ms-benotify} or not (then every NOTIFY is a NOTIFY, answered). */
    public Response subscribeAsLyncWatcher(String watcherUri, String presentityUri, int gatewayPort, boolean benotify) throws Exception {
        return clients.subscribeAsLyncWatcher(watcherUri, presentityUri, gatewayPort, benotify);
    }

    /** A Lync client's batched category subscription ([MS-PRES] §2.2.2.4.1); see {@link LyncClients#subscribeBatched}. */
    public Response subscribeBatched(String watcherUri, List<String> resourceUris, int gatewayPort) throws Exception {
        return clients.subscribeBatched(watcherUri, resourceUris, gatewayPort);
    }

    /** Call-ID of the Lync watcher subscription {@link #subscribeAsLyncWatcher} made last. */
    public String lastWatchCallId() {
        return clients.lastWatchCallId();
    }

    /**
     * Refreshes ({@code expires} > 0) or ends ({@code 0}) a Lync watcher's subscription, in its dialog, as a Lync client
     * does. Returns the gateway's response.
     */
    public Response refreshWatch(String callId, int expires) throws Exception {
        return clients.refreshWatch(callId, expires);
    }

    /**
     * The state this front end returns for {@code user} in the 2xx to a SUBSCRIBE that offers
     * {@code ms-piggyback-first-notify} ([MS-SIP] §4.3): a categories document, as the first NOTIFY would carry.
     * {@code null}: none (the first state then comes by NOTIFY).
     */
    public void setFirstState(String user, String categoriesBody) {
        if (categoriesBody == null) {
            state.firstStates.remove(user);
        } else {
            state.firstStates.put(user, categoriesBody);
        }
    }

    /**
     * Whether a SUBSCRIBE to a user this front end does not know is refused as a front end does: 404 with
     * {@code ms-diagnostics: 4005;reason="Destination URI either not enabled for SIP or does not exist"}. Off by
     * default, so that load runs may subscribe to any number of made-up users.
     */
    public void refuseUnknownPresentities(boolean refuse) {
        state.refuseUnknownPresentities = refuse;
    }

    /**
     * MESSAGE, INVITE and SUBSCRIBE to {@code user} are refused 404 with exactly these headers (name to value, in
     * order; e.g. both {@code ms-diagnostics} and {@code ms-diagnostics-public}), whether or not the user is known.
     */
    public void refuseWithHeaders(String user, Map<String, String> headersInOrder) {
        state.refusalHeaders.put(user, new LinkedHashMap<>(headersInOrder));
    }

    /** Call-ID of the IM session the simulator last opened toward Parley. */
    public String imCallId() {
        return clients.imCallId();
    }

    /** A Lync user starts an IM session, first message in ms-text-format, as Lync clients do. */
    public Response startImSession(String fromUri, String toUri, int gatewayPort, String firstMessage, String sdpMedia) throws Exception {
        return clients.startImSession(fromUri, toUri, gatewayPort, firstMessage, sdpMedia);
    }

    /** A request inside the IM session (MESSAGE, INFO, BYE). */
    public Response inSession(String method, String type, String subType, String body) throws Exception {
        return clients.inSession(method, type, subType, body);
    }

    /**
     * Whether this front end record-routes the dialogs it is in: its 2xx to Parley's INVITE and SUBSCRIBE and its
     * own dialog-creating requests carry {@code Record-Route}, so Parley's in-dialog requests come back through it
     * by their route set. Off: no Record-Route, and Parley must still send every request through a front end (as
     * its outbound proxy), since the Contact is a GRUU no DNS resolves. On by default.
     */
    public void recordRoute(boolean on) {
        state.recordRoute = on;
    }

    /** The Record-Route this front end inserts: its own address, with the opaque state a front end keeps there. */
    public String recordRouteUri() {
        return style.recordRouteUri();
    }

    /** In-dialog requests that did not come through this front end as a real one requires (must stay empty). */
    public List<Received> misrouted() {
        return List.copyOf(state.misrouted);
    }

    /** What the simulator's strict parser refused (answered 400 or dropped) before the simulator saw it: there must be none. */
    public List<org.parley.sip.SipRefusal> unparsed() {
        return List.copyOf(state.unparsed);
    }

    /** In-dialog requests from the gateway whose CSeq did not rise (answered 500, RFC 3261 §12.2.2): there must be none. */
    public List<String> outOfOrder() {
        return List.copyOf(state.outOfOrder);
    }

    /**
     * The front end loses every dialog it is in (a restart, a failover to another pool): from now on Parley's
     * in-dialog requests in them are answered 481, as a real front end does, and Parley must start again.
     */
    public void loseDialogs() {
        state.accepted.clear();
        state.liveSessions.clear();
        state.watches.clear();
    }

    @Override
    public void processRequest(RequestEvent event) {
        try {
            answers.process(event.getRequest());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        CSeqHeader cseq = (CSeqHeader) event.getResponse().getHeader(CSeqHeader.NAME);
        if (cseq != null && "BENOTIFY".equals(cseq.getMethod())) {
            state.benotifyResponses.add(event.getResponse().getStatusCode());
            return;
        }
        if (event.getClientTransaction() != null && event.getResponse().getStatusCode() >= 200) {
            clients.finalResponse(event.getClientTransaction(), event.getResponse());
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        // tests time out on their own queues
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        // tests time out on their own queues
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        // nothing kept
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        // no dialogs
    }

    @Override
    public void close() {
        stack.stop();
    }
}
