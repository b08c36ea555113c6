package org.parley.sip.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.MessageKind;
import org.parley.presence.model.Receipt;
import org.parley.sip.SipEndpoint;
import org.parley.sip.config.HostPort;
import org.parley.sip.config.SipEndpointConfig;
import org.parley.sip.config.SipDialect;
import org.parley.sip.config.SipTransport;
import org.parley.sip.config.SipTimers;
import org.parley.sip.testing.FreePorts;
import org.parley.sip.testing.KamailioRig;
import org.parley.sip.testing.RecordingInbound;
import org.parley.sip.testing.TestPki;
import org.parley.sip.testing.TestSipUserAgent;
import org.parley.sip.tls.TlsMaterial;

/**
 * Parley's SIP side against a real Kamailio over mutual TLS: Parley (gateway for xmpp.test) ⇄
 * Kamailio (registrar and presence server for sip.test) ⇄ a SIP user agent registered as alice.
 * Page-mode MESSAGE both ways, failover, and presence (PUBLISH, SUBSCRIBE/NOTIFY with PIDF both
 * ways, refresh, unsubscribe).
 */
class KamailioInteropIT {

    private static Path dir;
    private static KamailioRig kamailio;
    private static SipEndpoint parley;
    private static TestSipUserAgent alice;
    private static TlsMaterial parleyTls;
    private static AddressMapper mapper;
    private static final RecordingInbound recorder = new RecordingInbound();

    @BeforeAll
    static void startPeers() throws Exception {
        dir = Files.createTempDirectory("parley-kamailio-it");
        TestPki pki = new TestPki();
        TestPki.Issued ca = pki.newCa("Interop CA");
        TestPki.Issued kam = pki.newLeaf(ca, "sip.test", "127.0.0.1");
        TestPki.Issued gw = pki.newLeaf(ca, "xmpp.test", "gw.xmpp.test");
        TestPki.Issued ua = pki.newLeaf(ca, "alice.sip.test");
        Path caPem = TestPki.writeCertificates(dir.resolve("ca.pem"), ca.certificate());

        int parleyPort = FreePorts.next();
        kamailio = KamailioRig.start(dir, TestPki.writeCertificates(dir.resolve("kam.pem"), kam.certificate()),
                TestPki.writePkcs8(dir.resolve("kam.key"), kam.keys()), caPem, parleyPort);

        parleyTls = new TlsMaterial(List.of(gw.certificate()), gw.keys().getPrivate(), List.of(ca.certificate()), Set.of("sip.test"));
        mapper = AddressMapper.forDomains(List.of("xmpp.test", "sip.test"));
        parley = endpoint(parleyPort, List.of(new HostPort("127.0.0.1", kamailio.port())));
        parley.start();

        alice = new TestSipUserAgent("alice", "sip.test", FreePorts.next(),
                new TlsMaterial(List.of(ua.certificate()), ua.keys().getPrivate(), List.of(ca.certificate()), Set.of("sip.test")),
                "127.0.0.1", kamailio.port());
        assertThat(alice.register().getStatusCode()).as(kamailio.log()).isEqualTo(200);
    }

    @AfterAll
    static void stopPeers() {
        if (alice != null) {
            alice.close();
        }
        if (parley != null) {
            parley.close();
        }
        if (kamailio != null) {
            kamailio.close();
        }
    }

    private static SipEndpoint endpoint(int port, List<HostPort> frontEnds) {
        SipEndpointConfig config = new SipEndpointConfig("gw.xmpp.test", "127.0.0.1", "127.0.0.1", port, SipTransport.TLS,
                parleyTls, frontEnds, Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(30), Set.of("xmpp.test"), SipDialect.RFC,
                new SipTimers(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofMinutes(10),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMinutes(10))
                        // these endpoints measure how messages fail over; a health probe opening connections to the
                        // same dead and stalled targets at the same moment would share (and blur) the timing
                        .withOptionsProbe(Duration.ZERO));
        return new SipEndpoint(config, mapper, recorder.sides(), Clock.systemUTC(), reason -> { });
    }

