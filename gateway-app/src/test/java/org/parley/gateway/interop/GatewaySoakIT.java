package org.parley.gateway.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.gateway.ParleyApplication;
import org.parley.sip.testing.FreePorts;
import org.parley.sip.testing.KamailioRig;
import org.parley.sip.testing.TestPki;
import org.parley.sip.testing.TestSipUserAgent;
import org.parley.sip.tls.TlsMaterial;
import org.parley.xmpp.testing.ProsodyRig;
import org.parley.xmpp.testing.TestTls;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A short soak with real peers and restarts in the middle: juliet (Smack on Prosody) and alice
 * (JAIN-SIP on Kamailio) message each other through Parley at a moderate rate; Kamailio is
 * restarted, then Prosody. Every IM handed to a running server must end delivered or answered with
 * an error — none unaccounted for — and Parley's heap after GC must stay flat. Length:
 * {@code -Dsoak.seconds} (540, about nine minutes, by default — what {@code .ci/run} runs; hours by the flag).
 */
class GatewaySoakIT {

    private static final long SECONDS = Long.getLong("soak.seconds", 540);
    private static final long PERIOD_MS = 100; // 10 IM/s each way

    private static Path dir;
    private static Path caPem;
    private static KamailioRig kamailio;
    private static ProsodyRig prosody;
    private static ConfigurableApplicationContext parley;
    private static volatile XMPPTCPConnection juliet;
    private static TestSipUserAgent alice;
    private static TestPki.Issued uaLeaf;
    private static TestPki.Issued ca;

    private static final Map<String, String> julietOutcome = new ConcurrentHashMap<>(); // id → delivered | error:<condition>
    private static final Set<String> julietReceived = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("parley-soak");
        TestPki pki = new TestPki();
        ca = pki.newCa("Soak CA");
        caPem = TestPki.writeCertificates(dir.resolve("ca.pem"), ca.certificate());
        TestPki.Issued kam = pki.newLeaf(ca, "sip.test", "127.0.0.1");
        TestPki.Issued gateway = pki.newLeaf(ca, "gw.sip.test", "127.0.0.1", "sip.test");
        TestPki.Issued xmppServer = pki.newLeaf(ca, "xmpp.test");
        uaLeaf = pki.newLeaf(ca, "alice.sip.test");
        int sipPort = FreePorts.next();
        int s2sPort = FreePorts.next();
        kamailio = KamailioRig.start(dir, TestPki.writeCertificates(dir.resolve("kam.pem"), kam.certificate()),
                TestPki.writePkcs8(dir.resolve("kam.key"), kam.keys()), caPem, sipPort);
        prosody = ProsodyRig.createFederating(dir.resolve("prosody"), caPem,
                TestPki.writeCertificates(dir.resolve("xmpp.test.pem"), xmppServer.certificate()),
                TestPki.writePkcs8(dir.resolve("xmpp.test.key"), xmppServer.keys()), Map.of("sip.test", s2sPort), Map.of(), true);

        Map<String, Object> p = new HashMap<>();
        p.put("server.port", "0");
        p.put("parley.data-dir", dir.resolve("parley-data").toString());
        org.parley.gateway.testing.GatewayTestSupport.tlsProperties(p, dir, gateway, ca, caPem);
        p.put("parley.lync.domains[0]", "sip.test");
        p.put("parley.lync.pool-fqdn", "gw.sip.test");
        p.put("parley.lync.computer-fqdn", "127.0.0.1");
        p.put("parley.lync.front-ends[0]", "127.0.0.1:" + kamailio.port());
        p.put("parley.lync.dialect", "rfc");
        p.put("parley.lync.listen-port", Integer.toString(sipPort));
        p.put("parley.lync.target-backoff", "2s"); // come back to the restarted Kamailio quickly
        p.put("parley.xmpp.s2s.port", Integer.toString(s2sPort));
        p.put("parley.xmpp.s2s.unknown-partners", "refuse");
        p.put("parley.xmpp.s2s.partners[xmpp.test].sasl-external", "required");
        p.put("parley.xmpp.s2s.routes[xmpp.test]", "127.0.0.1:" + prosody.componentPort);
        p.put("parley.admin.token", "soak-it-token");
        p.put("logging.level.root", "warn");
        p.put("parley.admin.show-bodies", "true"); // so that a lost IM can be found in the trace by its body
        p.put("parley.admin.trace-size", "1000"); // the trace ring fills within the first minutes: heap growth after that is not the trace
        parley = new SpringApplicationBuilder(ParleyApplication.class).properties(p).run();

