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
import org.jivesoftware.smack.roster.Roster;
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
 * Component mode: Parley is the XEP-0114 component sip.test of a real Prosody (whose user is
 * juliet@xmpp.test) instead of an s2s peer, and a real Kamailio serves alice@sip.test. IM both
 * ways and an XMPP user's subscription to a SIP user's presence.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class GatewayComponentIT {

    private static KamailioRig kamailio;
    private static ProsodyRig prosody;
    private static ConfigurableApplicationContext parley;
    private static TestSipUserAgent alice;
    private static XMPPTCPConnection juliet;
    private static final BlockingQueue<Message> julietMessages = new LinkedBlockingQueue<>();
    private static final BlockingQueue<Presence> julietPresence = new LinkedBlockingQueue<>();
    /** Every presence juliet got, in order, never consumed: approval and presence may arrive in either order. */
    private static final List<Presence> julietPresenceLog = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("parley-component-it");
        TestPki pki = new TestPki();
        TestPki.Issued ca = pki.newCa("Component Interop CA");
        Path caPem = TestPki.writeCertificates(dir.resolve("ca.pem"), ca.certificate());
        TestPki.Issued kam = pki.newLeaf(ca, "sip.test", "127.0.0.1");
        TestPki.Issued gateway = pki.newLeaf(ca, "gw.sip.test", "127.0.0.1");
        TestPki.Issued ua = pki.newLeaf(ca, "alice.sip.test");

        int sipPort = FreePorts.next();
        kamailio = KamailioRig.start(dir, TestPki.writeCertificates(dir.resolve("kam.pem"), kam.certificate()),
                TestPki.writePkcs8(dir.resolve("kam.key"), kam.keys()), caPem, sipPort);
        prosody = ProsodyRig.create(dir.resolve("prosody"), "sip.test", "component-secret");
        prosody.register("juliet", "xmpp.test", "juliet-password");
        prosody.start();

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
        p.put("parley.xmpp.s2s.enabled", "false");
        p.put("parley.xmpp.component.enabled", "true");
        p.put("parley.xmpp.component.port", Integer.toString(prosody.componentPort));
        p.put("parley.xmpp.component.secret", "component-secret");
        p.put("parley.xmpp.domains[0]", "xmpp.test");
        p.put("parley.admin.token", "component-it-token");
        parley = new SpringApplicationBuilder(ParleyApplication.class).properties(p).run();

        juliet = TestTls.smackUser("juliet", "juliet-password", prosody.c2sPort, prosody.certificate());
        Roster.getInstanceFor(juliet).setSubscriptionMode(Roster.SubscriptionMode.manual);
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
        awaitComponentLink();
    }

    private static void awaitComponentLink() throws InterruptedException {
        assertThat(awaitLinkState(state -> state.startsWith("CONNECTED"), 15)).as(prosody.log()).startsWith("CONNECTED");
    }

    /** The sip.test link's state once it satisfies {@code wanted}, or as it is when the time is up. */
    private static String awaitLinkState(Predicate<String> wanted, int seconds) throws InterruptedException {
        var links = parley.getBean(org.parley.gateway.wiring.ComponentLinks.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!wanted.test(links.states().getOrDefault("sip.test", "")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return links.states().getOrDefault("sip.test", "");
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
        parley.getBean(org.parley.gateway.trace.TranslationTrace.class).find(r -> true, 50).forEach(r -> trace.append(r).append('\n'));
        return "--- parley trace\n" + trace + "--- prosody\n" + prosody.log() + "\n--- kamailio\n" + kamailio.log();
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void imsCrossTheComponentLinkBothWays() throws Exception {
        juliet.sendStanza(StanzaBuilder.buildMessage("c1").to(JidCreate.from("alice@sip.test")).ofType(Message.Type.chat)
                .setBody("hello alice, via the component").build());
        TestSipUserAgent.Received got = alice.awaitMessage(20);
        assertThat(got).as(logs()).isNotNull();
        assertThat(got.body()).isEqualTo("hello alice, via the component");

        assertThat(alice.sendMessage("sip:juliet@xmpp.test", "hello juliet, via the component").getStatusCode()).as(logs()).isEqualTo(200);
        Message back = org.parley.gateway.testing.GatewayTestSupport.await(julietMessages, m -> "hello juliet, via the component".equals(m.getBody()));
        assertThat(back).as(logs()).isNotNull();
        assertThat(back.getFrom().asBareJid().toString()).isEqualTo("alice@sip.test");
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void theXmppUserSeesTheSipUsersPresenceThroughTheComponent() throws Exception {
        assertThat(alice.publish("<?xml version=\"1.0\" encoding=\"UTF-8\"?><presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:alice@sip.test\">"
                + "<tuple id=\"t1\"><status><basic>open</basic></status><note>Component desk</note></tuple></presence>").getStatusCode()).isEqualTo(200);
        julietPresenceLog.clear();
        juliet.sendStanza(StanzaBuilder.buildPresence().ofType(Presence.Type.subscribe).to(JidCreate.from("alice@sip.test")).build());
        assertThat(seen(p -> p.getType() == Presence.Type.subscribed)).as(logs()).isTrue();
        assertThat(seen(p -> p.getType() == Presence.Type.available && "Component desk".equals(p.getStatus()))).as(logs()).isTrue();
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void anImThatCannotCrossADownLinkIsAnsweredWithAnErrorNotWithOk() throws Exception {
        juliet.disconnect();
        prosody.stop();
        // "down" as Parley knows it: an IM written in the instant before the closed stream is read would leave in good
        // faith, as on any XEP-0114 link (no acknowledgements), so the test sends once the link is seen down
        assertThat(awaitLinkState(state -> !state.startsWith("CONNECTED"), 10)).as(logs()).doesNotStartWith("CONNECTED");
        int status = alice.tryMessage("sip:juliet@xmpp.test", "are you there?", 30);
        assertThat(status).as("the SIP sender learns the IM was not delivered%n%s", logs()).isGreaterThanOrEqualTo(400);
        var record = parley.getBean(org.parley.gateway.trace.TranslationTrace.class)
                .find(r -> r.direction().equals("sip→xmpp") && r.kind().equals("message") && r.outcome() != org.parley.gateway.trace.TranslationRecord.Outcome.DELIVERED, 1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (record.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100); // the queue gives up after its timeout even when the SIP side stopped waiting
            record = parley.getBean(org.parley.gateway.trace.TranslationTrace.class)
                    .find(r -> r.direction().equals("sip→xmpp") && r.kind().equals("message") && r.outcome() != org.parley.gateway.trace.TranslationRecord.Outcome.DELIVERED, 1);
        }
        assertThat(record).as(logs()).isNotEmpty();
    }

    private static boolean seen(Predicate<Presence> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (julietPresenceLog.stream().anyMatch(wanted)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

}