    @Test
    void messageFromXmppSideReachesTheRegisteredSipUser() throws Exception {
        ChatMessage m = ChatMessage.text(Address.sip("juliet", "xmpp.test"), Address.sip("alice", "sip.test"), "m1",
                "Hello alice <3 & ünïcødé");

        GatewayEvent outcome = parley.messaging().send(m).get(15, TimeUnit.SECONDS);

        assertThat(outcome).as(kamailio.log()).isInstanceOf(Receipt.class);
        assertThat(((Receipt) outcome).messageId()).isEqualTo("m1");
        TestSipUserAgent.Received got = alice.awaitMessage(5);
        assertThat(got).isNotNull();
        assertThat(got.body()).isEqualTo("Hello alice <3 & ünïcødé");
        assertThat(got.from()).isEqualTo("sip:juliet@xmpp.test");
        assertThat(got.contentType()).isEqualTo("text/plain");
    }

    @Test
    void htmlMessagesKeepTheirContentType() throws Exception {
        ChatMessage m = new ChatMessage(Address.sip("juliet", "xmpp.test"), Address.sip("alice", "sip.test"), "m2",
                MessageKind.CHAT, "bold", "<b>bold</b>", null, false, null);
        assertThat(parley.messaging().send(m).get(15, TimeUnit.SECONDS)).isInstanceOf(Receipt.class);
        TestSipUserAgent.Received got = alice.awaitMessage(5);
        assertThat(got.contentType()).isEqualTo("text/html");
        assertThat(got.body()).isEqualTo("<b>bold</b>");
    }

    @Test
    void messageToAnUnknownSipUserComesBackAsItemNotFound() throws Exception {
        ChatMessage m = ChatMessage.text(Address.sip("juliet", "xmpp.test"), Address.sip("nobody", "sip.test"), "m3", "anyone?");

        GatewayEvent outcome = parley.messaging().send(m).get(15, TimeUnit.SECONDS);

        assertThat(outcome).isInstanceOf(GatewayError.class);
        GatewayError error = (GatewayError) outcome;
        assertThat(error.sipStatus()).isEqualTo(404);
        assertThat(error.condition()).isEqualTo(ErrorCondition.ITEM_NOT_FOUND);
        assertThat(error.to()).isEqualTo(Address.sip("juliet", "xmpp.test"));
        assertThat(error.correlationId()).isEqualTo("m3");
    }

    @Test
    void messageFromTheSipUserReachesParleyAsAChatMessage() throws Exception {
        recorder.messageAnswer.set(null);
        recorder.messages.clear();

        int status = alice.sendMessage("sip:Juliet@xmpp.test", "Hi from SIP").getStatusCode();

        assertThat(status).isEqualTo(200);
        ChatMessage got = recorder.messages.poll(5, TimeUnit.SECONDS);
        assertThat(got).isNotNull();
        assertThat(got.from()).isEqualTo(Address.sip("alice", "sip.test"));
        assertThat(got.to().userAtDomain()).isEqualTo("Juliet@xmpp.test");
        assertThat(got.body()).isEqualTo("Hi from SIP");
    }

    @Test
    void anXmppSideErrorIsAnsweredWithTheMappedSipStatus() throws Exception {
        recorder.messageAnswer.set(new GatewayError(Address.sip("juliet", "xmpp.test"), Address.sip("alice", "sip.test"),
                ErrorCondition.RECIPIENT_UNAVAILABLE, null, 0, "juliet is offline", null, null));
        try {
            assertThat(alice.sendMessage("sip:juliet@xmpp.test", "are you there?").getStatusCode()).isEqualTo(480);
        } finally {
            recorder.messageAnswer.set(null);
        }
    }

