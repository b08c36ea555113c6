package org.parley.sip.im;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.Receipt;
import org.parley.sip.SipEndpoint;
import org.parley.sip.config.HostPort;
import org.parley.sip.config.SipDialect;
import org.parley.sip.config.SipEndpointConfig;
import org.parley.sip.config.SipTransport;
import org.parley.sip.testing.FreePorts;
import org.parley.sip.testing.RecordingInbound;

/**
 * Page-mode MESSAGEs through the assembled endpoint toward a front end that takes the connection and the request and
 * never answers: Timer F (the request timeout) fails the target over, and with no target left the sender hears 408.
 * Plain TCP (the lab transport) keeps the silent front end a few lines; the transaction is the same over TLS.
 */
class PageModeFailoverTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(1500);

    /** Accepts connections and reads every byte it is sent, answering nothing. */
    private static final class SilentFrontEnd implements AutoCloseable {
        final ServerSocket server;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final Thread acceptor;

        SilentFrontEnd() throws Exception {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(this::serve, "silent-front-end");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void serve() {
            try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                byte[] buf = new byte[4096];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (received) {
                        received.write(buf, 0, n);
                    }
                }
            } catch (Exception closed) {
                // the test is over
            }
        }

        String text() {
            synchronized (received) {
                return received.toString(StandardCharsets.UTF_8);
            }
        }

        HostPort target() {
            return new HostPort("127.0.0.1", server.getLocalPort());
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    @Test
    void aFrontEndThatTakesTheMessageAndNeverAnswersIsFailedOverAfterTheRequestTimeout() throws Exception {
        int peerPort = FreePorts.next();
        AddressMapper mapper = AddressMapper.forDomains(List.of("xmpp.test", "contoso.com"));
        RecordingInbound atPeer = new RecordingInbound();
        try (SilentFrontEnd silent = new SilentFrontEnd();
             SipEndpoint gateway = new SipEndpoint(config("gw.xmpp.test", FreePorts.next(), List.of(silent.target(), new HostPort("127.0.0.1", peerPort)),
                     "xmpp.test"), mapper, new RecordingInbound(), Clock.systemUTC(), line -> { });
             SipEndpoint peer = new SipEndpoint(config("fe.contoso.com", peerPort, List.of(new HostPort("127.0.0.1", 5999)), "contoso.com"),
                     mapper, atPeer, Clock.systemUTC(), line -> { })) {
            gateway.start();
            peer.start();
            long start = System.nanoTime();

            GatewayEvent outcome = gateway.sendMessage(ChatMessage.text(Address.sip("juliet", "xmpp.test"), Address.sip("bob", "contoso.com"),
                    "f1", "the second target takes it")).get(15, TimeUnit.SECONDS);

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(outcome).isInstanceOf(Receipt.class);
            assertThat(silent.text()).as("the first target had the request").contains("MESSAGE sip:bob@contoso.com SIP/2.0");
            assertThat(took).as("the silent target held it for the request timeout").isGreaterThanOrEqualTo(REQUEST_TIMEOUT);
            assertThat(atPeer.messages.poll(5, TimeUnit.SECONDS).body()).isEqualTo("the second target takes it");
            assertThat(gateway.route().isHealthy(silent.target())).isFalse();
            assertThat(gateway.messaging().pendingCount()).isZero();
        }
    }

    @Test
    void withNoFrontEndAnsweringTheSenderHears408OnceTheRequestTimeoutHasPassed() throws Exception {
        AddressMapper mapper = AddressMapper.forDomains(List.of("xmpp.test", "contoso.com"));
        try (SilentFrontEnd silent = new SilentFrontEnd();
             SipEndpoint gateway = new SipEndpoint(config("gw.xmpp.test", FreePorts.next(), List.of(silent.target()), "xmpp.test"),
                     mapper, new RecordingInbound(), Clock.systemUTC(), line -> { })) {
            gateway.start();
            long start = System.nanoTime();

            GatewayEvent outcome = gateway.sendMessage(ChatMessage.text(Address.sip("juliet", "xmpp.test"), Address.sip("bob", "contoso.com"),
                    "f2", "anyone?")).get(15, TimeUnit.SECONDS);

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(outcome).isInstanceOfSatisfying(GatewayError.class, e -> {
                assertThat(e.sipStatus()).isEqualTo(408);
                assertThat(e.condition()).isEqualTo(ErrorCondition.REMOTE_SERVER_TIMEOUT);
                assertThat(e.correlationId()).isEqualTo("f2");
            });
            assertThat(took).isGreaterThanOrEqualTo(REQUEST_TIMEOUT).isLessThan(REQUEST_TIMEOUT.plusSeconds(2));
            assertThat(gateway.messaging().pendingCount()).isZero();
        }
    }

    private static SipEndpointConfig config(String fqdn, int port, List<HostPort> frontEnds, String domain) {
        return new SipEndpointConfig(fqdn, "127.0.0.1", "127.0.0.1", port, SipTransport.TCP, null, frontEnds,
                Duration.ofSeconds(2), REQUEST_TIMEOUT, Duration.ofSeconds(30), Set.of(domain), SipDialect.RFC, null);
    }
}
