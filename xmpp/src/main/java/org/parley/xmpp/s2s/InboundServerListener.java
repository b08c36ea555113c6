package org.parley.xmpp.s2s;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import org.dom4j.Element;
import org.parley.xmpp.adapt.InboundDispatcher;
import org.parley.xmpp.stream.StanzaReader;
import org.parley.xmpp.stream.StreamErrorCondition;
import org.parley.xmpp.stream.StreamErrorException;
import org.parley.xmpp.stream.StreamEvent;
import org.xmpp.packet.Packet;

/**
 * Accepts server-to-server streams from partner domains (RFC 6120), STARTTLS or direct TLS
 * (XEP-0368) per port. Per partner (see {@link PartnerRules}): TLS required or optional; SASL
 * EXTERNAL (XEP-0178) offered when the partner's certificate chains to Parley's trust anchors and
 * is valid for its domain; Server Dialback (XEP-0220) when allowed — keys are checked with the
 * partner's authoritative server by a {@link DialbackVerifier}, several domain pairs may be
 * authenticated on one stream, and version-less legacy streams (dialback only) are accepted where
 * TLS is optional. Every stanza's {@code from}/{@code to} must be a pair authenticated on that
 * stream ({@code invalid-from} / {@code not-authorized} otherwise). One thread per stream; a bad
 * stream ends with its stream error and never affects another. Replies (stanza errors, IQ results)
 * go out through {@code replies}, since s2s streams are one-way.
 */
