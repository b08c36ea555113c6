package org.parley.sip.testing;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
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
 */
public final class LyncFrontEndSimulator implements SipListener, AutoCloseable {

    public static final String CATEGORIES = "application/msrtc-event-categories+xml";

    /** A request the simulator received. */
    public record Received(String method, String contentType, String body, String subscriptionState, String toTag, String contact,
                           String callId, String requestUri, List<String> routes) {
    }

    /** Dialog data of a SUBSCRIBE the simulator accepted (it is the notifier). */
    private record Dialog(String callId, String watcherUri, String watcherTag, String presentityUri, String localTag, String target, long[] cseq) {
    }

    private final int port;
    private final Set<String> knownUsers;
    private final SipStack stack;
    private final SipProvider provider;
    private final MessageFactory messages = new MessageFactoryImpl();
    private final HeaderFactory headers = new HeaderFactoryImpl();
    private final AddressFactory addresses = new AddressFactoryImpl();
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<Integer> benotifyResponses = new LinkedBlockingQueue<>();
    private final Map<String, Dialog> accepted = new ConcurrentHashMap<>();
    private final Map<ClientTransaction, CompletableFuture<Response>> pending = new ConcurrentHashMap<>();
    private volatile String lastSubscribeCallId;
    private String watchCallId;
    private String watchFromTag;
    /** The Lync watchers' own subscriptions to users behind the gateway, by Call-ID. */
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    /** The state a presentity's front end returns piggybacked in the 2xx to a SUBSCRIBE ([MS-SIP] §4.3), by user. */
    private final Map<String, String> firstStates = new ConcurrentHashMap<>();

    private volatile boolean refuseUnknownPresentities;
    private volatile boolean recordRoute = true;
    private final java.util.concurrent.atomic.AtomicInteger connectionIds = new java.util.concurrent.atomic.AtomicInteger();
    /** What a Skype for Business Server 2019 front end and client call themselves. */
    private static final String SERVER = "RTC/7.0";
    private static final String USER_AGENT = "UCCAPI/16.0.10827.20138 OC/16.0.10827.20138 (Skype for Business)";
    /** IM session legs this front end is in, {@code Call-ID/its own tag}: in-dialog requests for others get 481. */
    private final Set<String> liveSessions = ConcurrentHashMap.newKeySet();
    private final java.util.Queue<Received> misrouted = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** A Lync watcher's subscription dialog with the gateway. */
    private record Watch(String callId, String watcherUri, String fromTag, String presentityUri, String toTag, String target, long[] cseq) {
    }

