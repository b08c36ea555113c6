package org.parley.gateway.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.parley.gateway.ParleyApplication;
import org.parley.gateway.testing.GatewayTestSupport;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.sip.testing.FreePorts;
import org.parley.sip.testing.LyncFrontEndSimulator;
import org.parley.sip.testing.TestPki;
import org.parley.sip.testing.TestSipUserAgent;
import org.parley.sip.tls.TlsMaterial;
import org.parley.xmpp.adapt.ModelToXmpp;
import org.parley.xmpp.s2s.InboundServerListener;
import org.parley.xmpp.s2s.OutboundServerStream;
import org.parley.xmpp.s2s.PartnerRules;
import org.parley.xmpp.s2s.S2sTarget;
import org.parley.xmpp.s2s.S2sTls;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Outages on either side, through the whole gateway: every front end half-open (accepts TCP, never
 * answers — the seed's 31-second stall) or refusing, and an XMPP partner that cannot be reached.
 * Each IM is answered to its sender with an error within the configured bound; none is lost, none
 * waits forever, none is answered as delivered.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayOutagesIT {

    private static final long CONNECT_SECONDS = 1;
    private static final long REQUEST_SECONDS = 2;

    private static final BlockingQueue<GatewayEvent> atXmppServer = new LinkedBlockingQueue<>();
    private static final List<Socket> stalled = new CopyOnWriteArrayList<>();
    private static ServerSocket stallingFrontEnd;
    private static InboundServerListener xmppServer;
    private static ConfigurableApplicationContext parley;
    private static OutboundServerStream xmppPeer;
    private static TestSipUserAgent frontEndUser;
    private static LyncFrontEndSimulator lyncClient;
    private static int parleySipPort;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("parley-outages");
        TestPki pki = new TestPki();
        TestPki.Issued ca = pki.newCa("Outage CA");
        TestPki.Issued gw = pki.newLeaf(ca, "gw.lync.test", "127.0.0.1", "lync.test");
        TestPki.Issued fe = pki.newLeaf(ca, "fe.lync.test", "127.0.0.1");
        TestPki.Issued partner = pki.newLeaf(ca, "xmpp.test");
        Path caPem = TestPki.writeCertificates(dir.resolve("ca.pem"), ca.certificate());

        // a front end that accepts connections and then says nothing at all
        stallingFrontEnd = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!stallingFrontEnd.isClosed()) {
                try {
                    stalled.add(stallingFrontEnd.accept());
                } catch (Exception closed) {
                    return;
                }
            }
        }, "stalling-front-end");
        acceptor.setDaemon(true);
        acceptor.start();
        int refusingFrontEnd = FreePorts.next();
        int unreachablePartner = FreePorts.next();

        S2sTls partnerS2s = GatewayTestSupport.partnerTls(partner, ca);
        xmppServer = GatewayTestSupport.partnerServer("xmpp.test", partnerS2s, atXmppServer::add);

        int s2sPort = FreePorts.next();
        int sipPort = FreePorts.next();
        Map<String, Object> p = GatewayTestSupport.labProperties(dir, gw, ca, caPem, sipPort, s2sPort, xmppServer.port());
        p.put("parley.lync.front-ends[0]", "127.0.0.1:" + stallingFrontEnd.getLocalPort());
        p.put("parley.lync.front-ends[1]", "127.0.0.1:" + refusingFrontEnd);
        p.put("parley.lync.connect-timeout", CONNECT_SECONDS + "s");
        p.put("parley.lync.request-timeout", REQUEST_SECONDS + "s");
        p.put("parley.xmpp.s2s.routes[gone.test]", "127.0.0.1:" + unreachablePartner);
        p.put("parley.admin.token", "outage-it-token");
        parley = new SpringApplicationBuilder(ParleyApplication.class).properties(p).run();

        xmppPeer = OutboundServerStream.open(new S2sTarget("127.0.0.1", s2sPort), "xmpp.test", "lync.test", partnerS2s,
                PartnerRules.DEFAULT, null, new ModelToXmpp(AddressMapper.anyDomain()), 10_000);
        parleySipPort = sipPort;
        lyncClient = new LyncFrontEndSimulator(FreePorts.next(),
                new TlsMaterial(List.of(fe.certificate()), fe.keys().getPrivate(), List.of(ca.certificate()), Set.of("gw.lync.test")), Set.of());
        frontEndUser = new TestSipUserAgent("alice", "lync.test", FreePorts.next(),
                new TlsMaterial(List.of(fe.certificate()), fe.keys().getPrivate(), List.of(ca.certificate()), Set.of("gw.lync.test")),
                "127.0.0.1", sipPort);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {lyncClient, frontEndUser, xmppPeer, parley, xmppServer, stallingFrontEnd}) {
            if (c != null) {
                c.close();
            }
        }
        for (Socket s : stalled) {
            s.close();
        }
    }

    @Test
    @Order(1)
    void anImTowardLyncIsAnsweredToItsSenderWithinTheBoundWhenNoFrontEndAnswers() throws Exception {
        long start = System.nanoTime();
        xmppPeer.send(ChatMessage.text(Address.xmpp("juliet", "xmpp.test", "balcony"), Address.xmpp("alice", "lync.test"), "o1", "anyone?"));
        GatewayError error = awaitError("o1", 30);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(error).as("an error stanza back to juliet").isNotNull();
        assertThat(error.condition()).isIn(ErrorCondition.REMOTE_SERVER_TIMEOUT, ErrorCondition.RECIPIENT_UNAVAILABLE,
                ErrorCondition.SERVICE_UNAVAILABLE);
        // the stalled target costs at most one connect + one request timeout, the refusing one a connect timeout
        assertThat(seconds).as("answered after %.1f s", seconds).isLessThan(2 * CONNECT_SECONDS + REQUEST_SECONDS + 3);
        assertThat(stalled).as("the stalled front end was really tried").isNotEmpty();
    }

    @Test
    @Order(2)
    void whileBothTargetsAreBackedOffTheNextImIsAnsweredAtOnce() throws Exception {
        long start = System.nanoTime();
        xmppPeer.send(ChatMessage.text(Address.xmpp("juliet", "xmpp.test", "balcony"), Address.xmpp("alice", "lync.test"), "o2", "again?"));
        GatewayError error = awaitError("o2", 30);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(error).isNotNull();
        assertThat(seconds).as("the circuit breaker skips both dead targets: %.1f s", seconds).isLessThan(2.0);
    }

    @Test
    @Order(3)
    void imsTowardAnUnreachableXmppPartnerAreAllAnsweredWithAnErrorAndAReason() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                int n = i;
                answers.add(pool.submit(() -> frontEndUser.sendMessage("sip:juliet@gone.test", "queued " + n)));
            }
            for (Future<Response> f : answers) {
                Response r = f.get(60, TimeUnit.SECONDS);
                assertThat(r.getStatusCode()).as("never 200 for an IM that did not arrive").isIn(408, 480, 503, 504);
                assertThat(r.getHeader("Reason")).as("the SIP sender learns why").isNotNull();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(seconds).as("all answered within %.1f s", seconds).isLessThan(40);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(4)
    void aLyncImSessionTowardAnUnreachableXmppPartnerIsRefusedWithAReason() throws Exception {
        // Lync opens IM sessions with an INVITE carrying the first message (ms-text-format): it cannot be delivered
        Response r = lyncClient.startImSession("sip:bob@lync.test", "sip:juliet@gone.test", parleySipPort, "are you there?",
                "m=message 5060 sip null");
        assertThat(r.getStatusCode()).as("the INVITE is refused, not accepted into a session nobody can reach").isIn(408, 480, 503, 504);
        assertThat(r.getHeader("Reason")).as("the Lync client learns why").isNotNull();
    }

    private static GatewayError awaitError(String id, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            GatewayEvent e = atXmppServer.poll(100, TimeUnit.MILLISECONDS);
            if (e instanceof GatewayError g && id.equals(g.correlationId())) {
                return g;
            }
        }
        return null;
    }

}
