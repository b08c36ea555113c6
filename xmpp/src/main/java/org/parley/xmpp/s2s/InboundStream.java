package org.parley.xmpp.s2s;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Set;
import org.dom4j.Element;
import org.parley.xmpp.stream.PeerStreamError;
import org.parley.xmpp.stream.StanzaReader;
import org.parley.xmpp.stream.StreamErrorCondition;
import org.parley.xmpp.stream.StreamErrorException;
import org.parley.xmpp.stream.StreamEvent;
import org.parley.xmpp.stream.XmppStreamIo;

/**
 * One server-to-server stream a partner opened toward Parley (RFC 6120), from the accepted
 * connection to its close, negotiated per the partner's {@link PartnerRules}: TLS required or
 * optional; SASL EXTERNAL (XEP-0178) offered when the partner's certificate chains to Parley's
 * trust anchors and is valid for its domain; Server Dialback (XEP-0220) when allowed, also for
 * version-less legacy streams where TLS is optional. The negotiation is a walk through
 * {@link Phase}s; once it is done every stanza's {@code from}/{@code to} must be a pair
 * authenticated on this stream ({@link StanzaAuthorization}). A bad stream ends with its stream
 * error and affects no other.
 */
final class InboundStream {

    /** Where the negotiation of an inbound stream stands. */
    enum Phase {
        /** XEP-0368 direct TLS: the handshake comes before any XML. */
        DIRECT_TLS,
        /** The partner's first stream header: a version-less one makes a legacy stream (dialback only, no features). */
        HEADER,
        /** Features sent on a plain stream (STARTTLS when Parley has a certificate, dialback when allowed): next STARTTLS, or on without TLS where allowed. */
        TLS_OFFERED,
        /** The partner's header on the stream restarted over TLS (RFC 6120 §5.4.3.3). */
        HEADER_AFTER_TLS,
        /** Features sent on an encrypted stream (SASL EXTERNAL when the certificate authenticates the partner, dialback when allowed). */
        SASL_OFFERED,
        /** The partner's header on the stream restarted after SASL success (RFC 6120 §6.4.6): the stream is authenticated. */
        HEADER_AFTER_SASL,
        /** Negotiation done: dialback requests, and stanzas of authenticated pairs, until the stream ends. */
        STANZAS,
        /** Over. */
        ENDED
    }

    /** Every inbound stream logs under the listener's name, as operators' logging configuration knows it. */
    private static final System.Logger LOG = System.getLogger(InboundServerListener.class.getName());

    private final InboundStreamSetup setup;
    private final InboundTls tls;
    /** The accepted connection, under any TLS layered on it. */
    private final Socket tcp;
    private final XmppStreamIo io;
    private final InboundHeaders headers;
    private final StanzaAuthorization authorization = new StanzaAuthorization();
    private final InboundDialback dialback;
    /** Why the partner's certificate does not authenticate it (null: it does), for SASL EXTERNAL's refusal. */
    private String certificateProblem;
    private boolean closing;

    InboundStream(InboundStreamSetup setup, Socket tcp) throws IOException {
        this.setup = setup;
        this.tls = new InboundTls(setup.tls(), setup.policy());
        this.tcp = tcp;
        this.io = new XmppStreamIo(tcp, setup.config().limits(), Set.of("jabber:server"), String.valueOf(tcp.getRemoteSocketAddress()),
                setup.tap());
        this.headers = new InboundHeaders(setup.config(), setup.policy());
        this.dialback = new InboundDialback(setup, io, headers, authorization);
    }

    /** What is authenticated on this stream. */
    Set<AuthenticatedPair> authenticatedPairs() {
        return authorization.pairs();
    }