    @Test
    void aDeadFrontEndTargetIsFailedOverAndBackedOff() throws Exception {
        HostPort dead = new HostPort("127.0.0.1", FreePorts.next());
        HostPort live = new HostPort("127.0.0.1", kamailio.port());
        try (SipEndpoint twoTargets = endpoint(FreePorts.next(), List.of(dead, live))) {
            twoTargets.start();
            for (int i = 0; i < 3; i++) {
                ChatMessage m = ChatMessage.text(Address.sip("juliet", "xmpp.test"), Address.sip("alice", "sip.test"), "f" + i, "via failover " + i);
                assertThat(twoTargets.messaging().send(m).get(15, TimeUnit.SECONDS)).isInstanceOf(Receipt.class);
                assertThat(alice.awaitMessage(5).body()).isEqualTo("via failover " + i);
            }
            assertThat(twoTargets.route().isHealthy(dead)).isFalse();
            assertThat(twoTargets.route().isHealthy(live)).isTrue();
            assertThat(twoTargets.messaging().pendingCount()).isZero();
        }
    }

    @Test
    void deadAndHalfOpenTargetsAreFailedOverWithinTheConfiguredTimeouts() throws Exception {
        HostPort dead = new HostPort("127.0.0.1", FreePorts.next());
        HostPort live = new HostPort("127.0.0.1", kamailio.port());
        // Half-open: accepts TCP connections and never says a word (the stalled front end).
        try (java.net.ServerSocket halfOpenSocket = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             SipEndpoint endpoint = endpoint(FreePorts.next(), List.of(dead, new HostPort("127.0.0.1", halfOpenSocket.getLocalPort()), live))) {
            HostPort halfOpen = new HostPort("127.0.0.1", halfOpenSocket.getLocalPort());
            endpoint.start();
            // Every plan rotates; within three sends each target has been first once.
            for (int i = 0; i < 3; i++) {
                long started = System.nanoTime();
                ChatMessage m = ChatMessage.text(Address.sip("juliet", "xmpp.test"), Address.sip("alice", "sip.test"), "h" + i, "half-open " + i);
                assertThat(endpoint.messaging().send(m).get(20, TimeUnit.SECONDS)).isInstanceOf(Receipt.class);
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                // bound: one connect timeout (dead) + one TLS handshake timeout (half-open) + a healthy round trip
                assertThat(took).isLessThan(endpoint.config().connectTimeout().multipliedBy(2).plusSeconds(2));
                assertThat(alice.awaitMessage(5).body()).isEqualTo("half-open " + i);
            }
            assertThat(endpoint.route().isHealthy(halfOpen)).isFalse();
            assertThat(endpoint.route().isHealthy(dead)).isFalse();
            assertThat(endpoint.route().isHealthy(live)).isTrue();
        }
    }

