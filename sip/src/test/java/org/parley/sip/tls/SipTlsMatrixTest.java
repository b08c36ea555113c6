package org.parley.sip.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.Receipt;
import org.parley.sip.SipEndpoint;
import org.parley.sip.config.HostPort;
import org.parley.sip.config.SipEndpointConfig;
import org.parley.sip.config.SipTransport;
import org.parley.sip.testing.FreePorts;
import org.parley.sip.testing.TestPki;
import org.parley.sip.testing.TestSipUserAgent;

/**
 * The mutual-TLS matrix of the trusted-application link, in the spirit of Openfire's
 * LocalOutgoingServerSessionTest: each state of the peer's certificate × each direction, with the
 * outcome derived from the rule (chain to the configured CA, valid now, a name in the trusted
 * front-end list, a client certificate present) and the reason the log must name.
 */
class SipTlsMatrixTest {

    enum PeerCertificate {
        VALID, UNTRUSTED_CA, EXPIRED, NOT_YET_VALID, NAME_MISMATCH, NONE
    }

    enum Direction {
        /** The peer (front end) connects to Parley and sends a MESSAGE. */
        INBOUND,
        /** Parley connects to the peer and sends a MESSAGE. */
        OUTBOUND
    }

    /** Expected outcome with the reason it follows from. */
    record Expected(boolean delivered, String logMentions, String why) {
    }

    static Expected expected(PeerCertificate cert, Direction direction) {
        return switch (cert) {
            case VALID -> new Expected(true, null, "chains to the trusted CA, valid now, name fe1.contoso.com is a trusted front end");
            case UNTRUSTED_CA -> new Expected(false, "certification path", "issued by a CA outside the trust bundle");
            case EXPIRED -> new Expected(false, "NotAfter", "validity ended yesterday");
            case NOT_YET_VALID -> new Expected(false, "NotBefore", "validity starts tomorrow");
            case NAME_MISMATCH -> new Expected(false, "are not among the trusted peers", "rogue.contoso.com is not a configured front end");
            case NONE -> new Expected(false, direction == Direction.INBOUND ? "presented no certificate" : null,
                    "mutual TLS: a front end without a client certificate is refused");
        };
    }

