package org.parley.sip.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.Receipt;
import org.parley.sip.SipEndpoint;
import org.parley.sip.SipInbound;
import org.parley.sip.config.HostPort;
import org.parley.sip.config.SipEndpointConfig;
import org.parley.sip.config.SipTransport;
import org.parley.sip.tls.TlsMaterial;

/**
 * A real {@link SipEndpoint} on mutual TLS (gw.contoso.com serving xmpp.test) and a front end that writes raw
 * request bytes on one connection and reads the answers back as text: for tests of what a UAS answers on the wire.
 */
public final class RawSipOverTls implements AutoCloseable {

    private final SipEndpoint parley;
    private final int port;
    private final SSLContext frontEnd;

    private RawSipOverTls(SipEndpoint parley, int port, SSLContext frontEnd) {
        this.parley = parley;
        this.port = port;
        this.frontEnd = frontEnd;
    }

    public static RawSipOverTls start() throws Exception {
        return start(new SipInbound() {
            @Override
            public CompletionStage<GatewayEvent> onMessage(ChatMessage m) {
                return CompletableFuture.completedFuture(new Receipt(m.to(), m.from(), m.id()));
            }
        });
    }

    /** The same endpoint handing what it takes to {@code inbound} (e.g. a {@link RecordingInbound}), for tests that look at it. */
    public static RawSipOverTls start(SipInbound inbound) throws Exception {
        return start(org.parley.sip.SipSides.of(inbound));
    }

    /** The same endpoint telling {@code sides} (e.g. a {@link RecordingInbound}'s {@link RecordingInbound#sides()}). */
    public static RawSipOverTls start(org.parley.sip.SipSides sides) throws Exception {
        TestPki pki = new TestPki();
        TestPki.Issued ca = pki.newCa("Raw SIP CA");
        TestPki.Issued gw = pki.newLeaf(ca, "gw.contoso.com", "127.0.0.1");
        TestPki.Issued fe = pki.newLeaf(ca, "fe1.contoso.com", "127.0.0.1");
        int port = FreePorts.next();
        SipEndpointConfig config = new SipEndpointConfig("gw.contoso.com", "127.0.0.1", "127.0.0.1", port, SipTransport.TLS,
                new TlsMaterial(List.of(gw.certificate()), gw.keys().getPrivate(), List.of(ca.certificate()), Set.of("fe1.contoso.com")),
                List.of(new HostPort("127.0.0.1", FreePorts.next())), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(30),
                Set.of("xmpp.test"), null, null);
        SipEndpoint parley = new SipEndpoint(config, AddressMapper.forDomains(List.of("xmpp.test", "contoso.com")), sides,
                Clock.systemUTC(), line -> { });
        parley.start();
        SSLContext fe1 = new TlsMaterial(List.of(fe.certificate()), fe.keys().getPrivate(), List.of(ca.certificate()), Set.of("gw.contoso.com"))
                .sslContext(r -> { });
        return new RawSipOverTls(parley, port, fe1);
    }

    public int port() {
        return port;
    }

    /** A new mutual-TLS connection to the endpoint. */
    public Connection connect() throws IOException {
        SSLSocket s = (SSLSocket) frontEnd.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(5_000);
        s.startHandshake();
        s.setSoTimeout(250);
        return new Connection(s);
    }

    /** A minimal out-of-dialog request: Request-Line, Via (as given), the mandatory headers, no body. */
    public String request(String method, String uri, String via, String branch) {
        return method + " " + uri + " SIP/2.0\r\nVia: SIP/2.0/" + via + ";branch=z9hG4bK-" + branch + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:fe1@contoso.com>;tag=" + branch + "\r\nTo: <sip:gw@contoso.com>\r\n"
                + "Call-ID: " + branch + "@fe1.contoso.com\r\nCSeq: 1 " + method + "\r\nContent-Length: 0\r\n\r\n";
    }

    @Override
    public void close() {
        parley.close();
    }

    /** One front-end connection. */
    public static final class Connection implements AutoCloseable {

        private final SSLSocket socket;

        Connection(SSLSocket socket) {
            this.socket = socket;
        }

        public Connection send(String message) throws IOException {
            socket.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return this;
        }

        /** Sends bytes as they are: for a body in another charset than UTF-8. */
        public Connection send(byte[] message) throws IOException {
            socket.getOutputStream().write(message);
            socket.getOutputStream().flush();
            return this;
        }

        /** The body that follows the head {@link #finalResponse()} returned (its Content-Length), as UTF-8; "" if none. */
        public String body(String head) throws IOException {
            int length = head.lines().filter(l -> l.regionMatches(true, 0, "Content-Length:", 0, 15))
                    .map(l -> Integer.parseInt(l.substring(15).strip())).findFirst().orElse(0);
            byte[] body = new byte[length];
            int read = 0;
            long deadline = System.currentTimeMillis() + 5_000;
            while (read < length && System.currentTimeMillis() < deadline) {
                try {
                    int n = socket.getInputStream().read(body, read, length - read);
                    if (n < 0) {
                        break;
                    }
                    read += n;
                } catch (SocketTimeoutException slow) {
                    // keep waiting until the deadline
                }
            }
            return new String(body, 0, read, StandardCharsets.UTF_8);
        }

        /** The next final response's status line and headers (1xx skipped), or "" if none came within 5 s. */
        public String finalResponse() throws IOException {
            long deadline = System.currentTimeMillis() + 5_000;
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            StringBuilder head = new StringBuilder();
            while (System.currentTimeMillis() < deadline) {
                int b;
                try {
                    b = in.read();
                } catch (SocketTimeoutException slow) {
                    continue;
                }
                if (b < 0) {
                    return "";
                }
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                String l = line.toString(StandardCharsets.UTF_8).strip();
                line.reset();
                if (head.isEmpty() && !l.startsWith("SIP/2.0 ")) {
                    continue; // the rest of an earlier message
                }
                if (l.isEmpty()) {
                    if (head.toString().startsWith("SIP/2.0 1")) {
                        head.setLength(0);
                        continue;
                    }
                    return head.toString();
                }
                head.append(l).append('\n');
            }
            return "";
        }

        /** The status code of {@link #finalResponse()}, 0 for none. */
        public int finalStatus() throws IOException {
            String r = finalResponse();
            return r.isEmpty() ? 0 : Integer.parseInt(r.substring(8, 11));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
