package org.parley.gateway.testing;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.parley.gateway.routing.Clustering;
import org.parley.gateway.routing.EmptyRelationshipStore;
import org.parley.gateway.routing.PartnerRateLimits;
import org.parley.gateway.routing.Router;
import org.parley.gateway.routing.WireForms;
import org.parley.gateway.store.OverlayRelationshipStore;
import org.parley.gateway.store.RelationshipStore;
import org.parley.gateway.trace.TranslationTrace;
import org.parley.gateway.wiring.SipEndpointSide;
import org.parley.presence.address.AddressMapper;
import org.parley.sip.SipEndpoint;
import org.parley.sip.config.HostPort;
import org.parley.sip.config.SipDialect;
import org.parley.sip.config.SipEndpointConfig;
import org.parley.sip.config.SipTimers;
import org.parley.sip.config.SipTransport;
import org.parley.sip.testing.FreePorts;
import org.parley.sip.testing.LyncFrontEndSimulator;
import org.parley.sip.testing.TestPki;
import org.parley.sip.tls.TlsMaterial;
import org.parley.xmpp.adapt.InboundDispatcher;
import org.parley.xmpp.adapt.ModelToXmpp;
import org.parley.xmpp.adapt.XmppToModel;
import org.parley.xmpp.iq.IqHandler;
import org.parley.xmpp.stream.StanzaReader;
import org.parley.xmpp.stream.StreamEvent;
import org.parley.xmpp.stream.StreamLimits;

/**
 * The gateway assembled as production wires it — the Router over the real sip module (a {@link SipEndpoint} over mutual
 * TLS on loopback, toward the Lync front-end simulator) and the real xmpp module's stanza reader, inbound dispatcher and
 * stanza writer — with the XMPP server replaced by two queues of stanza text: what the XMPP server sends Parley
 * ({@link #fromXmpp}), and what Parley writes toward it ({@link #toXmpp}). The relationship store survives
 * {@link #restart()}; everything live (dialogs, presence) does not, as in a real restart.
 */
public final class AssembledGateway implements AutoCloseable {

    public static final String LYNC = "contoso.com";
    public static final String XMPP = "xmpp.test";
    /** A SIP domain behind the same front end that speaks RFC SIP (page-mode MESSAGE, PIDF), not Lync's dialect. */
    public static final String RFC_SIP = "fabrikam.com";

    public final LyncFrontEndSimulator frontEnd;
    public final int sipPort;
    /** Stanzas Parley wrote toward the XMPP server, as text. */
    public final BlockingQueue<String> toXmpp = new LinkedBlockingQueue<>();
    public final RelationshipStore store = new OverlayRelationshipStore(new EmptyRelationshipStore());
    private final AddressMapper mapper;
    private final SipEndpointConfig config;
    private final Clock clock = Clock.systemUTC();
    private TranslationTrace trace;
    private Router router;
    private SipEndpoint sip;
    private StanzaReader reader;
    private InboundDispatcher dispatcher;

    private final org.parley.gateway.routing.PartnerTypes partnerTypes;

    /** @param lyncUsers users the front end knows (others' SUBSCRIBEs are refused 404 with ms-diagnostics) */
    public AssembledGateway(Set<String> lyncUsers) throws Exception {
        this(lyncUsers, org.parley.gateway.routing.PartnerTypes.ALL_FEDERATED);
    }

    /** @param partnerTypes the XMPP partners' Lync partner types */
    public AssembledGateway(Set<String> lyncUsers, org.parley.gateway.routing.PartnerTypes partnerTypes) throws Exception {
        this.partnerTypes = partnerTypes;
        TestPki pki = new TestPki();
        TestPki.Issued ca = pki.newCa("Contoso CA");
        TestPki.Issued gw = pki.newLeaf(ca, "gw.contoso.com", "127.0.0.1");
        TestPki.Issued fe = pki.newLeaf(ca, "pool.contoso.com", "fe1.contoso.com");
        int fePort = FreePorts.next();
        frontEnd = new LyncFrontEndSimulator(fePort, new TlsMaterial(List.of(fe.certificate()), fe.keys().getPrivate(),
                List.of(ca.certificate()), Set.of("gw.contoso.com")), lyncUsers);
        frontEnd.refuseUnknownPresentities(true);
        sipPort = FreePorts.next();
        mapper = AddressMapper.forDomains(List.of(LYNC, XMPP, RFC_SIP));
        // NOTIFYs are not coalesced here (interval zero): every change a watcher may see is one NOTIFY, so a test can
        // count them; minimum expiry 1 s so that expiry can be exercised
        SipTimers timers = new SipTimers(Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofHours(1), Duration.ZERO,
                Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ZERO, Duration.ZERO);
        config = new SipEndpointConfig("gw.contoso.com", "127.0.0.1", "127.0.0.1", sipPort, SipTransport.TLS,
                new TlsMaterial(List.of(gw.certificate()), gw.keys().getPrivate(), List.of(ca.certificate()), Set.of("pool.contoso.com")),
                List.of(new HostPort("127.0.0.1", fePort)), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(30),
                Set.of(XMPP), SipDialect.LYNC, timers).withDomainDialects(java.util.Map.of(RFC_SIP, SipDialect.RFC));
        start();
    }