public final class InboundServerListener implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(InboundServerListener.class.getName());
    private static final String STREAMS = StanzaReader.STREAMS_NS;
    private static final String DIALBACK_NS = "jabber:server:dialback";
    private static final String STANZAS_NS = "urn:ietf:params:xml:ns:xmpp-stanzas";

    private final S2sListenerConfig config;
    private final S2sTls tls;
    private final PartnerPolicy policy;
    private final InboundDispatcher dispatcher;
    private final Consumer<Packet> replies;
    private final DialbackKeys dialback;
    private final DialbackVerifier verifier;
    private final ServerSocket server;
    private final Thread acceptor;
    private final ExecutorService verifications;
    private final Map<Socket, Set<AuthenticatedPair>> sessions = new ConcurrentHashMap<>();
    private final Set<Session> live = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    /**
     * @param dialback keys this gateway gave out as originating server, to answer partners' db:verify; {@code null}: none
     * @param verifier checks partners' dialback keys; {@code null}: inbound dialback is not offered
     */
    public InboundServerListener(S2sListenerConfig config, S2sTls tls, PartnerPolicy policy, InboundDispatcher dispatcher,
                                 Consumer<Packet> replies, DialbackKeys dialback, DialbackVerifier verifier) throws IOException {
        if (config.directTls() && !tls.hasCertificate()) {
            throw new IllegalArgumentException("a direct TLS s2s port needs a certificate");
        }
        this.config = config;
        this.tls = tls;
        this.policy = policy;
        this.dispatcher = dispatcher;
        this.replies = replies;
        this.dialback = dialback;
        this.verifier = verifier;
        this.server = new ServerSocket(config.port(), 50, InetAddress.getByName(config.bindAddress()));
        this.acceptor = new Thread(this::acceptLoop, "parley-s2s-accept-" + server.getLocalPort());
        this.acceptor.setDaemon(true);
        this.verifications = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "parley-s2s-dialback-verify");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Streams currently open, for health reporting. */
    public int openStreams() {
        return sessions.size();
    }

    /** What is authenticated on the open streams, for health reporting and tests. */
    public List<AuthenticatedPair> authenticatedPairs() {
        return sessions.values().stream().flatMap(Set::stream).toList();
    }

    @Override
    public void close() {
        running = false;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        // RFC 6120 §4.4: close our side, then keep reading and handling what the partner already sent
        // until it closes too — a stanza on the wire must not vanish with an abrupt socket close
        for (Session session : live) {
            session.closeStream();
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (!sessions.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        verifications.shutdownNow();
        for (Socket s : sessions.keySet()) {
            try {
                s.close();
            } catch (IOException ignored) {
                // the partner did not close in time
            }
        }
    }

    private void acceptLoop() {
        while (running) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                Thread t = new Thread(() -> new Session(s).run(), "parley-s2s-in-" + s.getRemoteSocketAddress());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (running) {
                    LOG.log(System.Logger.Level.WARNING, "s2s accept failed: " + e.getMessage());
                }
            }
        }
    }

    /** One inbound stream. */
    private final class Session {
        private final Socket tcp;
        private Socket socket;
        private OutputStream out;
        private InputStream in;
        private StanzaReader reader;
        private final Deque<StreamEvent> backlog = new ArrayDeque<>();
        private final byte[] buf = new byte[16 * 1024];
        private String peerDomain;
        private String localDomain;
        /** Why the partner's certificate does not authenticate it (null: it does), for the log and refusals. */
        private String certificateProblem;
        private String streamId;
        private PartnerRules rules;
        private volatile boolean headerSent;
        private boolean closing;
        private boolean legacy;
        private boolean encrypted;
        private int dialbackRequests;
        private final Set<AuthenticatedPair> authenticated = ConcurrentHashMap.newKeySet();

        Session(Socket socket) {
            this.tcp = socket;
            this.socket = socket;
        }

        /** Sends our closing tag (once); the session keeps reading until the partner closes its side. */
        void closeStream() {
            try {
                synchronized (this) {
                    if (closing) {
                        return;
                    }
                    closing = true;
                }
                if (headerSent) {
                    write("</stream:stream>");
                }
                socket.setSoTimeout(5000);
            } catch (IOException | RuntimeException gone) {
                // already closed
            }
        }

        void run() {
            live.add(this);
            sessions.put(tcp, authenticated);
            try {
                socket.setSoTimeout((int) config.negotiationTimeout().toMillis());
                use(socket);
                if (config.directTls()) {
                    handshake(true);
                }
                negotiateAndServe();
            } catch (StreamErrorException e) {
                LOG.log(System.Logger.Level.WARNING, "s2s stream from " + who() + " closed with " + e.condition().xmppName() + ": " + e.getMessage());
                dispatcher.streamRefused(who(), localDomain, e);
                try {
                    // RFC 6120 §4.9.1.2: an error before our header (first bytes, a refused header, the
                    // first bytes after TLS) still opens the stream first — with an id, or the partner
                    // discards it as a broken stream instead of reading the condition
                    write((headerSent ? "" : openResponse()) + e.toXml());
                } catch (IOException ignored) {
                    // the peer is gone already
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.INFO, "s2s stream from " + who() + " ended: " + e.getMessage());
            } finally {
                live.remove(this);
                sessions.remove(tcp);
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closed
                }
            }
        }

        private String who() {
            return peerDomain == null ? String.valueOf(tcp.getRemoteSocketAddress()) : peerDomain;
        }

        private void negotiateAndServe() throws IOException, StreamErrorException {
            StreamEvent.Opened header = header();
            if (legacy) {
                serveLegacy();
                return;
            }
            if (!encrypted) {
                StringBuilder features = new StringBuilder();
                if (tls.hasCertificate()) {
                    features.append("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'>").append(rules.tlsRequired() ? "<required/>" : "")
                            .append("</starttls>");
                }
                if (!rules.tlsRequired() && dialbackOffered()) {
                    features.append(DIALBACK_FEATURE);
                }
                answerHeader(features.toString());
                Element e = next();
                if ("starttls".equals(e.getName()) && tls.hasCertificate()) {
                    write("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
                    handshake(false);
                    header = header();
                } else if (rules.tlsRequired()) {
                    throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION,
                            "TLS is required for " + peerDomain + " before <" + e.getName() + ">");
                } else {
                    backlog.addFirst(new StreamEvent.Stanza(e, 0, 0));
                    LOG.log(System.Logger.Level.INFO, "s2s stream from " + peerDomain + " continues without TLS (allowed for this partner)");
                    serve();
                    return;
                }
            }
            String certificateProblem = certificateProblem(peerDomain);
            boolean certOk = certificateProblem == null;
            if (!certOk) {
                LOG.log(System.Logger.Level.INFO, "s2s stream from " + peerDomain + ": no SASL EXTERNAL offered: " + certificateProblem);
                if (encrypted && !"no client certificate".equals(certificateProblem)) {
                    dispatcher.certificateRefused(peerDomain, localDomain, certificateProblem);
                }
            }
            this.certificateProblem = certificateProblem;
            answerHeader((certOk ? "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>EXTERNAL</mechanism></mechanisms>" : "")
                    + (dialbackOffered() ? DIALBACK_FEATURE : ""));
            Element e = next();
            if ("auth".equals(e.getName()) && "urn:ietf:params:xml:ns:xmpp-sasl".equals(e.getNamespaceURI())) {
                authenticateExternal(e, certOk);
                return;
            }
            backlog.addFirst(new StreamEvent.Stanza(e, 0, 0));
            serve();
        }

        private void authenticateExternal(Element auth, boolean certOk) throws IOException, StreamErrorException {
            if (!certOk || !"EXTERNAL".equals(auth.attributeValue("mechanism"))) {
                write("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>");
                throw new StreamErrorException(StreamErrorCondition.NOT_AUTHORIZED, "SASL " + auth.attributeValue("mechanism")
                        + " refused: only EXTERNAL with a certificate Parley trusts for " + peerDomain + " is accepted"
                        + (certificateProblem == null ? "" : " (" + certificateProblem + ")"));
            }
            String authzid = auth.getTextTrim();
            String requested = authzid.isEmpty() || authzid.equals("=") ? peerDomain
                    : new String(Base64.getDecoder().decode(authzid), StandardCharsets.UTF_8);
            if (!requested.equalsIgnoreCase(peerDomain)) {
                write("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><invalid-authzid/></failure>");
                throw new StreamErrorException(StreamErrorCondition.NOT_AUTHORIZED,
                        "SASL EXTERNAL authzid " + requested + " is not the stream's domain " + peerDomain);
            }
            write("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
            use(socket); // RFC 6120 §6.4.6: the stream restarts
            header();
            answerHeader(dialbackOffered() ? DIALBACK_FEATURE : "");
            authenticated.add(new AuthenticatedPair(peerDomain, localDomain, "SASL EXTERNAL", encrypted));
            LOG.log(System.Logger.Level.INFO, "s2s stream " + peerDomain + " → " + localDomain + " authenticated (SASL EXTERNAL)");
            serve();
        }

        /** Pre-RFC 3920 partners: no version, no features, no TLS; dialback is the only way in. */
        private void serveLegacy() throws IOException, StreamErrorException {
            if (rules.tlsRequired() && !encrypted) {
                throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION,
                        "a stream without version cannot negotiate TLS, and TLS is required for " + peerDomain);
            }
            if (!dialbackOffered()) {
                throw new StreamErrorException(StreamErrorCondition.NOT_AUTHORIZED,
                        "a stream without version can only use dialback, which is not allowed for " + peerDomain);
            }
            write(openResponse());
            serve();
        }

        private boolean dialbackOffered() {
            return rules.dialbackAllowed() && !rules.saslExternalRequired() && verifier != null;
        }

        private void serve() throws IOException, StreamErrorException {
            socket.setSoTimeout((int) config.idleTimeout().toMillis());
            while (true) {
                StreamEvent event;
                try {
                    event = nextEvent();
                } catch (SocketTimeoutException idle) {
                    LOG.log(System.Logger.Level.INFO, "s2s stream from " + who() + " idle for " + config.idleTimeout() + ": closing it");
                    write("</stream:stream>");
                    return;
                }
                if (event instanceof StreamEvent.Closed) {
                    if (!closing) {
                        write("</stream:stream>");
                    }
                    return;
                }
                if (!(event instanceof StreamEvent.Stanza stanza)) {
                    continue;
                }
                Element e = stanza.element();
                if (STREAMS.equals(e.getNamespaceURI())) {
                    if ("error".equals(e.getName())) {
                        LOG.log(System.Logger.Level.INFO, "s2s stream from " + peerDomain + " ended by the peer: " + e.asXML());
                        return;
                    }
                    continue; // stream-level elements are not stanzas
                }
                if (DIALBACK_NS.equals(e.getNamespaceURI())) {
                    if ("verify".equals(e.getName())) {
                        answerVerify(e);
                    } else if ("result".equals(e.getName())) {
                        requestVerification(e);
                    }
                    continue;
                }
                String fromDomain = domainOf(e.attributeValue("from"));
                String toDomain = domainOf(e.attributeValue("to"));
                if (!isAuthenticated(fromDomain, toDomain)) {
                    throw refusal(e, fromDomain, toDomain);
                }
                dispatcher.dispatch(e, replies);
            }
        }

        private boolean isAuthenticated(String fromDomain, String toDomain) {
            for (AuthenticatedPair p : authenticated) {
                if (p.partnerDomain().equals(fromDomain) && p.localDomain().equals(toDomain)) {
                    return true;
                }
            }
            return false;
        }

        private StreamErrorException refusal(Element e, String fromDomain, String toDomain) {
            if (authenticated.isEmpty()) {
                return new StreamErrorException(StreamErrorCondition.NOT_AUTHORIZED, "<" + e.getName() + "> before the stream was authenticated");
            }
            boolean fromKnown = authenticated.stream().anyMatch(p -> p.partnerDomain().equals(fromDomain));
            if (!fromKnown) {
                return new StreamErrorException(StreamErrorCondition.INVALID_FROM,
                        "stanza from '" + e.attributeValue("from") + "' on a stream authenticated for " + authenticated);
            }
            return new StreamErrorException(StreamErrorCondition.IMPROPER_ADDRESSING,
                    "stanza to '" + e.attributeValue("to") + "' on a stream authenticated for " + authenticated);
        }

        /** XEP-0220 §2.2: a partner presents a key for (from, to); the authoritative server decides. */
        private void requestVerification(Element e) throws IOException, StreamErrorException {
            String from = lower(e.attributeValue("from"));
            String to = lower(e.attributeValue("to"));
            String key = e.getTextTrim();
            if (from == null || to == null || key.isEmpty()) {
                throw new StreamErrorException(StreamErrorCondition.BAD_FORMAT, "db:result needs from, to and a key");
            }
            if (++dialbackRequests > config.maxDialbackRequests()) {
                throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION,
                        "more than " + config.maxDialbackRequests() + " dialback requests on one stream");
            }
            if (!config.localDomains().contains(to)) {
                dialbackError(from, to, "item-not-found", "this gateway does not serve " + to);
                return;
            }
            PartnerRules r = policy.rulesFor(from).orElse(null);
            if (r == null) {
                dialbackError(from, to, "forbidden", from + " is not an allowed federation partner of this gateway");
                return;
            }
            if (!r.dialbackAllowed() || r.saslExternalRequired() || verifier == null) {
                dialbackError(from, to, "not-authorized", "dialback is not accepted for " + from + "; SASL EXTERNAL with a trusted certificate is required");
                return;
            }
            if (r.tlsRequired() && !encrypted) {
                dialbackError(from, to, "policy-violation", "TLS is required for " + from);
                return;
            }
            String id = streamId;
            try {
                verifications.execute(() -> {
                    DialbackVerifier.Verdict v = verifier.verify(to, from, id, key);
                    try {
                        if (v == DialbackVerifier.Verdict.VALID) {
                            authenticated.add(new AuthenticatedPair(from, to, "dialback", encrypted));
                            write("<db:result from='" + attr(to) + "' to='" + attr(from) + "' type='valid'/>");
                            LOG.log(System.Logger.Level.INFO, "s2s stream " + from + " → " + to + " authenticated (dialback)");
                        } else if (v == DialbackVerifier.Verdict.INVALID) {
                            write("<db:result from='" + attr(to) + "' to='" + attr(from) + "' type='invalid'/>");
                            LOG.log(System.Logger.Level.WARNING, "dialback key for " + from + " → " + to + " is invalid (the authoritative server says so)");
                        } else {
                            dialbackError(from, to, "remote-connection-failed", "cannot reach the authoritative server of " + from);
                        }
                    } catch (IOException gone) {
                        // the stream closed meanwhile
                    }
                });
            } catch (RejectedExecutionException closing) {
                throw new IOException("listener closing");
            }
        }

        /** XEP-0220 §2.4 dialback error: the stream stays up, only this domain pair is refused. */
        private void dialbackError(String from, String to, String condition, String text) throws IOException {
            LOG.log(System.Logger.Level.WARNING, "dialback " + from + " → " + to + " refused (" + condition + "): " + text);
            write("<db:result from='" + attr(to) + "' to='" + attr(from) + "' type='error'><error type='cancel'><" + condition
                    + " xmlns='" + STANZAS_NS + "'/><text xmlns='" + STANZAS_NS + "'>" + attr(text) + "</text></error></db:result>");
        }

        /** XEP-0220 §2.3: is this the key Parley (as originating server) gave the partner? */
        private void answerVerify(Element e) throws IOException {
            String from = e.attributeValue("from");
            String to = e.attributeValue("to");
            String id = e.attributeValue("id");
            boolean valid = dialback != null && from != null && to != null && id != null
                    && config.localDomains().contains(to.toLowerCase(Locale.ROOT)) && dialback.verify(from, to, id, e.getText());
            write("<db:verify from='" + attr(to) + "' to='" + attr(from) + "' id='" + attr(id) + "' type='" + (valid ? "valid" : "invalid") + "'/>");
            LOG.log(System.Logger.Level.INFO, "dialback key for " + to + " → " + from + " verified: " + (valid ? "valid" : "invalid"));
        }

        private StreamEvent.Opened header() throws IOException, StreamErrorException {
            StreamEvent e = nextEvent();
            if (!(e instanceof StreamEvent.Opened opened)) {
                throw new StreamErrorException(StreamErrorCondition.NOT_WELL_FORMED, "expected a stream header");
            }
            String to = lower(opened.attributes().get("to"));
            String from = lower(opened.attributes().get("from"));
            boolean versionless = opened.attributes().get("version") == null;
            legacy = versionless; // before any refusal below: its header must not claim a version either
            if (to == null && versionless) {
                to = config.localDomains().iterator().next(); // old servers may omit 'to'; dialback names the domains
            }
            if (to == null || !config.localDomains().contains(to)) {
                throw new StreamErrorException(StreamErrorCondition.HOST_UNKNOWN, "this gateway does not serve '" + to + "'");
            }
            localDomain = to;
            if (from == null) {
                if (!versionless) {
                    throw new StreamErrorException(StreamErrorCondition.INVALID_FROM, "a server stream must say who it is from");
                }
                // a legacy partner names itself in db:result; its rules are checked there
                rules = PartnerRules.LEGACY;
                return opened;
            }
            if (peerDomain != null && !peerDomain.equals(from)) {
                throw new StreamErrorException(StreamErrorCondition.INVALID_FROM, "the restarted stream changed its 'from'");
            }
            peerDomain = from;
            rules = policy.rulesFor(peerDomain).orElseThrow(() -> new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION,
                    peerDomain + " is not an allowed federation partner of this gateway"));
            return opened;
        }

        private void answerHeader(String features) throws IOException {
            write(openResponse() + "<stream:features>" + features + "</stream:features>");
        }

        /**
         * Our header for the current stream, with a new id (dialback keys are bound to it). Before
         * the partner's header named one of our domains — or named none we serve — it comes from
         * the first of them in name order, so the answer is the same every time.
         */
        private String openResponse() {
            String from = localDomain != null ? localDomain : config.localDomains().stream().sorted().findFirst().orElseThrow();
            ResponseHeader header = ResponseHeader.fresh(from, peerDomain, !legacy);
            headerSent = true;
            streamId = header.id();
            return header.toXml();
        }

        private void handshake(boolean direct) throws IOException {
            SSLSocket ssl = (SSLSocket) tls.inbound().getSocketFactory().createSocket(socket, null, socket.getPort(), true);
            ssl.setUseClientMode(false);
            SSLParameters params = ssl.getSSLParameters();
            params.setWantClientAuth(true);
            params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            if (direct) {
                params.setApplicationProtocols(new String[] {"xmpp-server"}); // XEP-0368 §4
            }
            ssl.setSSLParameters(params);
            ssl.startHandshake();
            socket = ssl;
            encrypted = true;
            use(ssl);
        }

        /**
         * SASL EXTERNAL only for a chain Parley trusts whose name is the partner's domain (RFC 6125 DNS-ID, SRV-ID or
         * XmppAddr, {@link PartnerNames}): null when that holds, else why not (logged, and named in a refusal).
         */
        private String certificateProblem(String domain) {
            if (!(socket instanceof SSLSocket ssl) || domain == null) {
                return "no TLS";
            }
            try {
                Certificate[] chain = ssl.getSession().getPeerCertificates();
                X509Certificate[] x509 = Arrays.stream(chain).filter(X509Certificate.class::isInstance)
                        .map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
                if (x509.length != chain.length) {
                    return "not an X.509 certificate";
                }
                String distrust = tls.distrust(x509, policy.rulesFor(domain).map(PartnerRules::pins).orElse(Set.of()));
                if (distrust != null) {
                    return distrust;
                }
                return PartnerNames.names(x509[0], domain) ? null
                        : "certificate name mismatch (" + x509[0].getSubjectX500Principal().getName() + " does not name " + domain + ")";
            } catch (SSLPeerUnverifiedException noCertificate) {
                return "no client certificate";
            }
        }

        private Element next() throws IOException, StreamErrorException {
            StreamEvent e = nextEvent();
            if (e instanceof StreamEvent.Stanza s) {
                return s.element();
            }
            throw new IOException("stream closed during negotiation");
        }

        private StreamEvent nextEvent() throws IOException, StreamErrorException {
            while (backlog.isEmpty()) {
                int n = in.read(buf);
                if (n < 0) {
                    throw new IOException("connection closed");
                }
                backlog.addAll(reader.feed(buf, 0, n));
            }
            return backlog.removeFirst();
        }

        private void use(Socket s) throws IOException {
            headerSent = false;
            out = s.getOutputStream();
            in = s.getInputStream();
            reader = new StanzaReader(config.limits(), Set.of("jabber:server"));
            backlog.clear();
        }

        private void write(String xml) throws IOException {
            synchronized (this) {
                out.write(xml.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }

    private static final String DIALBACK_FEATURE = "<dialback xmlns='urn:xmpp:features:dialback'><errors/></dialback>";

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    /** Escapes a value echoed from the peer into an attribute. */
    static String attr(String v) {
        return XmlAttr.escape(v);
    }

    /** The domainpart: the resource starts at the first '/', the localpart ends at the '@' before it. */
    static String domainOf(String jid) {
        if (jid == null) {
            return "";
        }
        int slash = jid.indexOf('/');
        String bare = slash >= 0 ? jid.substring(0, slash) : jid;
        int at = bare.indexOf('@');
        return (at >= 0 ? bare.substring(at + 1) : bare).toLowerCase(Locale.ROOT);
    }
}
