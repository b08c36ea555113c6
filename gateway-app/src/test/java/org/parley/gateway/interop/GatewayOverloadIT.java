package org.parley.gateway.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.gateway.ParleyApplication;
import org.parley.gateway.testing.GatewayTestSupport;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.sip.testing.FreePorts;
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
 * Ten times a partner's configured rate through the whole gateway, over a real s2s stream (mutual
 * TLS) into Parley and on to a SIP front end (mutual TLS): what the limit allows is delivered, every
 * other IM is answered {@code resource-constraint} to its sender at once — nothing queues, so all
 * answers are in soon after the flood stops — and the heap after GC ends where it started.
 */
class GatewayOverloadIT {

    private static final int LIMIT_PER_SECOND = 100;
    private static final int FLOOD_SECONDS = 10;
    private static final int FLOOD_PER_SECOND = 10 * LIMIT_PER_SECOND;

    private static final BlockingQueue<GatewayEvent> atXmppServer = new LinkedBlockingQueue<>();
    private static InboundServerListener xmppServer;
    private static ConfigurableApplicationContext parley;
    private static OutboundServerStream xmppPeer;
    private static TestSipUserAgent frontEnd;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("parley-overload");
        TestPki pki = new TestPki();
        TestPki.Issued ca = pki.newCa("Overload CA");
        TestPki.Issued gw = pki.newLeaf(ca, "gw.lync.test", "127.0.0.1", "lync.test");
        TestPki.Issued fe = pki.newLeaf(ca, "fe.lync.test", "127.0.0.1");
        TestPki.Issued partner = pki.newLeaf(ca, "xmpp.test");
        Path caPem = TestPki.writeCertificates(dir.resolve("ca.pem"), ca.certificate());

        S2sTls partnerS2s = GatewayTestSupport.partnerTls(partner, ca);
        xmppServer = GatewayTestSupport.partnerServer("xmpp.test", partnerS2s, atXmppServer::add);

        int s2sPort = FreePorts.next();
        int sipPort = FreePorts.next();
        int frontEndPort = FreePorts.next();
        Map<String, Object> p = GatewayTestSupport.labProperties(dir, gw, ca, caPem, sipPort, s2sPort, xmppServer.port());
        p.put("parley.lync.front-ends[0]", "127.0.0.1:" + frontEndPort);
        p.put("parley.xmpp.rate-limit.per-partner-per-second", Integer.toString(LIMIT_PER_SECOND));
        p.put("parley.xmpp.rate-limit.burst", Integer.toString(LIMIT_PER_SECOND));
        p.put("parley.admin.token", "overload-it-token");
        // a small trace ring: the default 10,000 records (≈ 15 MB, bounded) would hide a queue in the heap figure
        p.put("parley.admin.trace-size", "100");
        parley = new SpringApplicationBuilder(ParleyApplication.class).properties(p).run();

        frontEnd = new TestSipUserAgent("alice", "lync.test", frontEndPort,
                new TlsMaterial(List.of(fe.certificate()), fe.keys().getPrivate(), List.of(ca.certificate()), Set.of("gw.lync.test")),
                "127.0.0.1", sipPort);
        xmppPeer = OutboundServerStream.open(new S2sTarget("127.0.0.1", s2sPort), "xmpp.test", "lync.test", partnerS2s,
                PartnerRules.DEFAULT, null, new ModelToXmpp(AddressMapper.anyDomain()), 10_000);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {xmppPeer, frontEnd, parley, xmppServer}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void tenTimesThePartnersLimitIsDeliveredUpToTheLimitAndOtherwiseAnsweredAtOnceWithTheHeapFlat() throws Exception {
        // warm up (and let the s2s answer stream come up) with the limit's worth, then measure from a settled heap
        send("warm", LIMIT_PER_SECOND / 2);
        assertThat(awaitDelivered(LIMIT_PER_SECOND / 2, 20)).as("warm-up IMs delivered").isEqualTo(LIMIT_PER_SECOND / 2);
        Thread.sleep(1_500); // the bucket refills
        long heapBefore = heapAfterGc();

        int sent = 0;
        long start = System.nanoTime();
        for (int tick = 0; tick < FLOOD_SECONDS * 100; tick++) { // 10 ms ticks, open loop
            long due = start + TimeUnit.MILLISECONDS.toNanos(10L * tick);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            send("f" + tick + "-", FLOOD_PER_SECOND / 100);
            sent += FLOOD_PER_SECOND / 100;
        }
        double floodSeconds = (System.nanoTime() - start) / 1e9;

        // nothing queued: within a few seconds of the flood's end every IM is delivered or answered
        int refused = 0;
        int delivered = 0;
        long lastDelivered = start;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (refused + delivered < sent && System.nanoTime() < deadline) {
            GatewayEvent e = atXmppServer.poll(50, TimeUnit.MILLISECONDS);
            if (e instanceof GatewayError g) {
                assertThat(g.condition()).as("the answer to an IM over the limit").isEqualTo(ErrorCondition.RESOURCE_CONSTRAINT);
                assertThat(g.to().domain()).isEqualTo("xmpp.test");
                refused++;
            }
            while (frontEnd.awaitMessage(0) != null) {
                delivered++;
                lastDelivered = System.nanoTime();
            }
        }
        System.out.printf("overload: %d IMs in %.1f s (%d/s, limit %d/s): %d delivered, %d answered resource-constraint%n",
                sent, floodSeconds, Math.round(sent / floodSeconds), LIMIT_PER_SECOND, delivered, refused);
        assertThat(delivered + refused).as("every IM delivered or answered, none lost or still queued").isEqualTo(sent);
        // the bucket refills for as long as Parley takes IMs in, which on a busy machine runs past the sender's last
        // tick: the window ends at the last delivery, an upper bound of the last intake
        double admittingSeconds = Math.max(floodSeconds, (lastDelivered - start) / 1e9);
        long allowed = Math.round(LIMIT_PER_SECOND * (admittingSeconds + 1)) + LIMIT_PER_SECOND;
        assertThat(delivered).as("the limit's worth gets through, and no more").isBetween(LIMIT_PER_SECOND * FLOOD_SECONDS / 2, (int) allowed);

        long heapAfter = heapAfterGc();
        System.out.printf("overload: heap after GC %d MB before, %d MB after%n", heapBefore >> 20, heapAfter >> 20);
        assertThat(heapAfter - heapBefore).as("heap after GC grows by %d KB", (heapAfter - heapBefore) >> 10).isLessThan(16L << 20);
    }

    private static void send(String prefix, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            xmppPeer.send(ChatMessage.text(Address.xmpp("juliet", "xmpp.test", "balcony"), Address.xmpp("alice", "lync.test"),
                    prefix + i, "flood " + prefix + i));
        }
    }

    private static int awaitDelivered(int count, long seconds) throws InterruptedException {
        int got = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (got < count && System.nanoTime() < deadline) {
            if (frontEnd.awaitMessage(1) != null) {
                got++;
            }
        }
        return got;
    }

    private static long heapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
