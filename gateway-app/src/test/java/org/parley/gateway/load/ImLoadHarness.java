package org.parley.gateway.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.HdrHistogram.Histogram;
import org.parley.gateway.ParleyApplication;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.sip.testing.FreePorts;
import org.parley.sip.testing.LyncFrontEndSimulator;
import org.parley.sip.testing.TestPki;
import org.parley.sip.tls.TlsMaterial;
import org.parley.xmpp.adapt.ModelToXmpp;
import org.parley.xmpp.s2s.OutboundServerStream;
import org.parley.xmpp.s2s.PartnerRules;
import org.parley.xmpp.s2s.S2sTarget;
import org.parley.xmpp.s2s.S2sTls;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * S1 of issue #9 — IM XMPP→SIP through the whole gateway, open loop: an XMPP s2s peer (Parley's
 * own outbound stream, SASL EXTERNAL) sends chat messages at a fixed rate; each carries its
 * <em>intended</em> send time, so a sender that falls behind still records the full delay (no
 * coordinated omission). Parley translates and sends page-mode MESSAGEs over mutual TLS to a SIP
 * peer (the JAIN-SIP front-end simulator), which answers 200 and hands the body on; latency =
 * arrival − intended time, recorded in HdrHistogram. The same rates run through a TLS byte relay
 * built with the same I/O stack, in the same run, as the baseline.
 *
 * <p>Run: {@code ./mvnw -B -pl gateway-app -am -Pload verify -Dload.args="500,1000,2000 10"}
 * (rates, seconds per rate). Writes {@code gateway-app/target/load/s1-*.json} and prints a table.
 */
public final class ImLoadHarness {

    private ImLoadHarness() {
    }