    private void start() throws Exception {
        trace = new TranslationTrace(100_000, true, clock);
        // one encoder, as in production: the XMPP server's queue gets what the trace shows
        ModelToXmpp writer = new ModelToXmpp(mapper);
        router = new Router(mapper, store, trace, clock, new WireForms(writer::render), PartnerRateLimits.OFF,
                Clustering.single(), partnerTypes);
        sip = new SipEndpoint(config, mapper, org.parley.sip.SipSides.all(router), clock, line -> { });
        router.connect(event -> {
            toXmpp.add(writer.render(event));
            return CompletableFuture.completedFuture(event);
        }, new SipEndpointSide(sip));
        sip.start();
        reader = new StanzaReader(StreamLimits.DEFAULT, Set.of("jabber:server"));
        feed("<stream:stream xmlns='jabber:server' xmlns:stream='" + StanzaReader.STREAMS_NS + "' from='" + XMPP + "' to='" + LYNC
                + "' version='1.0'>");
        dispatcher = new InboundDispatcher(new XmppToModel(mapper), new IqHandler(Set.of(LYNC), "Parley"), router);
        router.restoreSubscriptions();
    }

    /** A stanza from the XMPP server, through the xmpp module's stream reader and dispatcher as an s2s stream's are. */
    public void fromXmpp(String stanza) throws Exception {
        for (StreamEvent e : feed(stanza)) {
            if (e instanceof StreamEvent.Stanza s) {
                dispatcher.dispatch(s.element(), reply -> toXmpp.add(reply.toXML()));
            }
        }
    }

    private List<StreamEvent> feed(String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return reader.feed(bytes, 0, bytes.length);
    }

    /** The newest trace record {@code wanted} accepts, waiting up to 10 s for one. */
    public org.parley.gateway.trace.TranslationRecord awaitRecord(java.util.function.Predicate<org.parley.gateway.trace.TranslationRecord> wanted)
            throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            List<org.parley.gateway.trace.TranslationRecord> found = trace.find(wanted, 1);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no such trace record");
    }

    /** The next request the front end receives that {@code wanted} accepts, passing over others, waiting up to 10 s. */
    public org.parley.sip.testing.LyncFrontEndSimulator.Received awaitAtFrontEnd(
            java.util.function.Predicate<org.parley.sip.testing.LyncFrontEndSimulator.Received> wanted) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> others = new java.util.ArrayList<>();
        while (System.nanoTime() < until) {
            org.parley.sip.testing.LyncFrontEndSimulator.Received r = frontEnd.await(1);
            if (r != null && wanted.test(r)) {
                return r;
            }
            if (r != null) {
                others.add(r.method() + " " + r.callId() + " " + r.subscriptionState());
            }
        }
        throw new AssertionError("the front end did not receive the request; it received " + others + "; misrouted "
                + frontEnd.misrouted() + "; out of order " + frontEnd.outOfOrder() + "; unparsed " + frontEnd.unparsed());
    }

    /** The next stanza Parley wrote toward XMPP that contains every one of {@code fragments}, or null after {@code seconds}. */
    public String awaitToXmpp(long seconds, String... fragments) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String s = toXmpp.poll(50, TimeUnit.MILLISECONDS);
            if (s != null && containsAll(s, fragments)) {
                return s;
            }
        }
        return null;
    }

    private static boolean containsAll(String s, String... fragments) {
        for (String f : fragments) {
            if (!s.contains(f)) {
                return false;
            }
        }
        return true;
    }

    /** A graceful restart, as the lifecycle does it: watchers told, dialogs ended, then up again on the same store. */
    public void restart() throws Exception {
        stop();
        start();
    }

    private void stop() {
        router.goingAway();
        sip.notifier().terminateAll();
        sip.close();
    }

    public TranslationTrace trace() {
        return trace;
    }

    public Router router() {
        return router;
    }

    public SipEndpoint sip() {
        return sip;
    }

    @Override
    public void close() {
        stop();
        frontEnd.close();
    }
}
