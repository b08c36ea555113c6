package org.parley.xmpp.s2s;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.dom4j.Element;
import org.parley.presence.model.GatewayEvent;
import org.parley.xmpp.adapt.ModelToXmpp;
import org.parley.xmpp.stream.StanzaReader;
import org.parley.xmpp.stream.StreamErrorException;
import org.parley.xmpp.stream.StreamEvent;
import org.parley.xmpp.stream.StreamLimits;

/**
 * An outgoing server-to-server stream (RFC 6120) from one of Parley's domains to a partner
 * domain: STARTTLS (required; the partner's certificate must be valid for its domain), then SASL
 * EXTERNAL (XEP-0178) with Parley's own certificate, then stanzas. Streams are one-way: this one
 * only sends; the partner's stanzas arrive on the stream it opens toward Parley.
 *
 * <p>Dialback (XEP-0220) and direct TLS (XEP-0368) are not implemented yet: a partner that does
 * not offer EXTERNAL after TLS is refused with a clear error.
 */
public final class OutboundServerStream implements AutoCloseable {

    static final String STREAMS = StanzaReader.STREAMS_NS;
    static final String TLS_NS = "urn:ietf:params:xml:ns:xmpp-tls";
    static final String SASL_NS = "urn:ietf:params:xml:ns:xmpp-sasl";

    private final String localDomain;
    private final String remoteDomain;
    private final ModelToXmpp outbound;
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private StanzaReader reader;
    private final Deque<StreamEvent> backlog = new ArrayDeque<>();
    private final byte[] buf = new byte[16 * 1024];
    private volatile long lastUsed = System.nanoTime();
    private DialbackKeys dialback;
    private String partnerStreamId;
    /** How the partner authenticated this stream: "SASL EXTERNAL" or "dialback". */
    private String authentication;

    private OutboundServerStream(String localDomain, String remoteDomain, ModelToXmpp outbound) {
        this.localDomain = localDomain;
        this.remoteDomain = remoteDomain;
        this.outbound = outbound;
    }

    /**
     * Connects and negotiates; returns a stream ready for stanzas.
     *
     * @throws S2sException with the step that failed (connect, TLS, SASL, stream error)
     */
    public static OutboundServerStream open(String host, int port, String localDomain, String remoteDomain, SSLContext tls,
                                            ModelToXmpp outbound, int timeoutMillis) throws S2sException {
        return open(host, port, localDomain, remoteDomain, tls, outbound, timeoutMillis, null);
    }

    /**
     * As {@link #open(String, int, String, String, SSLContext, ModelToXmpp, int)}; when the partner
     * does not offer SASL EXTERNAL and {@code dialback} is given, authenticates with Server
     * Dialback (XEP-0220) over the TLS-protected stream instead.
     */
    public static OutboundServerStream open(String host, int port, String localDomain, String remoteDomain, SSLContext tls,
                                            ModelToXmpp outbound, int timeoutMillis, DialbackKeys dialback) throws S2sException {
        OutboundServerStream s = new OutboundServerStream(localDomain, remoteDomain, outbound);
        s.dialback = dialback;
        try {
            s.negotiate(host, port, tls, timeoutMillis);
            return s;
        } catch (IOException e) {
            s.close();
            throw new S2sException("s2s " + localDomain + " → " + remoteDomain + " via " + host + ":" + port + ": " + e.getMessage(), e);
        } catch (StreamErrorException e) {
            s.close();
            throw new S2sException("s2s " + localDomain + " → " + remoteDomain + ": stream error " + e.condition().xmppName()
                    + " (" + e.getMessage() + ")", e);
        } catch (S2sException e) {
            s.close();
            throw e;
        }
    }

    private void negotiate(String host, int port, SSLContext tls, int timeoutMillis) throws IOException, StreamErrorException, S2sException {
        Socket plain = new Socket();
        plain.setTcpNoDelay(true);
        plain.connect(new InetSocketAddress(host, port), timeoutMillis);
        plain.setSoTimeout(timeoutMillis);
        useSocket(plain);

        Element features = openStream();
        if (child(features, "starttls", TLS_NS) == null) {
            throw new S2sException(remoteDomain + " does not offer STARTTLS; Parley requires TLS");
        }
        write("<starttls xmlns='" + TLS_NS + "'/>");
        Element answer = nextElement();
        if (!"proceed".equals(answer.getName())) {
            throw new S2sException(remoteDomain + " refused STARTTLS: <" + answer.getName() + "/>");
        }
        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(plain, remoteDomain, port, true);
        ssl.setUseClientMode(true);
        SSLParameters params = ssl.getSSLParameters();
        // RFC 6120 §13.7.2: the partner's certificate must be valid for its domain
        params.setEndpointIdentificationAlgorithm("HTTPS");
        params.setServerNames(List.of(new SNIHostName(remoteDomain)));
        params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        ssl.setSSLParameters(params);
        ssl.setSoTimeout(timeoutMillis);
        ssl.startHandshake();
        useSocket(ssl);

        features = openStream();
        Element mechanisms = child(features, "mechanisms", SASL_NS);
        boolean external = mechanisms != null && mechanisms.elements().stream()
                .anyMatch(m -> "EXTERNAL".equals(((Element) m).getTextTrim()));
        if (!external && dialback != null) {
            // XEP-0220 over the encrypted stream: the partner calls us back to verify the key
            write("<db:result from='" + localDomain + "' to='" + remoteDomain + "'>"
                    + dialback.key(remoteDomain, localDomain, partnerStreamId) + "</db:result>");
            Element result = nextElement();
            if (!"result".equals(result.getName()) || !"valid".equals(result.attributeValue("type"))) {
                throw new S2sException(remoteDomain + " did not accept dialback for " + localDomain + ": " + result.asXML());
            }
            authentication = "dialback";
            ssl.setSoTimeout(0);
            return;
        }
        if (!external) {
            throw new S2sException(remoteDomain + " does not offer SASL EXTERNAL for " + localDomain
                    + " (its certificate is not accepted there; dialback is not enabled)");
        }
        authentication = "SASL EXTERNAL";
        write("<auth xmlns='" + SASL_NS + "' mechanism='EXTERNAL'>"
                + Base64.getEncoder().encodeToString(localDomain.getBytes(StandardCharsets.UTF_8)) + "</auth>");
        answer = nextElement();
        if (!"success".equals(answer.getName())) {
            throw new S2sException(remoteDomain + " refused SASL EXTERNAL for " + localDomain + ": " + answer.asXML());
        }
        // RFC 6120 §6.4.6: the stream restarts after SASL — a new XML document, so a new reader
        reader = new StanzaReader(StreamLimits.DEFAULT, Set.of("jabber:server"));
        backlog.clear();
        openStream();
        ssl.setSoTimeout(0);
    }