    public LyncFrontEndSimulator(int port, TlsMaterial tls, Set<String> knownUsers) throws Exception {
        this.port = port;
        this.knownUsers = Set.copyOf(knownUsers);
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "lync-fe-" + port);
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Enabled");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", "org.parley.sip.transport.JdkStackLogger");
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", "org.parley.sip.transport.SilentServerLogger");
        p.setProperty("gov.nist.javax.sip.SECURITY_MANAGER_PROVIDER", "org.parley.sip.transport.UnusedSecurityManagerProvider");
        SSLContext ctx = tls.sslContext(r -> { });
        stack = SipStacks.create(p, new NoDelayNetworkLayer(ctx, TlsMaterial.protocols(), 3000), line -> { });
        ListeningPoint lp = stack.createListeningPoint("127.0.0.1", port, ListeningPoint.TLS);
        provider = stack.createSipProvider(lp);
        provider.addSipListener(this);
        stack.start();
    }

    public Received await(long seconds) throws InterruptedException {
        return received.poll(seconds, TimeUnit.SECONDS);
    }

    /** Statuses of responses to BENOTIFYs the simulator sent: there must be none. */
    public Integer awaitBenotifyResponse(long seconds) throws InterruptedException {
        return benotifyResponses.poll(seconds, TimeUnit.SECONDS);
    }

    /** Sends NOTIFY or BENOTIFY with a categories body in the last subscription Parley made. */
    public void notifyLastSubscriber(String method, String categoriesBody) throws Exception {
        Dialog d = accepted.get(lastSubscribeCallId);
        Request r = messages.createRequest(addresses.createURI(d.target()), method, headers.createCallIdHeader(d.callId()),
                headers.createCSeqHeader(++d.cseq()[0], method),
                headers.createFromHeader(addresses.createAddress(d.presentityUri()), d.localTag()),
                headers.createToHeader(addresses.createAddress(d.watcherUri()), d.watcherTag()),
                List.of(headers.createViaHeader("127.0.0.1", port, "tls", null)), headers.createMaxForwardsHeader(70));
        r.addHeader(headers.createEventHeader("presence"));
        r.addHeader(headers.createSubscriptionStateHeader("active;expires=3600"));
        r.addHeader(contact(d.presentityUri()));
        r.setContent(categoriesBody.getBytes(StandardCharsets.UTF_8), headers.createContentTypeHeader("application", "msrtc-event-categories+xml"));
        if ("BENOTIFY".equals(method)) {
            provider.sendRequest(r);
        } else {
            ClientTransaction ct = provider.getNewClientTransaction(r);
            pending.put(ct, new CompletableFuture<>());
            ct.sendRequest();
        }
    }

    /** How many SUBSCRIBEs from the gateway the simulator has accepted and still remembers. */
    public int acceptedSubscriptions() {
        return accepted.size();
    }

    /**
     * Forgets the subscriptions accepted so far (a load run that measures the gateway's heap does not
     * want the simulator's own dialog records in the figure). {@link #notifyLastSubscriber} needs a
     * subscription accepted after this call.
     */
    public void forgetAcceptedSubscriptions() {
        accepted.clear();
    }

    /** A Lync user subscribes, as Lync does, to a user behind the gateway at {@code gatewayPort}. */
    public Response subscribeAsLyncWatcher(String watcherUri, String presentityUri, int gatewayPort) throws Exception {
        watchCallId = UUID.randomUUID().toString();
        watchFromTag = Long.toHexString(System.nanoTime());
        Request r = messages.createRequest(addresses.createURI(presentityUri), Request.SUBSCRIBE, headers.createCallIdHeader(watchCallId),
                headers.createCSeqHeader(1L, Request.SUBSCRIBE),
                clientFrom(watcherUri, watchFromTag),
                headers.createToHeader(addresses.createAddress(presentityUri), null),
                List.of(headers.createViaHeader("127.0.0.1", port, "tls", null)), headers.createMaxForwardsHeader(70));
        r.addHeader(headers.createEventHeader("presence"));
        r.addHeader(headers.createExpiresHeader(3600));
        for (String a : List.of(CATEGORIES, "text/xml+msrtc.pidf", "application/xpidf+xml", "application/pidf+xml",
                "application/rlmi+xml", "multipart/related")) {
            String[] t = a.split("/", 2);
            r.addHeader(headers.createAcceptHeader(t[0], t[1]));
        }
        r.addHeader(headers.createHeader("User-Agent", USER_AGENT));
        r.addHeader(headers.createSupportedHeader("ms-benotify"));
        r.addHeader(headers.createHeader("Proxy-Require", "ms-benotify")); // [MS-PRES] §4.11: for the proxies; a UAS ignores it
        r.addHeader(headers.createSupportedHeader("ms-piggyback-first-notify"));
        r.addHeader(contact(watcherUri));
        addRecordRoute(r);
        SipURI route = addresses.createSipURI(null, "127.0.0.1");
        route.setPort(gatewayPort);
        route.setTransportParam("tls");
        route.setLrParam();
        r.addHeader(headers.createRouteHeader(addresses.createAddress(route)));
        ClientTransaction ct = provider.getNewClientTransaction(r);
        CompletableFuture<Response> f = new CompletableFuture<>();
        pending.put(ct, f);
        ct.sendRequest();
        Response response = f.get(10, TimeUnit.SECONDS);
        if (response.getStatusCode() < 300) {
            watches.put(watchCallId, new Watch(watchCallId, watcherUri, watchFromTag, presentityUri,
                    ((ToHeader) response.getHeader(ToHeader.NAME)).getTag(),
                    ((ContactHeader) response.getHeader(ContactHeader.NAME)).getAddress().getURI().toString(), new long[] {1}));
        }
        return response;
    }

    /**
     * A Lync client's batched category subscription, as [MS-PRES] §2.2.2.4.1 shows it: addressed to the watcher
     * itself, {@code Require: adhoclist, categoryList}, the resources and categories in an
     * {@code application/msrtc-adrl-categorylist+xml} body. Returns the gateway's final answer.
     */
    public Response subscribeBatched(String watcherUri, List<String> resourceUris, int gatewayPort) throws Exception {
        Request r = messages.createRequest(addresses.createURI(watcherUri), Request.SUBSCRIBE,
                headers.createCallIdHeader(UUID.randomUUID().toString().replace("-", "")), headers.createCSeqHeader(1L, Request.SUBSCRIBE),
                clientFrom(watcherUri, Long.toHexString(System.nanoTime())), headers.createToHeader(addresses.createAddress(watcherUri), null),
                List.of(headers.createViaHeader("127.0.0.1", port, "tls", null)), headers.createMaxForwardsHeader(70));
        r.addHeader(contact(watcherUri));
        r.addHeader(headers.createHeader("User-Agent", USER_AGENT));
        r.addHeader(headers.createEventHeader("presence"));
        for (String a : List.of(CATEGORIES, "application/rlmi+xml", "multipart/related")) {
            String[] t = a.split("/", 2);
            r.addHeader(headers.createAcceptHeader(t[0], t[1]));
        }
        r.addHeader(headers.createSupportedHeader("ms-benotify"));
        r.addHeader(headers.createHeader("Proxy-Require", "ms-benotify"));
        r.addHeader(headers.createSupportedHeader("ms-piggyback-first-notify"));
        r.addHeader(headers.createRequireHeader("adhoclist"));
        r.addHeader(headers.createRequireHeader("categoryList"));
        r.addHeader(headers.createSupportedHeader("eventlist"));
        r.addHeader(headers.createRouteHeader(addresses.createAddress("<sip:127.0.0.1:" + gatewayPort + ";transport=tls;lr>")));
        StringBuilder body = new StringBuilder("<batchSub xmlns=\"http://schemas.microsoft.com/2006/01/sip/batch-subscribe\" uri=\"")
                .append(watcherUri).append("\" name=\"\">\r\n  <action name=\"subscribe\" id=\"63792024\">\r\n    <adhocList>\r\n");
        for (String resource : resourceUris) {
            body.append("      <resource uri=\"").append(resource).append("\"/>\r\n");
        }
        body.append("    </adhocList>\r\n    <categoryList xmlns=\"http://schemas.microsoft.com/2006/09/sip/categorylist\">\r\n");
        for (String category : List.of("calendarData", "contactCard", "note", "services", "state")) {
            body.append("      <category name=\"").append(category).append("\"/>\r\n");
        }
        body.append("    </categoryList>\r\n  </action>\r\n</batchSub>");
        r.setContent(body.toString().getBytes(StandardCharsets.UTF_8), headers.createContentTypeHeader("application", "msrtc-adrl-categorylist+xml"));
        ClientTransaction ct = provider.getNewClientTransaction(r);
        CompletableFuture<Response> f = new CompletableFuture<>();
        pending.put(ct, f);
        ct.sendRequest();
        return f.get(10, TimeUnit.SECONDS);
    }

    /** Call-ID of the Lync watcher subscription {@link #subscribeAsLyncWatcher} made last. */
    public String lastWatchCallId() {
        return watchCallId;
    }

    /**
     * Refreshes ({@code expires} > 0) or ends ({@code 0}) a Lync watcher's subscription, in its dialog, as a Lync client
     * does. Returns the gateway's response.
     */
    public Response refreshWatch(String callId, int expires) throws Exception {
        Watch w = watches.get(callId);
        if (w == null) {
            throw new IllegalArgumentException("no watch with Call-ID " + callId);
        }
        Request r = messages.createRequest(addresses.createURI(w.target()), Request.SUBSCRIBE, headers.createCallIdHeader(w.callId()),
                headers.createCSeqHeader(++w.cseq()[0], Request.SUBSCRIBE),
                clientFrom(w.watcherUri(), w.fromTag()),
                headers.createToHeader(addresses.createAddress(w.presentityUri()), w.toTag()),
                List.of(headers.createViaHeader("127.0.0.1", port, "tls", null)), headers.createMaxForwardsHeader(70));
        r.addHeader(headers.createEventHeader("presence"));
        r.addHeader(headers.createExpiresHeader(expires));
        r.addHeader(headers.createAcceptHeader("application", "msrtc-event-categories+xml"));
        r.addHeader(contact(w.watcherUri()));
        ClientTransaction ct = provider.getNewClientTransaction(r);
        CompletableFuture<Response> f = new CompletableFuture<>();
        pending.put(ct, f);
        ct.sendRequest();
        // Expires: 0 — the watch is over once the gateway's terminated NOTIFY came (RFC 6665 §4.1.2.3)
        return f.get(10, TimeUnit.SECONDS);
    }

    /**
     * The state this front end returns for {@code user} in the 2xx to a SUBSCRIBE that offers
     * {@code ms-piggyback-first-notify} ([MS-SIP] §4.3): a categories document, as the first NOTIFY would carry.
     * {@code null}: none (the first state then comes by NOTIFY).
     */
    public void setFirstState(String user, String categoriesBody) {
        if (categoriesBody == null) {
            firstStates.remove(user);
        } else {
            firstStates.put(user, categoriesBody);
        }
    }

    /**
     * Whether a SUBSCRIBE to a user this front end does not know is refused as a front end does: 404 with
     * {@code ms-diagnostics: 4005;reason="Destination URI either not enabled for SIP or does not exist"}. Off by
     * default, so that load runs may subscribe to any number of made-up users.
     */
    public void refuseUnknownPresentities(boolean refuse) {
        this.refuseUnknownPresentities = refuse;
    }

    /** Headers a test wants on the refusal of any MESSAGE, INVITE or SUBSCRIBE to a user, by user. */
    private final Map<String, Map<String, String>> refusalHeaders = new ConcurrentHashMap<>();

    /**
     * MESSAGE, INVITE and SUBSCRIBE to {@code user} are refused 404 with exactly these headers (name to value, in
     * order; e.g. both {@code ms-diagnostics} and {@code ms-diagnostics-public}), whether or not the user is known.
     */
    public void refuseWithHeaders(String user, Map<String, String> headersInOrder) {
        refusalHeaders.put(user, new java.util.LinkedHashMap<>(headersInOrder));
    }

    /** Answers a request out of dialog with the refusal a test set for its user; false if none was set. */
    private boolean refusedAsTold(ServerTransaction st, Request r, String user, Received got) throws Exception {
        Map<String, String> told = refusalHeaders.get(user);
        if (told == null || !Set.of(Request.MESSAGE, Request.INVITE, Request.SUBSCRIBE).contains(r.getMethod())) {
            return false;
        }
        if (Request.SUBSCRIBE.equals(r.getMethod())) {
            received.add(got); // an initial SUBSCRIBE is otherwise recorded only once accepted
        }
        Response nf = messages.createResponse(Response.NOT_FOUND, r);
        for (Map.Entry<String, String> h : told.entrySet()) {
            nf.addHeader(headers.createHeader(h.getKey(), h.getValue()));
        }
        st.sendResponse(nf);
        return true;
    }

    private String imCallId;
    private String imFromTag;
    private String imToTag;
    private String imFrom;
    private String imTo;
    private String imTarget;
    private long imCseq = 1;

    /** Call-ID of the IM session the simulator last opened toward Parley. */
    public String imCallId() {
        return imCallId;
    }

    /** A Lync user starts an IM session, first message in ms-text-format, as Lync clients do. */
    public Response startImSession(String fromUri, String toUri, int gatewayPort, String firstMessage, String sdpMedia) throws Exception {
        imCallId = UUID.randomUUID().toString();
        imFromTag = Long.toHexString(System.nanoTime());
        imFrom = fromUri;
        imTo = toUri;
        Request r = messages.createRequest(addresses.createURI(toUri), Request.INVITE, headers.createCallIdHeader(imCallId),
                headers.createCSeqHeader(imCseq++, Request.INVITE),
                clientFrom(fromUri, imFromTag),
                headers.createToHeader(addresses.createAddress(toUri), null),
                List.of(headers.createViaHeader("127.0.0.1", port, "tls", null)), headers.createMaxForwardsHeader(70));
        r.addHeader(contact(fromUri));
        addRecordRoute(r);
        r.addHeader(headers.createHeader("Ms-Conversation-ID", "AcnTd4Wq7E8BYGfUQSm7Hz6yJZ8fpQ=="));
        r.addHeader(headers.createSupportedHeader("ms-text-format"));
        if (firstMessage != null) {
            r.addHeader(headers.createHeader("ms-text-format", "text/plain; charset=UTF-8; msgr=WAAtAE0ATQBTAC0ASQBNAC0ARgBvAHIAbQBhAHQAOgAgAEYATgA9AEEAcgBpAGEAbAA7ACAARQBGAD0AOwAgAEMATwA9ADAAOwAgAEMAUwA9ADAAOwAgAFAARgA9ADAACgANAAoADQA; ms-body="
                    + java.util.Base64.getEncoder().encodeToString(firstMessage.getBytes(StandardCharsets.UTF_8))));
        }
        SipURI route = addresses.createSipURI(null, "127.0.0.1");
        route.setPort(gatewayPort);
        route.setTransportParam("tls");
        route.setLrParam();
        r.addHeader(headers.createRouteHeader(addresses.createAddress(route)));
        String sdp = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=session\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" + sdpMedia + "\r\n"
                + "a=accept-types:text/plain text/html\r\n";
        r.setContent(sdp.getBytes(StandardCharsets.UTF_8), headers.createContentTypeHeader("application", "sdp"));
        ClientTransaction ct = provider.getNewClientTransaction(r);
        CompletableFuture<Response> f = new CompletableFuture<>();
        pending.put(ct, f);
        ct.sendRequest();
        Response resp = f.get(10, TimeUnit.SECONDS);
        if (resp.getStatusCode() < 300) {
            imToTag = ((ToHeader) resp.getHeader(ToHeader.NAME)).getTag();
            liveSessions.add(imCallId + "/" + imFromTag);
            imTarget = ((ContactHeader) resp.getHeader(ContactHeader.NAME)).getAddress().getURI().toString();
            Request ack = messages.createRequest(addresses.createURI(imTarget), Request.ACK, headers.createCallIdHeader(imCallId),
                    headers.createCSeqHeader(((CSeqHeader) resp.getHeader(CSeqHeader.NAME)).getSeqNumber(), Request.ACK),
                    clientFrom(imFrom, imFromTag),
                    headers.createToHeader(addresses.createAddress(imTo), imToTag),
                    List.of(headers.createViaHeader("127.0.0.1", port, "tls", null)), headers.createMaxForwardsHeader(70));
            provider.sendRequest(ack);
        }
        return resp;
    }

    /** A request inside the IM session (MESSAGE, INFO, BYE). */
    public Response inSession(String method, String type, String subType, String body) throws Exception {
        Request r = messages.createRequest(addresses.createURI(imTarget), method, headers.createCallIdHeader(imCallId),
                headers.createCSeqHeader(imCseq++, method),
                clientFrom(imFrom, imFromTag),
                headers.createToHeader(addresses.createAddress(imTo), imToTag),
                List.of(headers.createViaHeader("127.0.0.1", port, "tls", null)), headers.createMaxForwardsHeader(70));
        r.addHeader(contact(imFrom));
        if (body != null) {
            r.setContent(body.getBytes(StandardCharsets.UTF_8), headers.createContentTypeHeader(type, subType));
        }
        if (Request.BYE.equals(method)) {
            liveSessions.remove(imCallId + "/" + imFromTag);
        }
        ClientTransaction ct = provider.getNewClientTransaction(r);
        CompletableFuture<Response> f = new CompletableFuture<>();
        pending.put(ct, f);
        ct.sendRequest();
        return f.get(10, TimeUnit.SECONDS);
    }

    /**
     * Whether this front end record-routes the dialogs it is in: its 2xx to Parley's INVITE and SUBSCRIBE and its
     * own dialog-creating requests carry {@code Record-Route}, so Parley's in-dialog requests come back through it
     * by their route set. Off: no Record-Route, and Parley must still send every request through a front end (as
     * its outbound proxy), since the Contact is a GRUU no DNS resolves. On by default.
     */
    public void recordRoute(boolean on) {
        this.recordRoute = on;
    }

    /** The Record-Route this front end inserts: its own address, with the opaque state a front end keeps there. */
    public String recordRouteUri() {
        return "<sip:127.0.0.1:" + port + ";transport=tls;opaque=state:T;lr>";
    }

    private void addRecordRoute(javax.sip.message.Message m) throws Exception {
        if (recordRoute) {
            m.addHeader(headers.createRecordRouteHeader(addresses.createAddress(recordRouteUri().substring(1, recordRouteUri().length() - 1))));
        }
    }

    /**
     * A Lync endpoint's Contact: its GRUU ([MS-SIPRE] §3.1; RFC 5627), {@code sip:user@contoso.com;opaque=user:epid:…;gruu}.
     * Its host is the SIP domain, not a machine: a request sent to it without a front end as next hop goes nowhere.
     */
    private ContactHeader contact(String userUri) throws Exception {
        String bare = userUri.replaceAll("^.*<|>.*$", "").replaceFirst("^sips?:", "");
        String epid = Integer.toHexString(bare.hashCode() & 0x7fffffff);
        return headers.createContactHeader(addresses.createAddress("<sip:" + bare + ";opaque=user:epid:" + epid + ";gruu>"));
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request r = event.getRequest();
        try {
            if (Request.OPTIONS.equals(r.getMethod())) {
                // the trusted application's health probe: answered like a front end does, not recorded
                answer(provider.getNewServerTransaction(r), messages.createResponse(Response.OK, r));
                return;
            }
            var ct = (javax.sip.header.ContentTypeHeader) r.getHeader("Content-Type");
            var ss = r.getHeader("Subscription-State");
            Received got = new Received(r.getMethod(), ct == null ? null : ct.getContentType() + "/" + ct.getContentSubType(),
                    r.getRawContent() == null ? "" : new String(r.getRawContent(), StandardCharsets.UTF_8),
                    ss == null ? null : ss.toString().substring(ss.toString().indexOf(':') + 1).strip(),
                    ((ToHeader) r.getHeader(ToHeader.NAME)).getTag(),
                    r.getHeader(ContactHeader.NAME) == null ? null : ((ContactHeader) r.getHeader(ContactHeader.NAME)).getAddress().getURI().toString(),
                    ((javax.sip.header.CallIdHeader) r.getHeader(javax.sip.header.CallIdHeader.NAME)).getCallId(),
                    r.getRequestURI().toString(), routes(r));
            boolean initialSubscribe = Request.SUBSCRIBE.equals(r.getMethod()) && got.toTag() == null;
            if (got.toTag() != null && !routedThroughThisFrontEnd(got)) {
                // a real front end could not have received it: the GRUU does not resolve, the route set was not followed
                misrouted.add(got);
                if (!"BENOTIFY".equals(r.getMethod()) && !Request.ACK.equals(r.getMethod())) {
                    answer(provider.getNewServerTransaction(r), messages.createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, r));
                }
                return;
            }
            if (!initialSubscribe) {
                received.add(got);
            }
            boolean watchEnds = got.subscriptionState() != null && got.subscriptionState().startsWith("terminated");
            if ("BENOTIFY".equals(r.getMethod()) || Request.ACK.equals(r.getMethod())) {
                if (watchEnds) {
                    watches.remove(got.callId());
                }
                return; // BENOTIFY: never answered ([MS-SIPRE]); ACK: no response
            }
            ServerTransaction st = provider.getNewServerTransaction(r);
            if (got.toTag() != null && !knowsDialog(r.getMethod(), got.callId(), got.toTag())) {
                // RFC 3261 §12.2.2: a request in a dialog the front end does not (or no longer) know
                answer(st, messages.createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, r));
                return;
            }
            String user = ((SipURI) r.getRequestURI()).getUser();
            if (((ToHeader) r.getHeader(ToHeader.NAME)).getTag() != null) {
                // in-dialog (MESSAGE / INFO / BYE in an IM session, a SUBSCRIBE refresh or Expires: 0): the Request-URI is our Contact
                Response ok = messages.createResponse(Response.OK, r);
                if (Request.SUBSCRIBE.equals(r.getMethod())) {
                    // RFC 6665 §4.2.1.1: a 2xx to SUBSCRIBE carries Expires; an ended subscription's is 0
                    javax.sip.header.ExpiresHeader asked = (javax.sip.header.ExpiresHeader) r.getHeader(javax.sip.header.ExpiresHeader.NAME);
                    int expires = asked == null ? 3600 : asked.getExpires();
                    ok.addHeader(headers.createExpiresHeader(expires));
                    if (expires == 0) {
                        accepted.remove(((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId());
                    }
                } else if (Request.BYE.equals(r.getMethod())) {
                    liveSessions.remove(got.callId() + "/" + got.toTag());
                }
                answer(st, ok);
                if (watchEnds && Request.NOTIFY.equals(r.getMethod())) {
                    watches.remove(got.callId());
                }
                return;
            }
            if (refusedAsTold(st, r, user, got)) {
                return;
            }
            switch (r.getMethod()) {
                case Request.MESSAGE -> {
                    if (knownUsers.contains(user)) {
                        answer(st, messages.createResponse(Response.OK, r));
                    } else {
                        Response nf = messages.createResponse(Response.NOT_FOUND, r);
                        nf.addHeader(headers.createHeader("ms-diagnostics",
                                "1003;reason=\"User does not exist\";TargetUri=\"" + user + "@contoso.com\";source=\"fe1.contoso.com\""));
                        answer(st, nf);
                    }
                }
                case Request.INVITE -> {
                    if (!knownUsers.contains(user)) {
                        Response nf = messages.createResponse(Response.NOT_FOUND, r);
                        nf.addHeader(headers.createHeader("ms-diagnostics",
                                "1003;reason=\"User does not exist\";TargetUri=\"" + user + "@contoso.com\";source=\"fe1.contoso.com\""));
                        answer(st, nf);
                        return;
                    }
                    Response ok = messages.createResponse(Response.OK, r);
                    ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag("leg1-" + Long.toHexString(System.nanoTime()));
                    ok.addHeader(contact(((ToHeader) r.getHeader(ToHeader.NAME)).getAddress().toString()));
                    addRecordRoute(ok);
                    ok.setContent(("v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=session\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                            + "m=message 5061 sip null\r\na=accept-types:text/plain text/html\r\n").getBytes(StandardCharsets.UTF_8),
                            headers.createContentTypeHeader("application", "sdp"));
                    liveSessions.add(got.callId() + "/" + ((ToHeader) ok.getHeader(ToHeader.NAME)).getTag());
                    answer(st, ok);
                    if (user.startsWith("forked")) {
                        // a second endpoint of the same user answers too (Lync forks IM INVITEs to every endpoint)
                        Response second = (Response) ok.clone();
                        ((ToHeader) second.getHeader(ToHeader.NAME)).setTag("leg2-" + Long.toHexString(System.nanoTime()));
                        liveSessions.add(got.callId() + "/" + ((ToHeader) second.getHeader(ToHeader.NAME)).getTag());
                        provider.sendResponse(asFrontEnd(second));
                    }
                }
                case Request.SUBSCRIBE -> {
                    if (refuseUnknownPresentities && !knownUsers.contains(user)) {
                        received.add(got);
                        Response nf = messages.createResponse(Response.NOT_FOUND, r);
                        nf.addHeader(headers.createHeader("ms-diagnostics",
                                "4005;reason=\"Destination URI either not enabled for SIP or does not exist\";source=\"fe1.contoso.com\""));
                        answer(st, nf);
                        return;
                    }
                    String localTag = Long.toHexString(System.nanoTime());
                    Response ok = messages.createResponse(Response.OK, r);
                    ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag(localTag);
                    // grant what was asked, at most an hour, as a front end does
                    javax.sip.header.ExpiresHeader asked = (javax.sip.header.ExpiresHeader) r.getHeader(javax.sip.header.ExpiresHeader.NAME);
                    ok.addHeader(headers.createExpiresHeader(asked == null ? 3600 : Math.min(3600, asked.getExpires())));
                    ok.addHeader(contact(((ToHeader) r.getHeader(ToHeader.NAME)).getAddress().toString()));
                    addRecordRoute(ok);
                    String callId = ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId();
                    FromHeader from = (FromHeader) r.getHeader(FromHeader.NAME);
                    ContactHeader c = (ContactHeader) r.getHeader(ContactHeader.NAME);
                    accepted.put(callId, new Dialog(callId, from.getAddress().toString(), from.getTag(),
                            ((ToHeader) r.getHeader(ToHeader.NAME)).getAddress().toString(), localTag,
                            c.getAddress().getURI().toString(), new long[] {0}));
                    lastSubscribeCallId = callId;
                    String first = firstStates.get(user);
                    if (first != null && offers(r, "ms-piggyback-first-notify")) {
                        // [MS-SIP] §3.4.5.1 / §3.3.5.1: the first state rides the 2xx, with the body, type, Event and
                        // Subscription-State the first NOTIFY would have, and the option echoed; that NOTIFY is not sent
                        ok.setContent(first.getBytes(StandardCharsets.UTF_8), headers.createContentTypeHeader("application", "msrtc-event-categories+xml"));
                        ok.addHeader(headers.createSupportedHeader("ms-piggyback-first-notify"));
                        ok.addHeader(headers.createEventHeader("presence"));
                        javax.sip.header.SubscriptionStateHeader state = headers.createSubscriptionStateHeader("active");
                        state.setExpires(asked == null ? 3600 : Math.min(3600, asked.getExpires()));
                        ok.addHeader(state);
                    }
                    // recorded only now: a test that takes this SUBSCRIBE and notifies at once must find its dialog
                    received.add(got);
                    answer(st, ok);
                }
                default -> answer(st, messages.createResponse(Response.OK, r));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether an in-dialog request came the way a front end lets it: addressed to a GRUU this front end gave out,
     * with its Record-Route on top of the Route headers when it record-routed, else with itself as the next hop.
     */
    private boolean routedThroughThisFrontEnd(Received got) {
        if (!got.requestUri().contains(";gruu") || got.routes().isEmpty()) {
            return false;
        }
        String top = got.routes().get(0);
        return recordRoute ? top.equals(recordRouteUri()) : top.contains("127.0.0.1:" + port) && top.contains(";lr");
    }

    /** In-dialog requests that did not come through this front end as a real one requires (must stay empty). */
    public List<Received> misrouted() {
        return List.copyOf(misrouted);
    }

    /** Whether this front end is in the dialog an in-dialog request names ({@code tag}: the front end's own tag). */
    private boolean knowsDialog(String method, String callId, String tag) {
        return switch (method) {
            case Request.SUBSCRIBE -> accepted.containsKey(callId);
            case Request.NOTIFY, "BENOTIFY" -> watches.containsKey(callId);
            default -> liveSessions.contains(callId + "/" + tag);
        };
    }

    /**
     * The front end loses every dialog it is in (a restart, a failover to another pool): from now on Parley's
     * in-dialog requests in them are answered 481, as a real front end does, and Parley must start again.
     */
    public void loseDialogs() {
        accepted.clear();
        liveSessions.clear();
        watches.clear();
    }

    /** A Lync client's From: its tag and its endpoint id ({@code epid}, [MS-SIPRE] §2.2.x), as in [MS-PRES] §4.11. */
    private javax.sip.header.FromHeader clientFrom(String uri, String tag) throws Exception {
        javax.sip.header.FromHeader from = headers.createFromHeader(addresses.createAddress(uri), tag);
        from.setParameter("epid", Integer.toHexString(uri.replaceAll("^.*<|>.*$", "").hashCode() & 0x7fffffff));
        return from;
    }

    private void answer(ServerTransaction st, Response response) throws Exception {
        st.sendResponse(asFrontEnd(response));
    }

    /**
     * What a front end adds to every response it forwards or makes ([MS-PRES] §4.8.1, §4.14.3.1): the port and
     * connection id it received the request on, as {@code ms-received-port} / {@code ms-received-cid} on the top Via;
     * and {@code Server} on the answers it gives itself (SUBSCRIBE answers, refusals).
     */
    private Response asFrontEnd(Response response) throws Exception {
        javax.sip.header.ViaHeader via = (javax.sip.header.ViaHeader) response.getHeader(javax.sip.header.ViaHeader.NAME);
        if (via != null) {
            via.setParameter("ms-received-port", Integer.toString(via.getPort() > 0 ? via.getPort() : 5061));
            via.setParameter("ms-received-cid", Integer.toHexString(0x6F00 + connectionIds.incrementAndGet()).toUpperCase(java.util.Locale.ROOT));
        }
        String method = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getMethod();
        if (response.getHeader("Server") == null && (Request.SUBSCRIBE.equals(method) || response.getStatusCode() >= 400)) {
            response.addHeader(headers.createHeader("Server", SERVER));
        }
        return response;
    }

    private static List<String> routes(Request r) {
        List<String> routes = new java.util.ArrayList<>();
        r.getHeaders(javax.sip.header.RouteHeader.NAME).forEachRemaining(h -> routes.add(((javax.sip.header.RouteHeader) h).getAddress().toString()));
        return List.copyOf(routes);
    }

    private static boolean offers(Request r, String option) {
        java.util.ListIterator<?> it = r.getHeaders("Supported");
        while (it.hasNext()) {
            if (it.next().toString().toLowerCase(java.util.Locale.ROOT).contains(option)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void processResponse(ResponseEvent event) {
        CSeqHeader cseq = (CSeqHeader) event.getResponse().getHeader(CSeqHeader.NAME);
        if (cseq != null && "BENOTIFY".equals(cseq.getMethod())) {
            benotifyResponses.add(event.getResponse().getStatusCode());
            return;
        }
        if (event.getClientTransaction() != null && event.getResponse().getStatusCode() >= 200) {
            CompletableFuture<Response> f = pending.remove(event.getClientTransaction());
            if (f != null) {
                f.complete(event.getResponse());
            }
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