        prosody.register("juliet", "xmpp.test", "juliet-password");
        prosody.start();
        connectJuliet();
        alice = new TestSipUserAgent("alice", "sip.test", FreePorts.next(),
                new TlsMaterial(List.of(uaLeaf.certificate()), uaLeaf.keys().getPrivate(), List.of(ca.certificate()), Set.of("sip.test")),
                "127.0.0.1", kamailio.port());
        assertThat(alice.register().getStatusCode()).as(kamailio.log()).isEqualTo(200);
    }

    private static void connectJuliet() throws Exception {
        XMPPTCPConnection c = TestTls.smackUser("juliet", "juliet-password", prosody.c2sPort, caPem);
        c.addAsyncStanzaListener(s -> {
            Message m = (Message) s;
            if (m.getType() == Message.Type.error && m.getStanzaId() != null) {
                julietOutcome.put(m.getStanzaId(), "error:" + m.getError().getCondition());
            } else if (m.getBody() != null) {
                julietReceived.add(m.getBody());
            }
        }, StanzaTypeFilter.MESSAGE);
        c.connect().login();
        juliet = c;
    }

    @AfterAll
    static void stop() throws Exception {
        if (juliet != null) {
            juliet.disconnect();
        }
        for (AutoCloseable c : new AutoCloseable[] {alice, parley, prosody, kamailio}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void everyImIsDeliveredOrAnsweredThroughRestartsOfKamailioAndProsodyAndTheHeapStaysFlat() throws Exception {
        Thread aliceInbox = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    TestSipUserAgent.Received r = alice.awaitMessage(1);
                    if (r != null) {
                        julietOutcome.putIfAbsent(r.body().strip(), "delivered");
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "soak-alice-inbox");
        aliceInbox.setDaemon(true);
        aliceInbox.start();
        ExecutorService sipSenders = Executors.newFixedThreadPool(16);
        List<String> julietSent = new ArrayList<>();
        List<Future<Integer>> aliceSent = new ArrayList<>();
        List<String> aliceBodies = new ArrayList<>();
        long heapBefore = -1;
        long start = System.nanoTime();
        long kamailioRestartAt = SECONDS / 3;
        long prosodyRestartAt = 2 * SECONDS / 3;
        boolean kamailioRestarted = false;
        boolean prosodyRestarted = false;
        int n = 0;
        long registeredAt = System.nanoTime();
        while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(SECONDS)) {
            long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            if (System.nanoTime() - registeredAt > TimeUnit.SECONDS.toNanos(120)) {
                // alice's client refreshes its registration (Expires 300) as a real one would
                assertThat(alice.register().getStatusCode()).as(kamailio.log()).isEqualTo(200);
                registeredAt = System.nanoTime();
            }
            if (!kamailioRestarted && elapsed >= kamailioRestartAt) {
                kamailioRestarted = true;
                // alice's own server goes away: she pauses (her client cannot send either) until it is back
                awaitAll(aliceSent);
                kamailio.restart();
                assertThat(alice.register().getStatusCode()).as(kamailio.log()).isEqualTo(200);
                registeredAt = System.nanoTime();
            }
            if (!prosodyRestarted && elapsed >= prosodyRestartAt) {
                prosodyRestarted = true;
                // juliet's last IMs leave Prosody before it stops: each has its outcome, delivered to alice or an error back
                awaitUpTo(30, () -> julietSent.stream().allMatch(julietOutcome::containsKey));
                awaitAll(aliceSent); // no IM may reach Prosody while juliet is offline
                // and the last ones Parley handed over (answered 200) go from Prosody to juliet before she leaves
                awaitUpTo(30, () -> answeredOk(aliceSent, aliceBodies).stream().allMatch(julietReceived::contains));
                juliet.disconnect();
                prosody.stop();
                // meanwhile alice keeps sending: Parley cannot reach xmpp.test and must say so
                for (int i = 0; i < 20; i++, n++) {
                    String body = "s" + n;
                    aliceBodies.add(body);
                    aliceSent.add(sipSenders.submit(() -> alice.tryMessage("sip:juliet@xmpp.test", body, 40)));
                    Thread.sleep(PERIOD_MS);
                }
                awaitAll(aliceSent); // all answered while xmpp.test was down
                prosody.start();
                connectJuliet();
            }
            if (heapBefore < 0 && elapsed >= Math.min(60, SECONDS / 4)) {
                heapBefore = heapAfterGc(); // warmed up, the trace ring full: the baseline for "flat"
            }
            String id = "x" + n;
            try {
                juliet.sendStanza(StanzaBuilder.buildMessage(id).to(JidCreate.from("alice@sip.test")).ofType(Message.Type.chat).setBody(id).build());
                julietSent.add(id);
            } catch (Exception notConnected) {
                // not handed to Prosody: not Parley's to account for
            }
            String body = "s" + n;
            aliceBodies.add(body);
            aliceSent.add(sipSenders.submit(() -> alice.tryMessage("sip:juliet@xmpp.test", body, 40)));
            n++;
            Thread.sleep(PERIOD_MS);
        }
        awaitAll(aliceSent);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (julietSent.stream().anyMatch(id -> !julietOutcome.containsKey(id)) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        aliceInbox.interrupt();
        sipSenders.shutdownNow();

        List<String> unaccountedFromJuliet = julietSent.stream().filter(id -> !julietOutcome.containsKey(id)).toList();
        int noAnswer = 0;
        int ok = 0;
        int refused = 0;
        List<String> okButMissing = new ArrayList<>();
        for (int i = 0; i < aliceSent.size(); i++) {
            int status = aliceSent.get(i).get();
            if (status < 0) {
                noAnswer++;
            } else if (status < 300) {
                ok++;
                if (!julietReceived.contains(aliceBodies.get(i))) {
                    okButMissing.add(aliceBodies.get(i));
                }
            } else {
                refused++;
            }
        }
        long errorsToJuliet = julietOutcome.values().stream().filter(v -> v.startsWith("error")).count();
        long heapAfter = heapAfterGc();
        System.out.printf("soak %d s: juliet sent %d (%d answered with an error), alice sent %d (%d ok, %d refused, %d unanswered); "
                        + "heap after GC %.1f → %.1f MB%n", SECONDS, julietSent.size(), errorsToJuliet, aliceSent.size(), ok, refused, noAnswer,
                heapBefore / 1e6, heapAfter / 1e6);
        assertThat(unaccountedFromJuliet).as("XMPP→SIP IMs neither delivered nor answered").isEmpty();
        assertThat(noAnswer).as("SIP→XMPP IMs that got no final answer").isZero();
        assertThat(refused).as("the Prosody outage must show as refusals, not silence").isPositive();
        // a 200 means Parley handed the IM to xmpp.test's server; juliet, connected again, must have it (Prosody keeps it offline)
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (okButMissing.stream().anyMatch(b -> !julietReceived.contains(b)) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        List<String> lost = okButMissing.stream().filter(b -> !julietReceived.contains(b)).toList();
        assertThat(lost).as("answered 200 but never reached juliet; their trace:%n%s", traceOf(lost)).isEmpty();
        // flat: within 20 % (at least 15 MB of slack for JIT and pool churn) of the heap after the first minute
        assertThat(heapAfter).as("heap after GC stays flat").isLessThan(heapBefore + Math.max(15_000_000L, heapBefore / 5));
    }

    private static String traceOf(List<String> bodies) {
        StringBuilder out = new StringBuilder();
        parley.getBean(org.parley.gateway.trace.TranslationTrace.class)
                .find(r -> bodies.stream().anyMatch(b -> String.valueOf(r).contains(b)), 20).forEach(r -> out.append(r).append('\n'));
        return out.toString();
    }

    /** Waits for a condition the checks at the end assert; reaching the limit is not a failure by itself. */
    private static void awaitUpTo(int seconds, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    /** Bodies of the SIP IMs already answered with a 2xx. */
    private static List<String> answeredOk(List<Future<Integer>> sent, List<String> bodies) {
        List<String> ok = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            Future<Integer> f = sent.get(i);
            if (!f.isDone()) {
                continue;
            }
            try {
                int status = f.get();
                if (status >= 200 && status < 300) {
                    ok.add(bodies.get(i));
                }
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException failed) {
                // no answer: counted by the checks at the end
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return ok;
            }
        }
        return ok;
    }

    private static void awaitAll(List<Future<Integer>> sent) throws Exception {
        for (Future<Integer> f : sent) {
            f.get(60, TimeUnit.SECONDS);
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
            best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return best;
    }
}