    static Stream<Arguments> matrix() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (Direction d : Direction.values()) {
            for (PeerCertificate c : PeerCertificate.values()) {
                if (d == Direction.OUTBOUND && c == PeerCertificate.NONE) {
                    continue; // a TLS server always presents a certificate
                }
                b.add(Arguments.of(d, c, expected(c, d)));
            }
        }
        return b.build();
    }

    private static TestPki pki;
    private static TestPki.Issued ca;
    private static TestPki.Issued otherCa;
    private static SipEndpoint parley;
    private static int parleyPort;
    private static final BlockingQueue<ChatMessage> inbound = new LinkedBlockingQueue<>();
    private static final List<String> securityLog = new CopyOnWriteArrayList<>();
    private static final List<String> stackLog = new CopyOnWriteArrayList<>();
    private static final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            stackLog.add(r.getMessage() + (r.getThrown() == null ? "" : " " + r.getThrown()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private static TlsMaterial parleyTls;
    private static AddressMapper mapper;

    @BeforeAll
    static void startParley() throws Exception {
        Logger.getLogger("org.parley.sip.jain").addHandler(capture);
        pki = new TestPki();
        ca = pki.newCa("Matrix CA");
        otherCa = pki.newCa("Unknown CA");
        TestPki.Issued gw = pki.newLeaf(ca, "gw.contoso.com", "gw1.contoso.com");
        parleyTls = new TlsMaterial(List.of(gw.certificate()), gw.keys().getPrivate(), List.of(ca.certificate()),
                Set.of("fe1.contoso.com", "fe2.contoso.com"));
        mapper = AddressMapper.forDomains(List.of("xmpp.test", "contoso.com"));
        parleyPort = FreePorts.next();
        parley = endpoint(parleyPort, new HostPort("127.0.0.1", FreePorts.next()));
        parley.start();
    }

    @AfterAll
    static void stop() {
        Logger.getLogger("org.parley.sip.jain").removeHandler(capture);
        if (parley != null) {
            parley.close();
        }
    }

    private static SipEndpoint endpoint(int port, HostPort frontEnd) {
        SipEndpointConfig config = new SipEndpointConfig("gw.contoso.com", "127.0.0.1", "127.0.0.1", port, SipTransport.TLS,
                parleyTls, List.of(frontEnd), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(30), Set.of("xmpp.test"), null, null);
        return new SipEndpoint(config, mapper, m -> {
            inbound.add(m);
            return CompletableFuture.completedFuture(new Receipt(m.to(), m.from(), m.id()));
        }, Clock.systemUTC(), securityLog::add);
    }

    private static SSLContext peerContext(PeerCertificate cert) throws Exception {
        Instant now = Instant.now();
        TestPki.Issued leaf = switch (cert) {
            case VALID, NONE -> pki.newLeaf(ca, "fe1.contoso.com");
            case UNTRUSTED_CA -> pki.newLeaf(otherCa, "fe1.contoso.com");
            case EXPIRED -> pki.newLeaf(ca, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), "fe1.contoso.com");
            case NOT_YET_VALID -> pki.newLeaf(ca, now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), "fe1.contoso.com");
            case NAME_MISMATCH -> pki.newLeaf(ca, "rogue.contoso.com");
        };
        if (cert == PeerCertificate.NONE) {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("ca", ca.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        }
        // The peer itself trusts Parley's CA; only Parley's judgement of the peer is under test.
        return new TlsMaterial(List.of(leaf.certificate()), leaf.keys().getPrivate(), List.of(ca.certificate()),
                Set.of("gw.contoso.com")).sslContext(r -> { });
    }

    @ParameterizedTest(name = "{0} peer certificate {1}")
    @MethodSource("matrix")
    void trustedApplicationLinkFollowsTheRule(Direction direction, PeerCertificate cert, Expected expected) throws Exception {
        securityLog.clear();
        stackLog.clear();
        inbound.clear();
        int peerPort = FreePorts.next();
        try (TestSipUserAgent peer = new TestSipUserAgent("fe", "contoso.com", peerPort, peerContext(cert), "127.0.0.1", parleyPort)) {
            boolean delivered;
            if (direction == Direction.INBOUND) {
                int status = peer.tryMessage("sip:juliet@xmpp.test", "hello", 6);
                delivered = status == 200;
                assertThat(inbound.poll(delivered ? 2 : 0, TimeUnit.SECONDS) != null).isEqualTo(delivered);
            } else {
                try (SipEndpoint toPeer = endpoint(FreePorts.next(), new HostPort("127.0.0.1", peerPort))) {
                    toPeer.start();
                    GatewayEvent outcome = toPeer.messaging()
                            .send(ChatMessage.text(Address.sip("juliet", "xmpp.test"), Address.sip("bob", "contoso.com"), "x", "hi"))
                            .get(15, TimeUnit.SECONDS);
                    delivered = outcome instanceof Receipt;
                    if (!delivered) {
                        assertThat(outcome).isInstanceOf(GatewayError.class);
                    }
                    assertThat(delivered ? peer.awaitMessage(2) : null).matches(r -> delivered == (r != null));
                }
            }
            assertThat(delivered).as(expected.why()).isEqualTo(expected.delivered());
            if (expected.logMentions() != null) {
                List<String> lines = Stream.concat(securityLog.stream(), stackLog.stream()).toList();
                assertThat(lines).as("a log line naming the reason (%s)", expected.why())
                        .anySatisfy(line -> assertThat(line).containsIgnoringCase(expected.logMentions()));
            } else if (expected.delivered()) {
                assertThat(securityLog).isEmpty();
            }
        }
    }
}