    /** Sends a model event (addressed from the local domain) as a stanza. */
    public void send(GatewayEvent event) throws IOException {
        write(outbound.translate(event).toXML());
        lastUsed = System.nanoTime();
    }

    /** XEP-0199 ping to the partner domain (its answer comes back on the partner's stream). */
    public void ping(String id) throws IOException {
        write("<iq type='get' id='" + id + "' from='" + localDomain + "' to='" + remoteDomain + "'><ping xmlns='urn:xmpp:ping'/></iq>");
    }

    /** How this stream was authenticated: {@code SASL EXTERNAL} or {@code dialback}. */
    public String authentication() {
        return authentication;
    }

    /** Nanoseconds since the last stanza sent (pings do not count). */
    public long idleNanos() {
        return System.nanoTime() - lastUsed;
    }

    /** Writes raw bytes on the negotiated stream: for tests that play a misbehaving partner. */
    void sendRaw(String xml) throws IOException {
        write(xml);
    }

    /**
     * Reads until the partner sends a stream error or closes; returns the error condition's name,
     * or {@code "closed"}. For tests that check how Parley's listener ends a bad stream.
     */
    String awaitStreamEnd(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        try {
            while (true) {
                StreamEvent e = nextEvent();
                if (e instanceof StreamEvent.Closed) {
                    return "closed";
                }
                if (e instanceof StreamEvent.Stanza s && "error".equals(s.element().getName())
                        && STREAMS.equals(s.element().getNamespaceURI())) {
                    for (Object o : s.element().elements()) {
                        Element c = (Element) o;
                        if (!"text".equals(c.getName())) {
                            return c.getName();
                        }
                    }
                    return "error";
                }
            }
        } catch (IOException | StreamErrorException e) {
            return "closed";
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                write("</stream:stream>");
            } catch (IOException ignored) {
                // closing anyway
            }
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private void useSocket(Socket s) throws IOException {
        socket = s;
        out = s.getOutputStream();
        in = s.getInputStream();
        reader = new StanzaReader(StreamLimits.DEFAULT, Set.of("jabber:server"));
        backlog.clear();
    }

    /** Sends a stream header and returns the features the partner announces. */
    private Element openStream() throws IOException, StreamErrorException, S2sException {
        write("<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='" + STREAMS
                + "' xmlns:db='jabber:server:dialback' from='" + localDomain + "' to='" + remoteDomain + "' version='1.0'>");
        StreamEvent first = nextEvent();
        if (!(first instanceof StreamEvent.Opened opened)) {
            throw new S2sException("expected a stream header from " + remoteDomain);
        }
        partnerStreamId = opened.attributes().get("id");
        Element features = nextElement();
        if (!"features".equals(features.getName()) || !STREAMS.equals(features.getNamespaceURI())) {
            throw new S2sException("expected stream features from " + remoteDomain + ", got <" + features.getName() + ">");
        }
        return features;
    }

    private Element nextElement() throws IOException, StreamErrorException, S2sException {
        StreamEvent e = nextEvent();
        if (e instanceof StreamEvent.Stanza s) {
            Element el = s.element();
            if ("error".equals(el.getName()) && STREAMS.equals(el.getNamespaceURI())) {
                throw new S2sException(remoteDomain + " sent a stream error: " + el.asXML());
            }
            return el;
        }
        throw new S2sException(remoteDomain + " closed the stream during negotiation");
    }

    private StreamEvent nextEvent() throws IOException, StreamErrorException {
        while (backlog.isEmpty()) {
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("connection closed by " + remoteDomain);
            }
            backlog.addAll(reader.feed(buf, 0, n));
        }
        return backlog.removeFirst();
    }

    private synchronized void write(String xml) throws IOException {
        out.write(xml.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static Element child(Element parent, String name, String ns) {
        for (Object o : parent.elements()) {
            Element e = (Element) o;
            if (name.equals(e.getName()) && ns.equals(e.getNamespaceURI())) {
                return e;
            }
        }
        return null;
    }
}
