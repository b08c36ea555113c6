package org.parley.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

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
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.presence.address.AddressMapper;
import org.parley.sip.SipEndpoint;
import org.parley.sip.SipInbound;
import org.parley.sip.config.HostPort;
import org.parley.sip.config.SipEndpointConfig;
import org.parley.sip.config.SipTransport;
import org.parley.sip.testing.FreePorts;
import org.parley.sip.testing.TestPki;
import org.parley.sip.tls.TlsMaterial;

/**
 * RFC 3261 §18.2.2: a request that arrives over TLS is answered on that connection, whatever its Via says. A Via
 * naming UDP or plain TCP and a host no DNS knows (as RFC 4475's messages and any proxy's do) must not send the
 * answer by UDP, by a new connection, or nowhere; and the connection keeps serving the next request.
 */
class AnswerOnArrivalConnectionTest {

    private static SipEndpoint parley;
    private static int port;
    private static SSLContext frontEnd;

    @BeforeAll
    static void start() throws Exception {
        TestPki pki = new TestPki();
        TestPki.Issued ca = pki.newCa("Arrival CA");
        TestPki.Issued gw = pki.newLeaf(ca, "gw.contoso.com", "127.0.0.1");
        TestPki.Issued fe = pki.newLeaf(ca, "fe1.contoso.com", "127.0.0.1");
        port = FreePorts.next();
        SipEndpointConfig config = new SipEndpointConfig("gw.contoso.com", "127.0.0.1", "127.0.0.1", port, SipTransport.TLS,
                new TlsMaterial(List.of(gw.certificate()), gw.keys().getPrivate(), List.of(ca.certificate()), Set.of("fe1.contoso.com")),
                List.of(new HostPort("127.0.0.1", FreePorts.next())), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(30),
                Set.of("xmpp.test"), null, null);
        parley = new SipEndpoint(config, AddressMapper.forDomains(List.of("xmpp.test", "contoso.com")), new SipInbound() {
            @Override
            public java.util.concurrent.CompletionStage<org.parley.presence.model.GatewayEvent> onMessage(
                    org.parley.presence.model.ChatMessage m) {
                return java.util.concurrent.CompletableFuture.completedFuture(new org.parley.presence.model.Receipt(m.to(), m.from(), m.id()));
            }
        }, Clock.systemUTC(), line -> { });
        parley.start();
        frontEnd = new TlsMaterial(List.of(fe.certificate()), fe.keys().getPrivate(), List.of(ca.certificate()), Set.of("gw.contoso.com"))
                .sslContext(r -> { });
    }

    @AfterAll
    static void stop() {
        if (parley != null) {
            parley.close();
        }
    }

    private static String options(String via, String branch) {
        return "OPTIONS sip:127.0.0.1:" + port + ";transport=tls SIP/2.0\r\n"
                + "Via: SIP/2.0/" + via + ";branch=z9hG4bK-" + branch + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:fe1@contoso.com>;tag=" + branch + "\r\nTo: <sip:gw@contoso.com>\r\n"
                + "Call-ID: " + branch + "@fe1.contoso.com\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
    }

    @Test
    void everyAnswerGoesBackOnTheConnectionTheRequestCameInOn() throws Exception {
        try (SSLSocket s = (SSLSocket) frontEnd.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5_000);
            s.startHandshake();
            s.setSoTimeout(250);
            send(s, options("UDP host1.example.com", "udp-via"));
            assertThat(readStatus(s.getInputStream(), 5_000)).as("Via says UDP to an unknown host").isEqualTo(200);
            send(s, options("TCP host9.example.com:5070", "tcp-via"));
            assertThat(readStatus(s.getInputStream(), 5_000)).as("Via says TCP to another host").isEqualTo(200);
            // no Contact: JAIN-SIP builds no transaction, so this one is answered statelessly
            send(s, "INVITE sip:juliet@xmpp.test SIP/2.0\r\nVia: SIP/2.0/UDP host1.example.com;branch=z9hG4bK-nocontact\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:alice@contoso.com>;tag=nc\r\nTo: <sip:juliet@xmpp.test>\r\n"
                    + "Call-ID: nocontact@fe1.contoso.com\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n");
            assertThat(readStatus(s.getInputStream(), 5_000)).as("a stateless answer, Via UDP").isBetween(400, 499);
            send(s, options("TLS 127.0.0.1:5071", "after"));
            assertThat(readStatus(s.getInputStream(), 5_000)).as("the connection keeps serving").isEqualTo(200);
        }
    }

    private static void send(SSLSocket s, String message) throws IOException {
        s.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
    }

    /** The next final (non-1xx) status line read, 0 if the stream ends or the time runs out first. */
    private static int readStatus(InputStream in, int timeoutMillis) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (System.currentTimeMillis() < deadline) {
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException slow) {
                continue;
            }
            if (b < 0) {
                return 0;
            }
            if (b == '\n') {
                String l = line.toString(StandardCharsets.ISO_8859_1).strip();
                line.reset();
                if (l.startsWith("SIP/2.0 ") && l.length() >= 11 && !l.startsWith("SIP/2.0 1")) {
                    return Integer.parseInt(l.substring(8, 11));
                }
            } else {
                line.write(b);
            }
        }
        return 0;
    }
}
