package org.parley.gateway.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
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
 * The whole gateway between real peers: a Smack user (juliet@xmpp.test) on a real Prosody that
 * federates over s2s with Parley, and a SIP user (alice@sip.test) registered at a real Kamailio —
 * registrar and presence server, reached over mutual TLS — that routes the gateway's domain
 * (xmpp.test) to Parley. Parley serves sip.test to XMPP and xmpp.test to SIP, from the
 * {@code parley.*} configuration a production deployment would use, with its H2 store in a
 * directory that survives the restart in the last test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayInteropIT {

    private static Path dir;
    private static KamailioRig kamailio;
    private static ProsodyRig prosody;
    private static ConfigurableApplicationContext parley;
    private static Map<String, Object> parleyProperties;
    private static TestSipUserAgent alice;
    private static XMPPTCPConnection juliet;
    private static final BlockingQueue<Message> julietMessages = new LinkedBlockingQueue<>();
    private static final BlockingQueue<Presence> julietPresence = new LinkedBlockingQueue<>();
    /** Every presence juliet got, never consumed: an approval and the first presence may arrive in either order. */
    private static final List<Presence> julietPresenceLog = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("parley-gateway-it");
        TestPki pki = new TestPki();
        TestPki.Issued ca = pki.newCa("Gateway Interop CA");
        Path caPem = TestPki.writeCertificates(dir.resolve("ca.pem"), ca.certificate());
        TestPki.Issued kam = pki.newLeaf(ca, "sip.test", "127.0.0.1");
        TestPki.Issued gateway = pki.newLeaf(ca, "gw.sip.test", "127.0.0.1", "sip.test");
        TestPki.Issued xmppServer = pki.newLeaf(ca, "xmpp.test");
        TestPki.Issued ua = pki.newLeaf(ca, "alice.sip.test");

        int sipPort = FreePorts.next();
        int s2sPort = FreePorts.next();
        kamailio = KamailioRig.start(dir, TestPki.writeCertificates(dir.resolve("kam.pem"), kam.certificate()),
                TestPki.writePkcs8(dir.resolve("kam.key"), kam.keys()), caPem, sipPort);
        prosody = ProsodyRig.createFederating(dir.resolve("prosody"), caPem,
                TestPki.writeCertificates(dir.resolve("xmpp.test.pem"), xmppServer.certificate()),
                TestPki.writePkcs8(dir.resolve("xmpp.test.key"), xmppServer.keys()), Map.of("sip.test", s2sPort), Map.of(), true);

        parleyProperties = new HashMap<>();
        parleyProperties.put("server.port", "0");
        parleyProperties.put("parley.data-dir", dir.resolve("parley-data").toString());
        org.parley.gateway.testing.GatewayTestSupport.tlsProperties(parleyProperties, dir, gateway, ca, caPem);
        parleyProperties.put("parley.lync.domains[0]", "sip.test");
        parleyProperties.put("parley.lync.pool-fqdn", "gw.sip.test");
        parleyProperties.put("parley.lync.computer-fqdn", "127.0.0.1");
        parleyProperties.put("parley.lync.front-ends[0]", "127.0.0.1:" + kamailio.port());
        parleyProperties.put("parley.lync.dialect", "rfc");
        parleyProperties.put("parley.lync.listen-port", Integer.toString(sipPort));
        parleyProperties.put("parley.xmpp.s2s.port", Integer.toString(s2sPort));
        parleyProperties.put("parley.xmpp.s2s.unknown-partners", "refuse");
        parleyProperties.put("parley.xmpp.s2s.partners[xmpp.test].sasl-external", "required");
        parleyProperties.put("parley.xmpp.s2s.routes[xmpp.test]", "127.0.0.1:" + prosody.componentPort);
        parleyProperties.put("parley.admin.token", "it-admin-token");
        parley = startParley();

        prosody.register("juliet", "xmpp.test", "juliet-password");
        prosody.start();
        juliet = TestTls.smackUser("juliet", "juliet-password", prosody.c2sPort, caPem);
        // like every real client, juliet fetches her roster: Prosody sends subscription approvals only to such resources
        org.jivesoftware.smack.roster.Roster.getInstanceFor(juliet).setSubscriptionMode(org.jivesoftware.smack.roster.Roster.SubscriptionMode.manual);
        juliet.addAsyncStanzaListener(s -> julietMessages.add((Message) s), StanzaTypeFilter.MESSAGE);
        juliet.addAsyncStanzaListener(s -> {
            julietPresence.add((Presence) s);
            julietPresenceLog.add((Presence) s);
        }, StanzaTypeFilter.PRESENCE);
        juliet.connect().login();

        alice = new TestSipUserAgent("alice", "sip.test", FreePorts.next(),
                new TlsMaterial(List.of(ua.certificate()), ua.keys().getPrivate(), List.of(ca.certificate()), Set.of("sip.test")),
                "127.0.0.1", kamailio.port());
        assertThat(alice.register().getStatusCode()).as(kamailio.log()).isEqualTo(200);
    }

    private static ConfigurableApplicationContext startParley() {
        return new SpringApplicationBuilder(ParleyApplication.class).properties(parleyProperties).run();
    }

    @AfterAll
    static void stop() throws Exception {
        if (juliet != null) {
            juliet.disconnect();
        }
        if (alice != null) {
            alice.close();
        }
        if (parley != null) {
            parley.close();
        }
        if (prosody != null) {
            prosody.close();
        }
        if (kamailio != null) {
            kamailio.close();
        }
    }

    private static String logs() {
        StringBuilder trace = new StringBuilder();
        parley.getBean(org.parley.gateway.trace.TranslationTrace.class).find(r -> true, 100)
                .forEach(r -> trace.append(r).append('\n'));
        return "--- parley trace (newest first)\n" + trace + "--- prosody\n" + prosody.log() + "\n--- kamailio\n" + kamailio.log();
    }

    @Test
    @Order(0)
    void readyOnceTheFrontEndHasAnswered() throws Exception {
        String port = parley.getEnvironment().getProperty("local.server.port");
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest ready = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).build();
        int status = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (status != 200 && System.nanoTime() < deadline) {
            status = client.send(ready, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
            Thread.sleep(100);
        }
        assertThat(status).as("Kamailio answered the OPTIONS probe%n%s", logs()).isEqualTo(200);

        // the admin API shows the mutual-TLS connection to Kamailio and what Kamailio presented
        java.net.http.HttpRequest sessions = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/admin/api/sessions")).header("Authorization", "Bearer it-admin-token").build();
        String body = client.send(sessions, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(body).contains("\"remote\":\"/127.0.0.1:" + kamailio.port() + "\"").contains("\"protocol\":\"TLSv1.")
                .contains("\"peerNames\":[\"sip.test\"");
    }

    @Test
    @Order(1)
    void anImFromTheXmppUserReachesTheSipUser() throws Exception {
        juliet.sendStanza(StanzaBuilder.buildMessage("x1").to(JidCreate.from("alice@sip.test")).ofType(Message.Type.chat)
                .setBody("hello alice, from XMPP").build());
        TestSipUserAgent.Received got = alice.awaitMessage(20);
        assertThat(got).as(logs()).isNotNull();
        assertThat(got.body()).isEqualTo("hello alice, from XMPP");
        assertThat(got.from()).startsWith("sip:juliet@xmpp.test");

        // the trace keeps the stanza as it arrived — Prosody's own bytes, single-quoted attributes, not a
        // re-serialization — and the request as it left, bodies redacted
        var record = awaitRecord(r -> "x1".equals(r.correlation()));
        assertThat(record.inputWire()).startsWith("<message").contains("id='x1'").contains("[redacted 22 chars]")
                .doesNotContain("hello alice");
        assertThat(record.outputWires()).singleElement().asString().startsWith("MESSAGE sip:alice@sip.test").doesNotContain("hello alice");
    }

    @Test
    @Order(2)
    void anImFromTheSipUserReachesTheXmppUser() throws Exception {
        assertThat(alice.sendMessage("sip:juliet@xmpp.test", "hello juliet, from SIP").getStatusCode()).as(logs()).isEqualTo(200);
        Message got = awaitMessage(m -> "hello juliet, from SIP".equals(m.getBody()));
        assertThat(got).as(logs()).isNotNull();
        assertThat(got.getFrom().asBareJid().toString()).isEqualTo("alice@sip.test");

        // the trace keeps the MESSAGE as Kamailio delivered it, body redacted, and the stanza as sent
        var record = awaitRecord(r -> r.direction().equals("sip→xmpp") && r.kind().equals("message"));
        assertThat(record.inputWire()).startsWith("MESSAGE sip:juliet@xmpp.test").contains("Via: ").contains("[redacted 22 chars]")
                .doesNotContain("hello juliet");
        assertThat(record.outputWires()).singleElement().asString().startsWith("<message").doesNotContain("hello juliet");
    }

    @Test
    @Order(3)
    void anImToAnUnknownSipUserComesBackAsAnXmppErrorWithTheReason() throws Exception {
        juliet.sendStanza(StanzaBuilder.buildMessage("x404").to(JidCreate.from("nobody@sip.test")).ofType(Message.Type.chat)
                .setBody("anyone there?").build());
        Message error = awaitMessage(m -> "x404".equals(m.getStanzaId()) && m.getType() == Message.Type.error);
        assertThat(error).as(logs()).isNotNull();
        assertThat(error.getError().getCondition()).isEqualTo(StanzaError.Condition.item_not_found);
    }

    @Test
    @Order(4)
    void typingGoesBothWaysAsChatStatesAndIsComposing() throws Exception {
        juliet.sendStanza(StanzaBuilder.buildMessage("t1").to(JidCreate.from("alice@sip.test")).ofType(Message.Type.chat)
                .addExtension(new org.jivesoftware.smack.packet.StandardExtensionElement("composing", "http://jabber.org/protocol/chatstates"))
                .build());
        TestSipUserAgent.Received typing = alice.awaitMessage(20);
        assertThat(typing).as(logs()).isNotNull();
        assertThat(typing.contentType()).isEqualTo("application/im-iscomposing+xml");
        assertThat(typing.body()).contains("<state>active</state>");

        assertThat(alice.sendMessage("sip:juliet@xmpp.test", "application", "im-iscomposing+xml",
                "<?xml version=\"1.0\"?><isComposing xmlns=\"urn:ietf:params:xml:ns:im-iscomposing\"><state>active</state></isComposing>")
                .getStatusCode()).as(logs()).isEqualTo(200);
        Message composing = awaitMessage(m -> m.hasExtension("composing", "http://jabber.org/protocol/chatstates"));
        assertThat(composing).as(logs()).isNotNull();
        assertThat(composing.getBody()).isNull();
    }

    private static String pidf(String basic, String note) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:alice@sip.test\">"
                + "<tuple id=\"t1\"><status><basic>" + basic + "</basic></status><note>" + note + "</note></tuple></presence>";
    }

    @Test
    @Order(5)
    void theXmppUserSubscribesToTheSipUserAndSeesHerPresence() throws Exception {
        assertThat(alice.publish(pidf("open", "At my desk")).getStatusCode()).as(logs()).isEqualTo(200);
        julietPresence.clear();
        julietPresenceLog.clear();
        juliet.sendStanza(StanzaBuilder.buildPresence().ofType(Presence.Type.subscribe).to(JidCreate.from("alice@sip.test")).build());

        Presence subscribed = seenPresence(p -> p.getType() == Presence.Type.subscribed);
        assertThat(subscribed).as("the front end accepted the SUBSCRIBE%n%s", logs()).isNotNull();
        Presence available = seenPresence(p -> p.getType() == Presence.Type.available && "At my desk".equals(p.getStatus()));
        assertThat(available).as(logs()).isNotNull();
        assertThat(available.getFrom().asBareJid().toString()).isEqualTo("alice@sip.test");
        julietPresence.clear();

        assertThat(alice.publish(pidf("closed", "Gone home")).getStatusCode()).isEqualTo(200);
        Presence gone = awaitPresence(p -> p.getType() == Presence.Type.unavailable);
        assertThat(gone).as(logs()).isNotNull();
    }

    @Test
    @Order(6)
    void theSipUserSubscribesToTheXmppUserWhoApprovesAndHerPresenceFlows() throws Exception {
        julietPresence.clear();
        assertThat(alice.subscribe("sip:juliet@xmpp.test", 300).getStatusCode()).as(logs()).isBetween(200, 202);
        Presence request = awaitPresence(p -> p.getType() == Presence.Type.subscribe);
        assertThat(request).as("Parley asks juliet on alice's behalf%n%s", logs()).isNotNull();
        assertThat(request.getFrom().asBareJid().toString()).isEqualTo("alice@sip.test");
        TestSipUserAgent.Notified pending = alice.awaitNotify(10);
        assertThat(pending).as("a first NOTIFY while juliet decides").isNotNull();

        juliet.sendStanza(StanzaBuilder.buildPresence().ofType(Presence.Type.subscribed).to(JidCreate.from("alice@sip.test")).build());
        juliet.sendStanza(StanzaBuilder.buildPresence().ofType(Presence.Type.available).setMode(Presence.Mode.away).setStatus("Lunch").build());
        TestSipUserAgent.Notified n;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        do {
            n = alice.awaitNotify(1);
        } while ((n == null || !n.body().contains("Lunch")) && System.nanoTime() < deadline);
        assertThat(n).as(logs()).isNotNull();
        assertThat(n.body()).contains("Lunch").contains("<basic>open</basic>");
    }

    @Test
    @Order(8)
    void afterARestartTheRelationshipsAreKeptAndPresenceFlowsAgain() throws Exception {
        parley.close();
        parley = startParley();
        julietPresence.clear();
        assertThat(alice.publish(pidf("open", "Back after the restart")).getStatusCode()).isEqualTo(200);
        Presence back = awaitPresence(p -> p.getType() == Presence.Type.available && "Back after the restart".equals(p.getStatus()));
        assertThat(back).as("the restored SIP subscription delivers alice's new presence%n%s", logs()).isNotNull();
    }

    @Test
    @Order(9)
    void unsubscribeAndDenialWorkBothWays() throws Exception {
        var store = parley.getBean(org.parley.gateway.store.RelationshipStore.class);
        var sip = parley.getBean(org.parley.sip.SipEndpoint.class);
        org.parley.presence.model.Address julietSip = org.parley.presence.model.Address.sip("juliet", "xmpp.test");
        org.parley.presence.model.Address aliceSip = org.parley.presence.model.Address.sip("alice", "sip.test");

        // XMPP unsubscribe → SUBSCRIBE Expires: 0, relationship gone
        juliet.sendStanza(StanzaBuilder.buildPresence().ofType(Presence.Type.unsubscribe).to(JidCreate.from("alice@sip.test")).build());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while ((store.find("juliet@xmpp.test", "alice@sip.test").isPresent() || sip.subscriber().isSubscribed(julietSip, aliceSip))
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(store.find("juliet@xmpp.test", "alice@sip.test")).as(logs()).isEmpty();
        assertThat(sip.subscriber().isSubscribed(julietSip, aliceSip)).isFalse();

        // SIP unsubscribe → XMPP unsubscribe on alice's behalf
        julietPresence.clear();
        assertThat(alice.subscribe("sip:juliet@xmpp.test", 300).getStatusCode()).as(logs()).isBetween(200, 202);
        assertThat(alice.awaitNotify(10)).as("a first NOTIFY").isNotNull();
        assertThat(alice.unsubscribe().getStatusCode()).isBetween(200, 299);
        Presence unsubscribe = awaitPresence(p -> p.getType() == Presence.Type.unsubscribe);
        assertThat(unsubscribe).as(logs()).isNotNull();
        assertThat(unsubscribe.getFrom().asBareJid().toString()).isEqualTo("alice@sip.test");
        assertThat(store.find("alice@sip.test", "juliet@xmpp.test")).as(logs()).isEmpty();

        // a SIP watcher the XMPP user denies sees her closed
        julietPresence.clear();
        while (alice.awaitNotify(1) != null) {
            // drain what the ended subscription left
        }
        assertThat(alice.subscribe("sip:juliet@xmpp.test", 300).getStatusCode()).isBetween(200, 202);
        assertThat(awaitPresence(p -> p.getType() == Presence.Type.subscribe)).as(logs()).isNotNull();
        TestSipUserAgent.Notified pending = alice.awaitNotify(10);
        // RFC 6665 §4.2.2: while juliet decides the dialog is pending and tells nothing of her, not even "closed"
        assertThat(pending).as("a pending first NOTIFY").isNotNull();
        assertThat(pending.subscriptionState()).startsWith("pending");
        assertThat(pending.body()).isNullOrEmpty();
        assertThat(store.find("alice@sip.test", "juliet@xmpp.test")).get().extracting(r -> r.state())
                .isEqualTo(org.parley.gateway.store.RelationshipStore.State.PENDING);

        juliet.sendStanza(StanzaBuilder.buildPresence().ofType(Presence.Type.unsubscribed).to(JidCreate.from("alice@sip.test")).build());
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (store.find("alice@sip.test", "juliet@xmpp.test").isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(store.find("alice@sip.test", "juliet@xmpp.test")).as("the denial ends the relationship%n%s", logs()).isEmpty();
        TestSipUserAgent.Notified denied = alice.awaitNotify(10);
        assertThat(denied).as("the Lync watcher is told%n%s", logs()).isNotNull();
        assertThat(denied.subscriptionState()).startsWith("terminated").contains("rejected");
        assertThat(denied.body()).isNullOrEmpty();
        assertThat(alice.awaitNotify(2)).as("and nothing after").isNull();
    }

    @Test
    @Order(10)
    void stoppingUnderLoadLosesNoIm() throws Exception {
        while (alice.awaitMessage(1) != null) {
            // what earlier tests left
        }
        julietMessages.clear();
        java.util.Set<String> sent = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicBoolean sending = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread sender = new Thread(() -> {
            for (int i = 0; sending.get(); i++) {
                try {
                    String id = "drain-" + i;
                    juliet.sendStanza(StanzaBuilder.buildMessage(id).to(JidCreate.from("alice@sip.test")).ofType(Message.Type.chat)
                            .setBody(id).build());
                    sent.add(id);
                    Thread.sleep(25);
                } catch (Exception e) {
                    return;
                }
            }
        });
        sender.start();
        // counted, not timed: a slow machine still sends enough on both sides of the stop
        awaitSent(sent, 40);
        parley.close(); // SIGTERM: the drain runs while juliet keeps sending
        awaitSent(sent, sent.size() + 40);
        sending.set(false);
        sender.join(5000);

        java.util.Set<String> delivered = new java.util.HashSet<>();
        java.util.Set<String> refused = new java.util.HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (delivered.size() + refused.size() < sent.size() && System.nanoTime() < deadline) {
            TestSipUserAgent.Received got = alice.awaitMessage(0);
            if (got != null) {
                delivered.add(got.body());
            }
            Message m = julietMessages.poll(20, TimeUnit.MILLISECONDS);
            if (m != null && m.getType() == Message.Type.error && m.getStanzaId() != null && m.getStanzaId().startsWith("drain-")) {
                refused.add(m.getStanzaId());
            }
        }
        java.util.Set<String> lost = new java.util.TreeSet<>(sent);
        lost.removeAll(delivered);
        lost.removeAll(refused);
        System.out.printf("drain under load: %d IMs sent, %d delivered, %d answered with an error, %d lost%n",
                sent.size(), delivered.size(), refused.size(), lost.size());
        assertThat(sent).as("IMs were sent before and after the stop").hasSizeGreaterThan(60);
        assertThat(delivered).as("some were delivered before the stop").isNotEmpty();
        assertThat(lost).as("delivered %d, answered with an error %d, of %d", delivered.size(), refused.size(), sent.size()).isEmpty();
    }

    private static void awaitSent(java.util.Set<String> sent, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sent.size() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(25);
        }
    }

    /** A translation record closes when the outcome is known — just after the peer already has the message. */
    private static org.parley.gateway.trace.TranslationRecord awaitRecord(Predicate<org.parley.gateway.trace.TranslationRecord> wanted)
            throws InterruptedException {
        var trace = parley.getBean(org.parley.gateway.trace.TranslationTrace.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (trace.find(wanted, 1).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(trace.find(wanted, 1)).as(logs()).isNotEmpty();
        return trace.find(wanted, 1).get(0);
    }

    private static Message awaitMessage(Predicate<Message> wanted) throws InterruptedException {
        return org.parley.gateway.testing.GatewayTestSupport.await(julietMessages, wanted);
    }

    /** The first presence juliet ever got (since the log was cleared) that matches, waiting up to 20 s. */
    private static Presence seenPresence(Predicate<Presence> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (Presence p : julietPresenceLog) {
                if (wanted.test(p)) {
                    return p;
                }
            }
            Thread.sleep(50);
        }
        return null;
    }

    private static Presence awaitPresence(Predicate<Presence> wanted) throws InterruptedException {
        return org.parley.gateway.testing.GatewayTestSupport.await(julietPresence, wanted);
    }
}
