package org.parley.xmpp.s2s;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.parley.xmpp.stream.PeerStreamError;
import org.parley.xmpp.stream.StanzaReader;
import org.parley.xmpp.stream.StreamErrorException;
import org.parley.xmpp.stream.StreamEvent;
import org.parley.xmpp.stream.StreamLimits;
import org.parley.xmpp.stream.XmppStreamIo;
import org.parley.xmpp.stream.XmppWireTap;

/**
 * The negotiation mechanics of a connection Parley opens to a partner's s2s service: TCP connect,
 * direct TLS or STARTTLS, stream headers (a new XML document after every restart), reading
 * negotiation elements; the bytes themselves go through an {@link XmppStreamIo}. What is negotiated
 * over it belongs to the caller: an originating stream ({@link OutboundServerStream}) or a dialback
 * verification ({@link DialbackVerifier}).
 */
final class S2sConnection implements AutoCloseable {

    static final String STREAMS = StanzaReader.STREAMS_NS;
    static final String TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls";
    static final String SASL_NS = "urn:ietf:params:xml:ns:xmpp-sasl";
    static final String DIALBACK_FEATURE_NS = "urn:xmpp:features:dialback";

    private final String localDomain;
    private final String remoteDomain;
    private final S2sTarget target;
    private XmppStreamIo io;
    private String streamId;

    private S2sConnection(String localDomain, String remoteDomain, S2sTarget target) {
        this.localDomain = localDomain;
        this.remoteDomain = remoteDomain;
        this.target = target;
    }

    /** Connects; with a direct-TLS target the TLS handshake (ALPN {@code xmpp-server}) happens here. */
    static S2sConnection connect(S2sTarget target, String localDomain, String remoteDomain, SSLContext tls, boolean checkName,
                                 int timeoutMillis, XmppWireTap tap) throws IOException {
        S2sConnection c = new S2sConnection(localDomain, remoteDomain, target);
        try {
            Socket plain = new Socket();
            plain.setTcpNoDelay(true);
            plain.connect(new InetSocketAddress(target.host(), target.port()), timeoutMillis);
            plain.setSoTimeout(timeoutMillis);
            c.io = new XmppStreamIo(plain, StreamLimits.DEFAULT, Set.of("jabber:server"), remoteDomain, tap);
            if (target.directTls()) {
                c.handshake(tls, checkName, true);
            }
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * Sends a stream header and returns the partner's features. A partner that answers without
     * {@code version} speaks the pre-RFC 3920 protocol: it sends no features (an empty element
     * stands for them) and knows only dialback.
     */
    Element openStream() throws IOException, StreamErrorException, S2sException {
        write("<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='" + STREAMS
                + "' xmlns:db='jabber:server:dialback' from='" + localDomain + "' to='" + remoteDomain + "' version='1.0'>");
        StreamEvent first = io.next();
        if (!(first instanceof StreamEvent.Opened opened)) {
            throw new S2sException("expected a stream header from " + remoteDomain);
        }
        streamId = opened.attributes().get("id");
        if (opened.attributes().get("version") == null) {
            return DocumentHelper.createElement("features");
        }
        Element features = nextElement();
        if (!"features".equals(features.getName()) || !STREAMS.equals(features.getNamespaceURI())) {
            throw new S2sException("expected stream features from " + remoteDomain + ", got <" + features.getName() + ">");
        }
        return features;
    }

    /** STARTTLS (RFC 6120 §5.4) on an open stream; the caller reopens the stream afterwards. */
    void startTls(SSLContext tls, boolean checkName) throws IOException, StreamErrorException, S2sException {
        write("<starttls xmlns='" + TLS_NS + "'/>");
        Element answer = nextElement();
        if (!"proceed".equals(answer.getName())) {
            throw new S2sException(remoteDomain + " refused STARTTLS: <" + answer.getName() + "/>");
        }
        handshake(tls, checkName, false);
    }

    private void handshake(SSLContext tls, boolean checkName, boolean direct) throws IOException {
        Socket socket = io.socket();
        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, remoteDomain, target.port(), true);
        ssl.setUseClientMode(true);
        SSLParameters params = ssl.getSSLParameters();
        params.setServerNames(List.of(new SNIHostName(remoteDomain)));
        params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        if (direct) {
            params.setApplicationProtocols(new String[] {"xmpp-server"}); // XEP-0368 §4
        }
        ssl.setSSLParameters(params);
        ssl.setSoTimeout(socket.getSoTimeout());
        try {
            ssl.startHandshake();
        } catch (javax.net.ssl.SSLHandshakeException e) {
            // JSSE says "PKIX path validation failed"; the log must say expired / not yet valid / wrong name / unknown CA
            javax.net.ssl.SSLHandshakeException named = new javax.net.ssl.SSLHandshakeException(
                    "TLS with " + remoteDomain + " failed: " + CertificateProblems.describe(e));
            named.initCause(e);
            throw named;
        }
        if (checkName) {
            // RFC 6120 §13.7.2: the partner's certificate must be valid for its domain — as a DNS-ID, SRV-ID or XmppAddr
            // (PartnerNames), which the JDK's HTTPS host name check would not all accept
            java.security.cert.Certificate leaf = ssl.getSession().getPeerCertificates()[0];
            if (!(leaf instanceof java.security.cert.X509Certificate x509) || !PartnerNames.names(x509, remoteDomain)) {
                ssl.close();
                throw new javax.net.ssl.SSLHandshakeException("TLS with " + remoteDomain + " failed: certificate name mismatch ("
                        + (leaf instanceof java.security.cert.X509Certificate x ? x.getSubjectX500Principal().getName() : "not X.509")
                        + " does not name " + remoteDomain + ")");
            }
        }
        io.upgrade(ssl);
    }

    /** After SASL success the stream restarts: a new XML document, so a new reader. */
    void restart() {
        io.restart();
    }

    boolean encrypted() {
        return io.encrypted();
    }

    /** The partner's id for the current stream (what dialback keys are bound to). */
    String streamId() {
        return streamId;
    }

    /** The stream's bytes, for reading once negotiation is over. */
    XmppStreamIo io() {
        return io;
    }

    void negotiated() throws IOException {
        io.timeout(0);
    }

    void timeout(int millis) throws IOException {
        io.timeout(millis);
    }

    Element nextElement() throws IOException, StreamErrorException, S2sException {
        StreamEvent e = io.next();
        if (e instanceof StreamEvent.Stanza s) {
            Element el = s.element();
            if (PeerStreamError.is(el)) {
                throw new S2sException(remoteDomain + " sent a stream error: " + el.asXML());
            }
            return el;
        }
        throw new S2sException(remoteDomain + " closed the stream during negotiation");
    }

    void write(String xml) throws IOException {
        io.write(xml);
    }

    @Override
    public void close() {
        if (io != null) {
            try {
                write("</stream:stream>");
            } catch (IOException ignored) {
                // closing anyway
            }
            io.closeSocket();
        }
    }

    static Element child(Element parent, String name, String ns) {
        for (Object o : parent.elements()) {
            Element e = (Element) o;
            if (name.equals(e.getName()) && ns.equals(e.getNamespaceURI())) {
                return e;
            }
        }
        return null;
    }
}