    /**
     * Negotiates and serves until the stream ends; a stream error Parley raises is sent (after a
     * header of its own if the partner's is unanswered, RFC 6120 §4.9.1.2) and reported to the trace.
     */
    void run() {
        try {
            tcp.setSoTimeout((int) setup.config().negotiationTimeout().toMillis());
            Phase phase = setup.config().directTls() ? Phase.DIRECT_TLS : Phase.HEADER;
            while (phase != Phase.ENDED) {
                phase = step(phase);
            }
        } catch (StreamErrorException e) {
            LOG.log(System.Logger.Level.WARNING, "s2s stream from " + who() + " closed with " + e.condition().xmppName() + ": " + e.getMessage());
            setup.dispatcher().streamRefused(who(), headers.localDomain(), e);
            try {
                // RFC 6120 §4.9.1.2: an error before our header (first bytes, a refused header, the
                // first bytes after TLS) still opens the stream first — with an id, or the partner
                // discards it as a broken stream instead of reading the condition
                io.sendStreamError(headers.answered() ? "" : headers.response(), e);
            } catch (IOException ignored) {
                // the peer is gone already
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "s2s stream from " + who() + " ended: " + e.getMessage());
        } finally {
            io.closeSocket();
        }
    }

    private Phase step(Phase phase) throws IOException, StreamErrorException {
        return switch (phase) {
            case DIRECT_TLS -> {
                upgrade(true);
                yield Phase.HEADER;
            }
            case HEADER -> firstHeader();
            case TLS_OFFERED -> tlsOffered();
            case HEADER_AFTER_TLS -> {
                acceptHeader();
                yield offerSasl();
            }
            case SASL_OFFERED -> saslOffered();
            case HEADER_AFTER_SASL -> saslAuthenticated();
            case STANZAS -> serve();
            case ENDED -> Phase.ENDED;
        };
    }

    private Phase firstHeader() throws IOException, StreamErrorException {
        acceptHeader();
        if (headers.legacy()) {
            return legacy();
        }
        return io.encrypted() ? offerSasl() : offerTls();
    }