    public static void main(String[] args) throws Exception {
        List<Integer> rates = new ArrayList<>();
        for (String r : (args.length > 0 ? args[0] : "500,1000,2000").split(",")) {
            rates.add(Integer.parseInt(r.strip()));
        }
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path dir = Files.createTempDirectory("parley-load");
        TestPki pki = new TestPki();
        TestPki.Issued ca = pki.newCa("Load CA");
        TestPki.Issued gateway = pki.newLeaf(ca, "gw.lync.test", "127.0.0.1", "lync.test");
        TestPki.Issued fe = pki.newLeaf(ca, "fe.lync.test", "127.0.0.1");
        TestPki.Issued partner = pki.newLeaf(ca, "xmpp.test");
        Path caPem = TestPki.writeCertificates(dir.resolve("ca.pem"), ca.certificate());

        AtomicLong arrived = new AtomicLong();
        Histogram[] current = {new Histogram(60_000_000_000L, 3)};
        LongConsumer record = intended -> {
            long latency = System.nanoTime() - intended;
            synchronized (current) {
                current[0].recordValue(Math.max(0, latency));
            }
            arrived.incrementAndGet();
        };

        int fePort = FreePorts.next();
        LyncFrontEndSimulator sipPeer = new LyncFrontEndSimulator(fePort, new TlsMaterial(List.of(fe.certificate()), fe.keys().getPrivate(),
                List.of(ca.certificate()), Set.of("gw.lync.test")), Set.of("alice"));
        Thread sink = new Thread(() -> {
            while (true) {
                try {
                    LyncFrontEndSimulator.Received r = sipPeer.await(1);
                    if (r != null && "MESSAGE".equals(r.method())) {
                        record.accept(Long.parseLong(r.body().strip()));
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException ignored) {
                    // not one of ours
                }
            }
        }, "load-sip-sink");
        sink.setDaemon(true);
        sink.start();

        // S2: the XMPP side's receiving server (xmpp.test) is Parley's own s2s listener implementation
        TlsMaterial xmppServerTls = new TlsMaterial(List.of(partner.certificate()), partner.keys().getPrivate(), List.of(ca.certificate()), Set.of());
        S2sTls xmppServerS2s = S2sTls.of(xmppServerTls.keyManagers(), pkix(ca));
        AddressMapper peerMapper = AddressMapper.anyDomain();
        org.parley.xmpp.s2s.InboundServerListener xmppServer = new org.parley.xmpp.s2s.InboundServerListener(
                org.parley.xmpp.s2s.S2sListenerConfig.starttls("127.0.0.1", 0, Set.of("xmpp.test")), xmppServerS2s,
                org.parley.xmpp.s2s.PartnerPolicy.open(Set.of()),
                new org.parley.xmpp.adapt.InboundDispatcher(new org.parley.xmpp.adapt.XmppToModel(peerMapper),
                        new org.parley.xmpp.iq.IqHandler(Set.of("xmpp.test"), "load"), event -> {
                            if (event instanceof ChatMessage m) {
                                try {
                                    record.accept(Long.parseLong(m.body().strip()));
                                } catch (NumberFormatException notOurs) {
                                    // not a load message
                                }
                            }
                        }), reply -> { }, null, null);
        xmppServer.start();

        int s2sPort = FreePorts.next();
        int sipPort = FreePorts.next();
        Map<String, Object> p = new HashMap<>();
        p.put("server.port", "0");
        p.put("parley.data-dir", dir.resolve("data").toString());
        org.parley.gateway.testing.GatewayTestSupport.tlsProperties(p, dir, gateway, ca, caPem);
        p.put("parley.lync.domains[0]", "lync.test");
        p.put("parley.lync.pool-fqdn", "gw.lync.test");
        p.put("parley.lync.computer-fqdn", "127.0.0.1");
        p.put("parley.lync.front-ends[0]", "127.0.0.1:" + fePort);
        p.put("parley.lync.trusted-peers[0]", "fe.lync.test");
        p.put("parley.lync.dialect", "rfc");
        p.put("parley.lync.listen-port", Integer.toString(sipPort));
        p.put("parley.xmpp.s2s.routes[xmpp.test]", "127.0.0.1:" + xmppServer.port());
        p.put("parley.xmpp.s2s.port", Integer.toString(s2sPort));
        p.put("parley.xmpp.s2s.partners[xmpp.test].sasl-external", "required");
        p.put("parley.admin.token", "load-token");
        p.put("logging.level.root", "warn");
        ConfigurableApplicationContext parley = new SpringApplicationBuilder(ParleyApplication.class).properties(p).run();

        TlsMaterial partnerTls = new TlsMaterial(List.of(partner.certificate()), partner.keys().getPrivate(), List.of(ca.certificate()), Set.of());
        S2sTls s2s = S2sTls.of(partnerTls.keyManagers(), pkix(ca));
        AddressMapper mapper = AddressMapper.anyDomain();
        OutboundServerStream xmppPeer = OutboundServerStream.open(new S2sTarget("127.0.0.1", s2sPort), "xmpp.test", "lync.test", s2s,
                PartnerRules.DEFAULT, null, new ModelToXmpp(mapper), 10_000);

        SSLContext relayTls = new TlsMaterial(List.of(fe.certificate()), fe.keys().getPrivate(), List.of(ca.certificate()),
                Set.of("fe.lync.test")).sslContext(reason -> { });
        TlsRelayBaseline relay = new TlsRelayBaseline(relayTls, record);
        // the SIP source plays the front end: its certificate is one Parley trusts, and it trusts Parley's
        SSLContext frontEndTls = new TlsMaterial(List.of(fe.certificate()), fe.keys().getPrivate(), List.of(ca.certificate()),
                Set.of("gw.lync.test")).sslContext(reason -> { });
        RawSipSender sipPeerOut = new RawSipSender(frontEndTls, sipPort);

        Address juliet = Address.xmpp("juliet", "xmpp.test", "load");
        Address alice = Address.xmpp("alice", "lync.test");
        // warm-up: let JIT, TLS sessions and the SIP connection settle before measuring
        run("warm-up", 500, 4, arrived, current, i -> xmppPeer.send(ChatMessage.text(juliet, alice, "w" + i, Long.toString(System.nanoTime()))));
        run("warm-up relay", 500, 2, arrived, current, i -> relay.send(System.nanoTime(), "w"));
        run("warm-up sip", 500, 3, arrived, current, i -> sipPeerOut.send(System.nanoTime()));

        List<Map<String, Object>> results = new ArrayList<>();
        for (int rate : rates) {
            Map<String, Object> gw = run("parley", rate, seconds, arrived, current,
                    i -> xmppPeer.send(ChatMessage.text(juliet, alice, "m" + i, Long.toString(i))));
            results.add(gw);
            Map<String, Object> base = run("tls-relay", rate, seconds, arrived, current, i -> relay.send(i, "x".repeat(180)));
            results.add(base);
            results.add(run("parley-s2", rate, seconds, arrived, current, sipPeerOut::send));
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("scenario", "S1 IM XMPP→SIP and S2 IM SIP→XMPP (path parley-s2), open loop");
        report.put("s2SipAnswers", Map.of("ok", sipPeerOut.answeredOk(), "error", sipPeerOut.answeredWithError()));
        report.put("at", Instant.now().toString());
        report.put("machine", Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("java.version"));
        report.put("results", results);
        Path out = Path.of("target", "load");
        Files.createDirectories(out);
        Path file = out.resolve("s1-" + System.currentTimeMillis() + ".json");
        Files.writeString(file, new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
        System.out.println("\nS1 IM XMPP→SIP (path parley), S2 IM SIP→XMPP (path parley-s2), TLS relay baseline; open loop, "
                + seconds + " s per rate; latency in ms");
        System.out.printf("%-10s %8s %10s %8s %8s %8s %8s %8s%n", "path", "rate/s", "achieved", "lost", "p50", "p99", "p99.9", "max");
        for (Map<String, Object> r : results) {
            System.out.printf("%-10s %8s %10.0f %8s %8.2f %8.2f %8.2f %8.2f%n", r.get("path"), r.get("rate"), (Double) r.get("achievedPerSecond"),
                    r.get("lost"), r.get("p50ms"), r.get("p99ms"), r.get("p999ms"), r.get("maxMs"));
        }
        System.out.println("JSON: " + file.toAbsolutePath());
        relay.close();
        sipPeerOut.close();
        xmppPeer.close();
        xmppServer.close();
        parley.close();
        sipPeer.close();
        System.exit(0);
    }

    private interface Sender {
        void send(long i) throws Exception;
    }

    /**
     * Sends {@code rate × seconds} messages at their intended times (open loop), then waits for them
     * to arrive (or 10 s); returns the figures. The message payload carries the intended time as the
     * sequence-derived instant so late sends keep their full delay.
     */
    private static Map<String, Object> run(String path, int rate, int seconds, AtomicLong arrived, Histogram[] current, Sender sender)
            throws Exception {
        long n = (long) rate * seconds;
        long period = 1_000_000_000L / rate;
        synchronized (current) {
            current[0] = new Histogram(60_000_000_000L, 3);
        }
        long before = arrived.get();
        long start = System.nanoTime() + 50_000_000L;
        long sendErrors = 0;
        for (long i = 0; i < n; i++) {
            long intended = start + i * period;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            try {
                sender.send(intended);
            } catch (Exception e) {
                sendErrors++;
            }
        }
        long sentAt = System.nanoTime();
        long deadline = sentAt + 10_000_000_000L;
        while (arrived.get() - before < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long got = arrived.get() - before;
        double elapsed = (Math.max(System.nanoTime(), sentAt) - start) / 1e9;
        Histogram h;
        synchronized (current) {
            h = current[0].copy();
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("path", path);
        r.put("rate", rate);
        r.put("sent", n - sendErrors);
        r.put("lost", n - got);
        r.put("achievedPerSecond", got / Math.max(elapsed, 1e-9));
        r.put("p50ms", h.getValueAtPercentile(50) / 1e6);
        r.put("p99ms", h.getValueAtPercentile(99) / 1e6);
        r.put("p999ms", h.getValueAtPercentile(99.9) / 1e6);
        r.put("maxMs", h.getMaxValue() / 1e6);
        if (!path.startsWith("warm")) {
            System.out.printf("%s @ %d/s: %d arrived of %d, p50 %.2f ms, p99 %.2f ms%n", path, rate, got, n, h.getValueAtPercentile(50) / 1e6,
                    h.getValueAtPercentile(99) / 1e6);
        }
        return r;
    }

    private static X509TrustManager pkix(TestPki.Issued ca) throws Exception {
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca.certificate());
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return (X509TrustManager) tmf.getTrustManagers()[0];
    }
}
