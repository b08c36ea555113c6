package org.parley.gateway.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.parley.gateway.ParleyApplication;
import org.parley.gateway.testing.GatewayTestSupport;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.SubscriptionAction;
import org.parley.presence.model.SubscriptionEvent;
import org.parley.sip.testing.FreePorts;
import org.parley.sip.testing.LyncFrontEndSimulator;
import org.parley.sip.testing.TestPki;
import org.parley.sip.tls.TlsMaterial;
import org.parley.xmpp.adapt.ModelToXmpp;
import org.parley.xmpp.s2s.InboundServerListener;
import org.parley.xmpp.s2s.OutboundServerStream;
import org.parley.xmpp.s2s.PartnerPolicy;
import org.parley.xmpp.s2s.PartnerRules;
import org.parley.xmpp.s2s.S2sListenerConfig;
import org.parley.xmpp.s2s.S2sTarget;
import org.parley.xmpp.s2s.S2sTls;

/**
 * Everything a load run needs, on loopback with generated certificates: the gateway (the real
 * application, embedded store) in its own JVM pinned to its own core ({@link PinnedJvm}); in this
 * JVM, on the other core, the peers: a SIP peer playing the Lync front end over mutual TLS (for the
 * IM scenarios a raw responder, {@link RawSipFrontEnd}; for the subscription scenarios the JAIN-SIP
 * simulator, which holds dialogs), an XMPP server for xmpp.test (Parley's s2s listener implementation) that approves every
 * subscription request, an XMPP s2s peer sending as xmpp.test, a raw SIP source playing the front
 * end; and the TLS byte relay baseline (its relay pinned like the gateway). Arrivals, and error
 * answers, are recorded where they land.
 */
final class LoadRig implements AutoCloseable {

    private static final Pattern STAMP = Pattern.compile("ts:(\\d+)");

    final LatencyRecorder im = new LatencyRecorder();
    final LatencyRecorder notifies = new LatencyRecorder();
    final AtomicLong subscribesAtFrontEnd = new AtomicLong();
    final AtomicLong approvalsSent = new AtomicLong();
    /** S1 messages the gateway answered with an XMPP error (back at xmpp.test's server). */
    final AtomicLong s1ErrorAnswers = new AtomicLong();

    final Address juliet = Address.xmpp("juliet", "xmpp.test", "load");
    final Address alice = Address.xmpp("alice", "lync.test");

    /** Which peer plays the front end the gateway routes to. */
    enum FrontEnd {
        /** {@link RawSipFrontEnd}: reads, answers 200, records; as cheap as the relay's sink. */
        RAW,
        /** {@link LyncFrontEndSimulator}: dialogs, subscriptions, NOTIFYs; its own cost shows in the gateway's tail. */
        SIMULATOR
    }

    final FrontEnd frontEndKind;
    /** The simulator, or null when the raw front end plays the front end ({@link #simulator()}). */
    private final LyncFrontEndSimulator frontEnd;
    private final RawSipFrontEnd rawFrontEnd;
    final InboundServerListener xmppServer;
    final PinnedJvm gateway;
    final OutboundServerStream xmppPeer;
    final TlsRelayBaseline relay;
    final RawSipSender sipSource;
    final SSLContext frontEndTls;
    final int sipPort;

    private final ExecutorService approvals = Executors.newSingleThreadExecutor(r -> daemon(r, "load-approvals"));
    private final Thread sink;

    /**
     * @param runDir         where the gateway's output and GC log go
     * @param gatewayJvmArgs extra JVM options for the gateway process (a JFR recording, say); may be blank
     */
    LoadRig(Path runDir, String gatewayJvmArgs, FrontEnd frontEndKind) throws Exception {
        this.frontEndKind = frontEndKind;
        Path dir = Files.createTempDirectory("parley-load");
        TestPki pki = new TestPki();
        TestPki.Issued ca = pki.newCa("Load CA");
        TestPki.Issued gw = pki.newLeaf(ca, "gw.lync.test", "127.0.0.1", "lync.test");
        TestPki.Issued fe = pki.newLeaf(ca, "fe.lync.test", "127.0.0.1");
        TestPki.Issued partner = pki.newLeaf(ca, "xmpp.test");
        Path caPem = TestPki.writeCertificates(dir.resolve("ca.pem"), ca.certificate());

        // the front end's side of the mutual TLS: its certificate is one Parley trusts, and it trusts Parley's
        frontEndTls = new TlsMaterial(List.of(fe.certificate()), fe.keys().getPrivate(), List.of(ca.certificate()),
                Set.of("gw.lync.test")).sslContext(reason -> { });
        int fePort;
        if (frontEndKind == FrontEnd.RAW) {
            rawFrontEnd = new RawSipFrontEnd(frontEndTls, im::arrivedFor);
            fePort = rawFrontEnd.port();
            frontEnd = null;
            sink = null;
        } else {
            rawFrontEnd = null;
            fePort = FreePorts.next();
            frontEnd = new LyncFrontEndSimulator(fePort, new TlsMaterial(List.of(fe.certificate()), fe.keys().getPrivate(),
                    List.of(ca.certificate()), Set.of("gw.lync.test")), Set.of("alice"));
            sink = new Thread(this::drainFrontEnd, "load-sip-sink");
            sink.setDaemon(true);
            sink.start();
        }

        S2sTls partnerS2s = GatewayTestSupport.partnerTls(partner, ca);
        OutboundServerStream[] peer = new OutboundServerStream[1];
        xmppServer = GatewayTestSupport.partnerServer("xmpp.test", partnerS2s, event -> onXmppServerEvent(event, peer));

        int s2sPort = FreePorts.next();
        sipPort = FreePorts.next();
        Map<String, Object> p = GatewayTestSupport.labProperties(dir, gw, ca, caPem, sipPort, s2sPort, xmppServer.port());
        p.put("parley.lync.front-ends[0]", "127.0.0.1:" + fePort);
        p.put("parley.admin.token", "load-token");
        p.put("logging.level.root", "warn");
        p.put("parley.xmpp.rate-limit.per-partner-per-second", "0"); // the harness measures throughput, not the limiter
        // S4 measures the heap across one refresh cycle: subscriptions toward the front end refresh after 96 s, not 48 min
        p.put("parley.lync.subscription-expires", "120s");
        List<String> args = p.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).sorted().toList();
        gateway = PinnedJvm.start("gateway", runDir, gatewayJvmArgs, ParleyApplication.class.getName(), args)
                .awaitListening(Duration.ofSeconds(90), sipPort, s2sPort);

