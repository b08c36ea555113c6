package org.parley.xmpp.s2s;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import org.dom4j.Element;
import org.parley.xmpp.XmppInbound;
import org.parley.xmpp.adapt.InboundResult;
import org.parley.xmpp.adapt.XmppToModel;
import org.parley.xmpp.iq.IqHandler;
import org.parley.xmpp.stream.StanzaReader;
import org.parley.xmpp.stream.StreamErrorCondition;
import org.parley.xmpp.stream.StreamErrorException;
import org.parley.xmpp.stream.StreamEvent;
import org.parley.xmpp.stream.StreamLimits;
import org.xmpp.packet.IQ;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;

/**
 * Accepts server-to-server streams from partner domains (RFC 6120): STARTTLS is required, the
 * partner authenticates with SASL EXTERNAL (XEP-0178) using a certificate valid for the domain
 * in its stream header, and every stanza's {@code from} must be in that domain
 * ({@code invalid-from} otherwise). One thread per stream; a bad stream ends with its stream
 * error and never affects another. Replies (stanza errors, IQ results) go out through
 * {@code replies}, since s2s streams are one-way.
 */
public final class InboundServerListener implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(InboundServerListener.class.getName());
    private static final String STREAMS = StanzaReader.STREAMS_NS;

    private final Set<String> localDomains;
    private final SSLContext tls;
    private final XmppToModel inbound;
    private final XmppInbound listener;
    private final IqHandler iqs;
    private final Consumer<Packet> replies;
    private final StreamLimits limits;
    private final PartnerPolicy policy;
    private final DialbackKeys dialback;
    private final ServerSocket server;
    private final Thread acceptor;
    private volatile boolean running = true;

    public InboundServerListener(String bindAddress, int port, Set<String> localDomains, SSLContext tls, XmppToModel inbound,
                                 XmppInbound listener, IqHandler iqs, Consumer<Packet> replies, StreamLimits limits,
                                 PartnerPolicy policy) throws IOException {
        this(bindAddress, port, localDomains, tls, inbound, listener, iqs, replies, limits, policy, null);
    }

    /** @param dialback keys this gateway gave out as originating server, to answer partners' db:verify; {@code null}: none */
    public InboundServerListener(String bindAddress, int port, Set<String> localDomains, SSLContext tls, XmppToModel inbound,
                                 XmppInbound listener, IqHandler iqs, Consumer<Packet> replies, StreamLimits limits,
                                 PartnerPolicy policy, DialbackKeys dialback) throws IOException {
        this.dialback = dialback;
        this.policy = policy;
        this.localDomains = Set.copyOf(localDomains);
        this.tls = tls;
        this.inbound = inbound;
        this.listener = listener;
        this.iqs = iqs;
        this.replies = replies;
        this.limits = limits;
        this.server = new ServerSocket(port, 50, InetAddress.getByName(bindAddress));
        this.acceptor = new Thread(this::acceptLoop, "parley-s2s-accept-" + server.getLocalPort());
        this.acceptor.setDaemon(true);
    }

    public void start() {
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() {
        running = false;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
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
        private Socket socket;
        private OutputStream out;
        private InputStream in;
        private StanzaReader reader;
        private final Deque<StreamEvent> backlog = new ArrayDeque<>();
        private final byte[] buf = new byte[16 * 1024];
        private String peerDomain;
        private String localDomain;
        private boolean headerSent;

        Session(Socket socket) {
            this.socket = socket;
        }

        void run() {
            try {
                socket.setSoTimeout(30_000);
                use(socket);
                negotiateAndServe();
            } catch (StreamErrorException e) {
                LOG.log(System.Logger.Level.WARNING, "s2s stream from " + (peerDomain == null ? socket.getRemoteSocketAddress() : peerDomain)
                        + " closed with " + e.condition().xmppName() + ": " + e.getMessage());
                try {
                    if (!headerSent) {
                        // RFC 6120 §4.9.1.1: an error before our header still opens the stream first
                        write("<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='" + STREAMS + "' version='1.0'>");
                    }
                    write(e.toXml());
                } catch (IOException ignored) {
                    // the peer is gone already
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.INFO, "s2s stream from " + (peerDomain == null ? socket.getRemoteSocketAddress() : peerDomain)
                        + " ended: " + e.getMessage());
            } finally {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closed
                }
            }
        }

        private void negotiateAndServe() throws IOException, StreamErrorException {
            StreamEvent.Opened header = header();
            answerHeader(header, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>");
            Element e = next();
            if (!"starttls".equals(e.getName())) {
                throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION, "STARTTLS is required before <" + e.getName() + ">");
            }
            write("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
            SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
            ssl.setUseClientMode(false);
            ssl.setWantClientAuth(true);
            ssl.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            ssl.startHandshake();
            socket = ssl;
            use(ssl);

            header = header();
            boolean certOk = certificateValidFor(ssl, peerDomain);
            answerHeader(header, certOk ? "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>EXTERNAL</mechanism></mechanisms>" : "");
            e = next();
            // a partner checking a dialback key Parley gave out needs no authentication of its own
            while (isVerify(e)) {
                answerVerify(e);
                e = next();
            }
            if (!certOk) {
                throw new StreamErrorException(StreamErrorCondition.NOT_AUTHORIZED,
                        "the certificate of " + peerDomain + " is not valid for it, and inbound dialback is not supported yet");
            }
            if (!"auth".equals(e.getName()) || !"EXTERNAL".equals(e.attributeValue("mechanism"))) {
                throw new StreamErrorException(StreamErrorCondition.NOT_AUTHORIZED, "expected SASL EXTERNAL, got <" + e.getName() + ">");
            }
            String authzid = e.getTextTrim();
            String requested = authzid.isEmpty() || authzid.equals("=") ? peerDomain
                    : new String(Base64.getDecoder().decode(authzid), StandardCharsets.UTF_8);
            if (!requested.equalsIgnoreCase(peerDomain)) {
                write("<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><invalid-authzid/></failure>");
                throw new IOException("SASL EXTERNAL authzid " + requested + " is not the stream's domain " + peerDomain);
            }
            write("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
            use(ssl); // RFC 6120 §6.4.6: the stream restarts
            header = header();
            answerHeader(header, "");
            ssl.setSoTimeout(0);
            LOG.log(System.Logger.Level.INFO, "s2s stream from " + peerDomain + " authenticated (SASL EXTERNAL)");
            serve();
        }

        private void serve() throws IOException, StreamErrorException {
            while (true) {
                StreamEvent event = nextEvent();
                if (event instanceof StreamEvent.Closed) {
                    write("</stream:stream>");
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
                if (isVerify(e)) {
                    answerVerify(e);
                    continue;
                }
                String from = e.attributeValue("from");
                String fromDomain = from == null ? null : domainOf(from);
                if (fromDomain == null || !fromDomain.equalsIgnoreCase(peerDomain)) {
                    throw new StreamErrorException(StreamErrorCondition.INVALID_FROM,
                            "stanza from '" + from + "' on a stream authenticated for " + peerDomain);
                }
                deliver(e);
            }
        }

        private void deliver(Element e) {
            try {
                switch (e.getName()) {
                    case "message", "presence" -> {
                        Packet p = e.getName().equals("message") ? new Message(e, true) : new Presence(e, true);
                        InboundResult r = inbound.translate(p);
                        if (r instanceof InboundResult.Event ev) {
                            listener.onEvent(ev.event());
                        } else if (r instanceof InboundResult.Reply reply) {
                            replies.accept(reply.error());
                        }
                    }
                    case "iq" -> {
                        IQ answer = iqs.answer(new IQ(e, true));
                        if (answer != null) {
                            replies.accept(answer);
                        }
                    }
                    default -> LOG.log(System.Logger.Level.DEBUG, "ignored <" + e.getName() + "> on s2s stream from " + peerDomain);
                }
            } catch (RuntimeException bug) {
                LOG.log(System.Logger.Level.ERROR, "failed to handle a stanza from " + peerDomain, bug);
            }
        }

        private boolean isVerify(Element e) {
            return "verify".equals(e.getName()) && "jabber:server:dialback".equals(e.getNamespaceURI());
        }

        /** XEP-0220 §2.3: is this the key Parley (as originating server) gave the partner? */
        private void answerVerify(Element e) throws IOException {
            String from = e.attributeValue("from");
            String to = e.attributeValue("to");
            String id = e.attributeValue("id");
            boolean valid = dialback != null && from != null && to != null && id != null
                    && localDomains.contains(to.toLowerCase(Locale.ROOT)) && dialback.verify(from, to, id, e.getText());
            write("<db:verify from='" + attr(to) + "' to='" + attr(from) + "' id='" + attr(id) + "' type='" + (valid ? "valid" : "invalid") + "'/>");
            LOG.log(System.Logger.Level.INFO, "dialback key for " + to + " → " + from + " verified: " + (valid ? "valid" : "invalid"));
        }

        private StreamEvent.Opened header() throws IOException, StreamErrorException {
            StreamEvent e = nextEvent();
            if (!(e instanceof StreamEvent.Opened opened)) {
                throw new StreamErrorException(StreamErrorCondition.NOT_WELL_FORMED, "expected a stream header");
            }
            String to = opened.attributes().get("to");
            String from = opened.attributes().get("from");
            if (to == null || !localDomains.contains(to.toLowerCase(Locale.ROOT))) {
                throw new StreamErrorException(StreamErrorCondition.HOST_UNKNOWN, "this gateway does not serve '" + to + "'");
            }
            if (from == null) {
                throw new StreamErrorException(StreamErrorCondition.INVALID_FROM, "a server stream must say who it is from");
            }
            if (peerDomain != null && !peerDomain.equalsIgnoreCase(from)) {
                throw new StreamErrorException(StreamErrorCondition.INVALID_FROM, "the restarted stream changed its 'from'");
            }
            peerDomain = from.toLowerCase(Locale.ROOT);
            localDomain = to.toLowerCase(Locale.ROOT);
            if (!policy.permits(peerDomain)) {
                throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION,
                        peerDomain + " is not an allowed federation partner of this gateway");
            }
            return opened;
        }

        private void answerHeader(StreamEvent.Opened peer, String features) throws IOException {
            headerSent = true;
            write("<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='" + STREAMS
                    + "' xmlns:db='jabber:server:dialback' from='" + localDomain + "' to='" + peerDomain + "' id='"
                    + UUID.randomUUID() + "' version='1.0'><stream:features>" + features + "</stream:features>");
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
            reader = new StanzaReader(limits, Set.of("jabber:server"));
            backlog.clear();
        }

        private synchronized void write(String xml) throws IOException {
            out.write(xml.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    /** The chain was verified by the trust manager in the handshake; here only the name matters (RFC 6125). */
    static boolean certificateValidFor(SSLSocket ssl, String domain) {
        try {
            Certificate[] chain = ssl.getSession().getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                return false;
            }
            Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (Integer.valueOf(2).equals(san.get(0)) && domain.equalsIgnoreCase(String.valueOf(san.get(1)))) {
                        return true;
                    }
                }
            }
            return false;
        } catch (SSLPeerUnverifiedException | java.security.cert.CertificateParsingException e) {
            return false;
        }
    }

    /** Escapes a value echoed from the peer into an attribute. */
    static String attr(String v) {
        return v == null ? "" : v.replace("&", "&amp;").replace("<", "&lt;").replace("'", "&apos;").replace("\"", "&quot;");
    }

    /** The domainpart: the resource starts at the first '/', the localpart ends at the '@' before it. */
    static String domainOf(String jid) {
        int slash = jid.indexOf('/');
        String bare = slash >= 0 ? jid.substring(0, slash) : jid;
        int at = bare.indexOf('@');
        return (at >= 0 ? bare.substring(at + 1) : bare).toLowerCase(Locale.ROOT);
    }
}
