package org.parley.gateway.load;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLSocket;

/**
 * S5 — mutual-TLS connection churn at Parley's SIP listener (10 / 50 / 100 new connections per
 * second, each a full handshake with a client certificate, one OPTIONS, close) beside IM at
 * 1,000 msg/s XMPP→SIP. Reports the IM latency under churn (against the same IM run without churn
 * in the same pass) and each connection's handshake + OPTIONS round trip. Connections are opened
 * open-loop from a pool, so a slow handshake does not lower the offered rate.
 */
final class ChurnScenario {

    private ChurnScenario() {
    }

    static List<Map<String, Object>> run(LoadRig rig, int[] churnRates, int imRate, double seconds) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Object> warmUp = warmUp(rig, imRate);
        for (int churn : churnRates) {
            Map<String, Object> r = step(rig, churn, imRate, seconds);
            r.putAll(warmUp);
            out.add(r);
        }
        return out;
    }

    /**
     * The general warm-up opens no connection after the first, so the handshake and accept paths are still being
     * compiled when S5 starts: a handshake runs each method once, and 300 handshakes left the JIT's compiler the
     * gateway's busiest thread in every churn step (first and second passes, docs/performance.md). Rounds of the 50/s
     * step until the compiler threads use under 3 % of the gateway's core and of the peers' (at most 12 rounds).
     */
    private static Map<String, Object> warmUp(LoadRig rig, int imRate) throws Exception {
        long harness = ProcessHandle.current().pid();
        double gatewayJit = 100;
        double peersJit = 100;
        int rounds = 0;
        while (rounds < 12 && (gatewayJit >= 3 || peersJit >= 3)) {
            rounds++;
            long start = System.nanoTime();
            long gatewayBefore = PinnedJvm.compilerTicks(rig.gateway.threadTicks());
            long peersBefore = PinnedJvm.compilerTicks(PinnedJvm.threadTicksOf(harness));
            step(rig, 50, imRate, 5);
            long elapsed = System.nanoTime() - start;
            gatewayJit = (PinnedJvm.compilerTicks(rig.gateway.threadTicks()) - gatewayBefore) * 10e6 / elapsed * 100;
            peersJit = (PinnedJvm.compilerTicks(PinnedJvm.threadTicksOf(harness)) - peersBefore) * 10e6 / elapsed * 100;
            System.out.printf("S5 warm-up round %d: the JIT used %.1f %% of the gateway's core, %.1f %% of the peers'%n", rounds, gatewayJit,
                    peersJit);
        }
        return Map.of("churnWarmUpRounds", rounds, "churnWarmUpLastJitPercent", gatewayJit, "churnWarmUpLastPeersJitPercent", peersJit);
    }

    /** IM at {@code imRate} for {@code seconds} with {@code churn} new connections a second beside it. */
    private static Map<String, Object> step(LoadRig rig, int churn, int imRate, double seconds) throws Exception {
        LatencyRecorder connects = new LatencyRecorder();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "load-churn");
            t.setDaemon(true);
            return t;
        });
        Thread pacer = new Thread(() -> {
            if (churn == 0) {
                return;
            }
            long period = 1_000_000_000L / churn;
            long next = System.nanoTime();
            connects.reset(next);
            long n = 0;
            while (running.get()) {
                long intended = next;
                long id = ++n;
                pool.execute(() -> {
                    if (optionsOverNewConnection(rig, id)) {
                        connects.arrivedFor(intended);
                        ok.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                });
                next += period;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        }, "load-churn-pacer");
        pacer.setDaemon(true);
        pacer.start();
        Map<String, Object> r = OpenLoop.paced("s5-im@churn" + churn, imRate, seconds, rig.im, rig.s1(), rig::sendXmppIm);
        running.set(false);
        pacer.join();
        pool.shutdown();
        pool.awaitTermination(20, TimeUnit.SECONDS);
        Map<String, Object> c = OpenLoop.figures("connections", connects.snapshot());
        r.put("churnPerSecond", churn);
        r.put("connectionsOk", ok.get());
        r.put("connectionsFailed", failed.get());
        r.put("connectP50ms", c.get("p50ms"));
        r.put("connectP99ms", c.get("p99ms"));
        System.out.printf("S5 churn %3d/s: %d connections ok, %d failed, handshake+OPTIONS p50 %.2f ms p99 %.2f ms%n", churn, ok.get(),
                failed.get(), c.get("p50ms"), c.get("p99ms"));
        return r;
    }

    /** A new mutual-TLS connection as the front end, one OPTIONS, the final answer read, closed. */
    private static boolean optionsOverNewConnection(LoadRig rig, long id) {
        try (SSLSocket s = (SSLSocket) rig.frontEndTls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), rig.sipPort)) {
            s.setSoTimeout(10_000);
            s.setTcpNoDelay(true);
            s.startHandshake();
            String request = "OPTIONS sip:127.0.0.1:" + rig.sipPort + ";transport=tls SIP/2.0\r\n"
                    + "Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK-churn-" + id + "\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:fe.lync.test>;tag=churn" + id + "\r\n"
                    + "To: <sip:gw.lync.test>\r\n"
                    + "Call-ID: churn-" + id + "-" + System.nanoTime() + "@127.0.0.1\r\n"
                    + "CSeq: 1 OPTIONS\r\n"
                    + "Content-Length: 0\r\n\r\n";
            OutputStream o = s.getOutputStream();
            o.write(request.getBytes(StandardCharsets.US_ASCII));
            o.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("SIP/2.0 ") && !line.startsWith("SIP/2.0 1")) {
                    return line.startsWith("SIP/2.0 2");
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }
}