        xmppPeer = OutboundServerStream.open(new S2sTarget("127.0.0.1", s2sPort), "xmpp.test", "lync.test", partnerS2s,
                PartnerRules.DEFAULT, null, new ModelToXmpp(AddressMapper.anyDomain()), 10_000);
        peer[0] = xmppPeer;

        SSLContext relayTls = new TlsMaterial(List.of(fe.certificate()), fe.keys().getPrivate(), List.of(ca.certificate()),
                Set.of("fe.lync.test")).sslContext(reason -> { });
        List<Path> relayPem = List.of(TestPki.writeCertificates(dir.resolve("relay.pem"), fe.certificate()),
                TestPki.writePkcs8(dir.resolve("relay.key"), fe.keys()), caPem);
        relay = new TlsRelayBaseline(relayTls, relayPem, runDir, im::arrivedFor);
        sipSource = new RawSipSender(frontEndTls, sipPort);
    }

    /** The JAIN-SIP front end, for the scenarios that need its dialogs. */
    LyncFrontEndSimulator simulator() {
        if (frontEnd == null) {
            throw new IllegalStateException("this rig's front end is the raw responder; subscription scenarios need FrontEnd.SIMULATOR");
        }
        return frontEnd;
    }

    /** What the raw front end could not read (always 0 with the simulator, which reports its own refusals). */
    long frontEndUnreadable() {
        return rawFrontEnd == null ? 0 : rawFrontEnd.unreadable();
    }

    /** An IM from juliet@xmpp.test to alice@lync.test whose body is its intended send time. */
    void sendXmppIm(long intendedNanos) throws Exception {
        xmppPeer.send(ChatMessage.text(juliet, alice, "m" + intendedNanos, Long.toString(intendedNanos)));
    }

    /** S1 (XMPP → SIP): the gateway's CPU; errors are XMPP error stanzas back at xmpp.test. */
    OpenLoop.Measured s1() {
        return new OpenLoop.Measured("gateway", gateway::cpuNanos, s1ErrorAnswers::get, gateway::threadTicks);
    }

    /** S2 (SIP → XMPP): the gateway's CPU; errors are SIP error responses to the source. */
    OpenLoop.Measured s2() {
        return new OpenLoop.Measured("gateway", gateway::cpuNanos, sipSource::answeredWithError, gateway::threadTicks);
    }

    /** The relay baseline: the relay process's CPU; a byte relay answers nothing. */
    OpenLoop.Measured relayed() {
        return OpenLoop.Measured.of("relay", relay.process()::cpuNanos);
    }

    /** What the front end received: MESSAGE bodies and NOTIFY notes carry send times; SUBSCRIBEs are counted. */
    private void drainFrontEnd() {
        while (true) {
            try {
                LyncFrontEndSimulator.Received r = frontEnd.await(1);
                if (r == null) {
                    continue;
                }
                switch (r.method()) {
                    case "MESSAGE" -> im.arrivedFor(Long.parseLong(r.body().strip()));
                    case "NOTIFY", "BENOTIFY" -> {
                        Matcher m = STAMP.matcher(r.body());
                        if (m.find()) {
                            notifies.arrivedFor(Long.parseLong(m.group(1)));
                        }
                    }
                    case "SUBSCRIBE" -> subscribesAtFrontEnd.incrementAndGet();
                    default -> {
                        // OPTIONS and the like: not measured
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException notOurs) {
                // a request the run did not send (warm-up leftovers, a non-numeric body)
            }
        }
    }

    /** xmpp.test's server: IMs are arrivals (S2); subscription requests from Lync watchers are approved (S3). */
    private void onXmppServerEvent(GatewayEvent event, OutboundServerStream[] peer) {
        if (event instanceof GatewayError e && e.correlationId() != null && e.correlationId().startsWith("m")) {
            s1ErrorAnswers.incrementAndGet();
        } else if (event instanceof ChatMessage m) {
            try {
                im.arrivedFor(Long.parseLong(m.body().strip()));
            } catch (NumberFormatException notOurs) {
                // not a load message
            }
        } else if (event instanceof SubscriptionEvent s && s.action() == SubscriptionAction.REQUEST && peer[0] != null) {
            approvals.execute(() -> {
                try {
                    peer[0].send(new SubscriptionEvent(s.to().bare(), s.from().bare(), SubscriptionAction.APPROVE));
                    approvalsSent.incrementAndGet();
                } catch (Exception e) {
                    System.err.println("approval of " + s.from() + " failed: " + e);
                }
            });
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() throws Exception {
        approvals.shutdownNow();
        relay.close();
        sipSource.close();
        xmppPeer.close();
        xmppServer.close();
        gateway.close();
        if (frontEnd != null) {
            frontEnd.close();
            sink.interrupt();
        } else {
            rawFrontEnd.close();
        }
    }
}