    private static String pidf(String entity, String basic, String note) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"" + entity + "\">"
                + "<tuple id=\"t1\"><status><basic>" + basic + "</basic></status><note>" + note + "</note></tuple></presence>";
    }

    @Test
    void parleyWatchesASipUserThroughKamailiosPresenceServer() throws Exception {
        Address juliet = Address.sip("juliet", "xmpp.test");
        Address aliceAor = Address.sip("alice", "sip.test");
        assertThat(alice.publish(pidf("sip:alice@sip.test", "open", "At my desk")).getStatusCode()).isEqualTo(200);
        recorder.presence.clear();

        GatewayEvent answer = parley.subscriber().subscribe(juliet, aliceAor).get(15, TimeUnit.SECONDS);
        assertThat(answer).as(kamailio.log()).isEqualTo(new org.parley.presence.model.SubscriptionEvent(aliceAor, juliet,
                org.parley.presence.model.SubscriptionAction.APPROVE));

        org.parley.presence.model.PresenceUpdate first = recorder.presence.poll(10, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(first.from()).isEqualTo(aliceAor);
        assertThat(first.to()).isEqualTo(juliet);
        assertThat(first.availability()).isEqualTo(org.parley.presence.model.Availability.AVAILABLE);
        assertThat(first.statusText("")).isEqualTo("At my desk");

        assertThat(alice.publish(pidf("sip:alice@sip.test", "closed", "Gone home")).getStatusCode()).isEqualTo(200);
        org.parley.presence.model.PresenceUpdate second = recorder.presence.poll(10, TimeUnit.SECONDS);
        assertThat(second).isNotNull();
        assertThat(second.availability()).isEqualTo(org.parley.presence.model.Availability.OFFLINE);
        assertThat(second.statusText("")).isEqualTo("Gone home");

        recorder.subscriptionEvents.clear();
        parley.subscriber().unsubscribe(juliet, aliceAor);
        org.parley.presence.model.SubscriptionEvent ended = recorder.subscriptionEvents.poll(10, TimeUnit.SECONDS);
        assertThat(ended).isEqualTo(new org.parley.presence.model.SubscriptionEvent(aliceAor, juliet,
                org.parley.presence.model.SubscriptionAction.CANCEL));
        assertThat(parley.subscriber().isSubscribed(juliet, aliceAor)).isFalse();
    }

    @Test
    void aSipUserWatchesAnXmppUserThroughParley() throws Exception {
        Address juliet = Address.sip("juliet", "xmpp.test");
        recorder.states.put(juliet, new org.parley.presence.model.PresenceUpdate(juliet, null,
                org.parley.presence.model.Availability.AVAILABLE, 0,
                List.of(org.parley.presence.model.LocalizedText.of("Balcony")), null, null));
        recorder.subscriptionEvents.clear();

        var response = alice.subscribe("sip:juliet@xmpp.test", 60, "application/pidf+xml");
        assertThat(response.getStatusCode()).as(kamailio.log()).isEqualTo(200);
        assertThat(recorder.subscriptionEvents.poll(5, TimeUnit.SECONDS)).isEqualTo(new org.parley.presence.model.SubscriptionEvent(
                Address.sip("alice", "sip.test"), juliet, org.parley.presence.model.SubscriptionAction.REQUEST));

        TestSipUserAgent.Notified initial = alice.awaitNotify(10);
        assertThat(initial).as(kamailio.log()).isNotNull();
        assertThat(initial.subscriptionState()).startsWith("active");
        assertThat(initial.contentType()).isEqualTo("application/pidf+xml");
        assertThat(initial.body()).contains("<basic>open</basic>").contains("Balcony").contains("entity=\"sip:juliet@xmpp.test\"");

        // three quick changes inside one coalescing interval: the last one must arrive, not all three
        long publishing = System.nanoTime();
        for (String note : List.of("one", "two", "three")) {
            parley.notifier().publish(new org.parley.presence.model.PresenceUpdate(juliet, Address.sip("alice", "sip.test"),
                    org.parley.presence.model.Availability.AWAY, 0, List.of(org.parley.presence.model.LocalizedText.of(note)), null, null));
        }
        long publishMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - publishing);
        // the first may go at once, the rest after the interval: read until the last state is there, however late
        List<String> bodies = new java.util.ArrayList<>();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((bodies.isEmpty() || !bodies.get(bodies.size() - 1).contains("three")) && System.nanoTime() < until && bodies.size() < 3) {
            TestSipUserAgent.Notified n = alice.awaitNotify(1);
            if (n != null) {
                bodies.add(n.body());
            }
        }
        assertThat(bodies).as(kamailio.log()).isNotEmpty();
        assertThat(bodies.get(bodies.size() - 1)).contains("three").contains("<rpid:away/>");
        if (publishMillis < 100) { // the three fell inside one interval for sure
            assertThat(bodies).as("coalesced: at most the first and the last").hasSizeLessThanOrEqualTo(2)
                    .noneMatch(b -> b.contains(">two<"));
        }
        assertThat(alice.awaitNotify(1)).isNull();

        // presence is per watcher: juliet's state for bob, and bob's approval, never reach alice's dialog
        Address bob = Address.sip("bob", "sip.test");
        var four = new org.parley.presence.model.PresenceUpdate(juliet, bob, org.parley.presence.model.Availability.AWAY, 0,
                List.of(org.parley.presence.model.LocalizedText.of("four")), null, null);
        parley.notifier().publish(four);
        parley.notifier().authorize(juliet, bob, four);
        assertThat(alice.awaitNotify(1)).isNull();
        // an approval NOTIFYs the approved watcher at once, outside the rate limit
        parley.notifier().authorize(juliet, Address.sip("alice", "sip.test"), four.withTo(null));
        TestSipUserAgent.Notified mine = alice.awaitNotify(5);
        assertThat(mine).isNotNull();
        assertThat(mine.body()).contains("four");
        assertThat(alice.awaitNotify(1)).isNull();

        assertThat(alice.unsubscribe().getStatusCode()).isEqualTo(200);
        TestSipUserAgent.Notified terminated = alice.awaitNotify(10);
        assertThat(terminated).isNotNull();
        assertThat(terminated.subscriptionState()).startsWith("terminated");
        assertThat(recorder.subscriptionEvents.poll(5, TimeUnit.SECONDS)).isEqualTo(new org.parley.presence.model.SubscriptionEvent(
                Address.sip("alice", "sip.test"), juliet, org.parley.presence.model.SubscriptionAction.CANCEL));
        assertThat(parley.notifier().size()).isZero();
    }

    @Test
    void subscribingToAnUnknownGatewayUserIsRefused() throws Exception {
        assertThat(alice.subscribe("sip:nobody@xmpp.test", 60).getStatusCode()).isEqualTo(404);
    }

    @Test
    void parleysSubscriptionIsRefreshedBeforeItExpires() throws Exception {
        Address romeo = Address.sip("romeo", "xmpp.test");
        Address aliceAor = Address.sip("alice", "sip.test");
        SipEndpointConfig shortLived = new SipEndpointConfig("gw.xmpp.test", "127.0.0.1", "127.0.0.1", FreePorts.next(), SipTransport.TLS,
                parleyTls, List.of(new HostPort("127.0.0.1", kamailio.port())), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(30), Set.of("xmpp.test"), SipDialect.RFC,
                new SipTimers(Duration.ofSeconds(6), Duration.ofSeconds(10), Duration.ofMinutes(10),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMinutes(10)));
        RecordingInbound own = new RecordingInbound();
        try (SipEndpoint endpoint = new SipEndpoint(shortLived, mapper, own, Clock.systemUTC(), reason -> { })) {
            endpoint.start();
            assertThat(alice.publish(pidf("sip:alice@sip.test", "open", "before")).getStatusCode()).isEqualTo(200);
            assertThat(endpoint.subscriber().subscribe(romeo, aliceAor).get(15, TimeUnit.SECONDS))
                    .isInstanceOf(org.parley.presence.model.SubscriptionEvent.class);
            assertThat(own.presence.poll(10, TimeUnit.SECONDS)).isNotNull();

            Thread.sleep(9_000); // past the 6 s granted: only refreshes keep the subscription alive
            own.presence.clear();
            assertThat(alice.publish(pidf("sip:alice@sip.test", "open", "after expiry")).getStatusCode()).isEqualTo(200);
            org.parley.presence.model.PresenceUpdate later = null;
            for (int i = 0; i < 10 && (later == null || !"after expiry".equals(later.statusText(""))); i++) {
                later = own.presence.poll(2, TimeUnit.SECONDS);
            }
            assertThat(later).as(kamailio.log()).isNotNull();
            assertThat(later.statusText("")).isEqualTo("after expiry");
            assertThat(endpoint.subscriber().isSubscribed(romeo, aliceAor)).isTrue();
        }
    }
}