    /** Pre-RFC 3920 partners: no version, no features, no TLS; dialback is the only way in. */
    private Phase legacy() throws IOException, StreamErrorException {
        if (headers.rules().tlsRequired() && !io.encrypted()) {
            throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION,
                    "a stream without version cannot negotiate TLS, and TLS is required for " + headers.peerDomain());
        }
        if (!dialbackOffered()) {
            throw new StreamErrorException(StreamErrorCondition.NOT_AUTHORIZED,
                    "a stream without version can only use dialback, which is not allowed for " + headers.peerDomain());
        }
        io.write(headers.response());
        return Phase.STANZAS;
    }

    private Phase offerTls() throws IOException {
        StringBuilder features = new StringBuilder();
        if (setup.tls().hasCertificate()) {
            features.append("<starttls xmlns='" + InboundTls.NAMESPACE + "'>").append(headers.rules().tlsRequired() ? "<required/>" : "").append("</starttls>");
        }
        if (!headers.rules().tlsRequired() && dialbackOffered()) {
            features.append(InboundDialback.FEATURE);
        }
        answerHeader(features.toString());
        return Phase.TLS_OFFERED;
    }

    private Phase tlsOffered() throws IOException, StreamErrorException {
        StreamEvent.Stanza next = nextElement();
        Element e = next.element();
        if ("starttls".equals(e.getName()) && setup.tls().hasCertificate()) {
            io.write("<proceed xmlns='" + InboundTls.NAMESPACE + "'/>");
            upgrade(false);
            return Phase.HEADER_AFTER_TLS;
        }
        if (headers.rules().tlsRequired()) {
            throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION,
                    "TLS is required for " + headers.peerDomain() + " before <" + e.getName() + ">");
        }
        io.pushBack(next); // not negotiation: the first element of the stream proper
        LOG.log(System.Logger.Level.INFO, "s2s stream from " + headers.peerDomain() + " continues without TLS (allowed for this partner)");
        return Phase.STANZAS;
    }

    private Phase offerSasl() throws IOException {
        String peer = headers.peerDomain();
        certificateProblem = tls.certificateProblem(io.socket(), peer);
        if (certificateProblem != null) {
            LOG.log(System.Logger.Level.INFO, "s2s stream from " + peer + ": no SASL EXTERNAL offered: " + certificateProblem);
            if (io.encrypted() && !"no client certificate".equals(certificateProblem)) {
                setup.dispatcher().certificateRefused(peer, headers.localDomain(), certificateProblem);
            }
        }
        answerHeader((certificateProblem == null
                ? "<mechanisms xmlns='" + InboundSaslExternal.SASL_NS + "'><mechanism>EXTERNAL</mechanism></mechanisms>" : "")
                + (dialbackOffered() ? InboundDialback.FEATURE : ""));
        return Phase.SASL_OFFERED;
    }

    private Phase saslOffered() throws IOException, StreamErrorException {
        StreamEvent.Stanza next = nextElement();
        Element e = next.element();
        if (InboundSaslExternal.isAuth(e)) {
            InboundSaslExternal.authenticate(io, e, headers.peerDomain(), certificateProblem);
            io.restart();
            headers.restarted();
            return Phase.HEADER_AFTER_SASL;
        }
        io.pushBack(next); // not negotiation: the first element of the stream proper
        return Phase.STANZAS;
    }

    private Phase saslAuthenticated() throws IOException, StreamErrorException {
        acceptHeader();
        answerHeader(dialbackOffered() ? InboundDialback.FEATURE : "");
        authorization.add(new AuthenticatedPair(headers.peerDomain(), headers.localDomain(), "SASL EXTERNAL", io.encrypted()));
        LOG.log(System.Logger.Level.INFO, "s2s stream " + headers.peerDomain() + " → " + headers.localDomain() + " authenticated (SASL EXTERNAL)");
        return Phase.STANZAS;
    }

    /** Reads until the stream ends: closed by the partner, by its stream error, by Parley, or idle too long. */
    private Phase serve() throws IOException, StreamErrorException {
        io.timeout((int) setup.config().idleTimeout().toMillis());
        try {
            if (io.readUntilClosed(this::serveElement) && !isClosing()) {
                io.write("</stream:stream>");
            }
        } catch (SocketTimeoutException idle) {
            LOG.log(System.Logger.Level.INFO, "s2s stream from " + who() + " idle for " + setup.config().idleTimeout() + ": closing it");
            io.write("</stream:stream>");
        }
        return Phase.ENDED;
    }

    private boolean serveElement(Element e, String text) throws IOException, StreamErrorException {
        if (StanzaReader.STREAMS_NS.equals(e.getNamespaceURI())) {
            if (PeerStreamError.is(e)) {
                LOG.log(System.Logger.Level.INFO, "s2s stream from " + headers.peerDomain() + " ended by the peer: " + e.asXML());
                return false;
            }
            return true; // stream-level elements are not stanzas
        }
        if (InboundDialback.NAMESPACE.equals(e.getNamespaceURI())) {
            dialback.handle(e);
            return true;
        }
        authorization.check(e);
        setup.dispatcher().dispatch(e, text, setup.replies());
        return true;
    }

    /** Sends our closing tag (once); the stream keeps reading until the partner closes its side. */
    void closeStream() {
        try {
            synchronized (this) {
                if (closing) {
                    return;
                }
                closing = true;
            }
            if (headers.answered()) {
                io.write("</stream:stream>");
            }
            io.timeout(5000);
        } catch (IOException | RuntimeException gone) {
            // already closed
        }
    }

    private synchronized boolean isClosing() {
        return closing;
    }

    /** Closes the connection without a word: for a partner that did not close in time. */
    void abort() {
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closed already
        }
    }

    private void acceptHeader() throws IOException, StreamErrorException {
        headers.accept(io.next());
        if (headers.peerDomain() != null) {
            io.peer(headers.peerDomain());
        }
    }

    private void answerHeader(String features) throws IOException {
        io.write(headers.response() + "<stream:features>" + features + "</stream:features>");
    }

    /** TLS, then a new stream over it (RFC 6120 §5.4.3.3): the partner's next header is a new one to answer. */
    private void upgrade(boolean direct) throws IOException {
        io.upgrade(tls.handshake(io.socket(), direct));
        headers.restarted();
    }

    private boolean dialbackOffered() {
        return InboundDialback.offered(setup, headers.rules());
    }

    private StreamEvent.Stanza nextElement() throws IOException, StreamErrorException {
        StreamEvent e = io.next();
        if (e instanceof StreamEvent.Stanza s) {
            return s;
        }
        throw new IOException("stream closed during negotiation");
    }

    private String who() {
        return headers.peerDomain() == null ? String.valueOf(tcp.getRemoteSocketAddress()) : headers.peerDomain();
    }
}
