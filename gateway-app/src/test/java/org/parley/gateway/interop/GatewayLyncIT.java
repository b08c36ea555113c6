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
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.gateway.ParleyApplication;
import org.parley.sip.testing.FreePorts;
import org.parley.sip.testing.LyncFrontEndSimulator;
import org.parley.sip.testing.TestPki;
import org.parley.sip.tls.TlsMaterial;
import org.parley.xmpp.testing.ProsodyRig;
import org.parley.xmpp.testing.TestTls;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The gateway in the Lync dialect, between a real Prosody (Smack user juliet@xmpp.test) and the
 * Lync front-end simulator (contoso.com, built from [MS-SIPRE] / [MS-PRES]; no real Lync can run
 * here): msrtc categories NOTIFY and BENOTIFY, IM sessions (INVITE + MESSAGE) both ways, the
 * ms-diagnostics reason of a refused IM in the XMPP error, and a Lync watcher's subscription.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class GatewayLyncIT {

    private static final String MEETING = org.parley.sip.testing.LyncCategoryDocuments.MEETING;
    private static final String AWAY = "<categories xmlns=\"http://schemas.microsoft.com/2006/09/sip/categories\" uri=\"sip:alice@contoso.com\">"
            + "<category name=\"state\" instance=\"0\" publishTime=\"2026-01-02T04:00:00.000\" container=\"300\" version=\"8\" expireType=\"static\">"
            + "<state xmlns=\"http://schemas.microsoft.com/2006/09/sip/state\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"aggregateState\">"
            + "<availability>15500</availability></state></category></categories>";

    private static ProsodyRig prosody;
    private static LyncFrontEndSimulator frontEnd;
    private static ConfigurableApplicationContext parley;
    private static XMPPTCPConnection juliet;
    private static int parleySipPort;
    private static int fePort;
    private static TlsMaterial frontEndTls;
    private static final long SUBSCRIPTION_SECONDS = 20;
    private static final long TARGET_BACKOFF_SECONDS = 3;
    /** SipTimers' retry backoff after a lost subscription. */
    private static final long RETRY_SECONDS = 10;
    private static Map<String, Object> parleyProperties;
    private static final BlockingQueue<Message> julietMessages = new LinkedBlockingQueue<>();
    private static final BlockingQueue<Presence> julietPresence = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("parley-lync-it");
        TestPki pki = new TestPki();
        TestPki.Issued ca = pki.newCa("Contoso CA");
        Path caPem = TestPki.writeCertificates(dir.resolve("ca.pem"), ca.certificate());
        TestPki.Issued gateway = pki.newLeaf(ca, "gw.contoso.com", "127.0.0.1", "contoso.com");
        TestPki.Issued fe = pki.newLeaf(ca, "pool.contoso.com", "fe1.contoso.com");
        TestPki.Issued xmppServer = pki.newLeaf(ca, "xmpp.test");

        fePort = FreePorts.next();
        frontEndTls = new TlsMaterial(List.of(fe.certificate()), fe.keys().getPrivate(), List.of(ca.certificate()), Set.of("gw.contoso.com"));
        frontEnd = new LyncFrontEndSimulator(fePort, frontEndTls, Set.of("alice"));
        parleySipPort = FreePorts.next();
        int s2sPort = FreePorts.next();
        prosody = ProsodyRig.createFederating(dir.resolve("prosody"), caPem,
                TestPki.writeCertificates(dir.resolve("xmpp.test.pem"), xmppServer.certificate()),
                TestPki.writePkcs8(dir.resolve("xmpp.test.key"), xmppServer.keys()), Map.of("contoso.com", s2sPort), Map.of(), true);

        Map<String, Object> p = new HashMap<>();
        p.put("server.port", "0");
        p.put("parley.data-dir", dir.resolve("parley-data").toString());
        org.parley.gateway.testing.GatewayTestSupport.tlsProperties(p, dir, gateway, ca, caPem);
        p.put("parley.lync.domains[0]", "contoso.com");
        p.put("parley.lync.pool-fqdn", "gw.contoso.com");
        p.put("parley.lync.computer-fqdn", "127.0.0.1");
        p.put("parley.lync.front-ends[0]", "127.0.0.1:" + fePort);
        p.put("parley.lync.trusted-peers[0]", "pool.contoso.com");
        p.put("parley.lync.dialect", "lync");
        // short enough that a refresh falls due while the front end is away (whenTheFrontEndComesBack…)
        p.put("parley.lync.subscription-expires", SUBSCRIPTION_SECONDS + "s");
        p.put("parley.lync.target-backoff", TARGET_BACKOFF_SECONDS + "s");
        p.put("parley.lync.listen-port", Integer.toString(parleySipPort));
        p.put("parley.xmpp.s2s.port", Integer.toString(s2sPort));
        p.put("parley.xmpp.s2s.partners[xmpp.test].tls", "required");
        p.put("parley.xmpp.s2s.routes[xmpp.test]", "127.0.0.1:" + prosody.componentPort);
        p.put("parley.admin.token", "lync-it-token");
        parleyProperties = p;
        parley = new SpringApplicationBuilder(ParleyApplication.class).properties(p).run();

        prosody.register("juliet", "xmpp.test", "juliet-password");
        prosody.start();
        juliet = TestTls.smackUser("juliet", "juliet-password", prosody.c2sPort, caPem);
        Roster.getInstanceFor(juliet).setSubscriptionMode(Roster.SubscriptionMode.manual);
        juliet.addAsyncStanzaListener(s -> julietMessages.add((Message) s), StanzaTypeFilter.MESSAGE);
        juliet.addAsyncStanzaListener(s -> julietPresence.add((Presence) s), StanzaTypeFilter.PRESENCE);
        juliet.connect().login();
    }

    @AfterAll
    static void stop() throws Exception {
        if (juliet != null) {
            juliet.disconnect();
        }
        if (parley != null) {
            parley.close();
        }
        if (prosody != null) {
            prosody.close();
        }
        if (frontEnd != null) {
            frontEnd.close();
        }
    }

    private static String logs() {
        StringBuilder trace = new StringBuilder();
        parley.getBean(org.parley.gateway.trace.TranslationTrace.class).find(r -> true, 50).forEach(r -> trace.append(r).append('\n'));
        return "--- parley trace\n" + trace + "--- prosody\n" + prosody.log();
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void anImToAnUnknownLyncUserComesBackWithTheMsDiagnosticsReason() throws Exception {
        juliet.sendStanza(StanzaBuilder.buildMessage("u1").to(JidCreate.from("bob@contoso.com")).ofType(Message.Type.chat).setBody("bob?").build());
        Message error = org.parley.gateway.testing.GatewayTestSupport.await(julietMessages, m -> "u1".equals(m.getStanzaId()) && m.getType() == Message.Type.error);
        assertThat(error).as(logs()).isNotNull();
        assertThat(error.getError().getCondition()).isEqualTo(StanzaError.Condition.item_not_found);
        assertThat(error.getError().getDescriptiveText()).contains("User does not exist");
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void imsGoBothWaysThroughLyncImSessions() throws Exception {
        juliet.sendStanza(StanzaBuilder.buildMessage("i1").to(JidCreate.from("alice@contoso.com")).ofType(Message.Type.chat)
                .setBody("hello alice, via an IM session").build());
        LyncFrontEndSimulator.Received r;
        boolean invited = false;
        do {
            r = frontEnd.await(10);
            invited |= r != null && "INVITE".equals(r.method());
        } while (r != null && !("MESSAGE".equals(r.method()) && r.body().contains("hello alice, via an IM session")));
        assertThat(r).as(logs()).isNotNull();
        assertThat(invited).as("Lync dialect: an IM session is INVITEd first").isTrue();

        // typing rides the open session as Lync's KeyboardActivity INFO
        juliet.sendStanza(StanzaBuilder.buildMessage("i2").to(JidCreate.from("alice@contoso.com")).ofType(Message.Type.chat)
                .addExtension(new org.jivesoftware.smack.packet.StandardExtensionElement("composing", "http://jabber.org/protocol/chatstates"))
                .build());
        do {
            r = frontEnd.await(10);
        } while (r != null && !"INFO".equals(r.method()));
        assertThat(r).as(logs()).isNotNull();
        assertThat(r.body()).contains("<KeyboardActivity>").contains("status=\"type\"");

        assertThat(frontEnd.startImSession("sip:alice@contoso.com", "sip:juliet@xmpp.test", parleySipPort, "hi juliet, from Lync",
                "m=message 5061 sip null")
                .getStatusCode()).as(logs()).isEqualTo(200);
        Message got = org.parley.gateway.testing.GatewayTestSupport.await(julietMessages, m -> m.getBody() != null && m.getBody().contains("hi juliet, from Lync"));
        assertThat(got).as(logs()).isNotNull();
        assertThat(got.getFrom().asBareJid().toString()).isEqualTo("alice@contoso.com");
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void lyncPresenceReachesTheXmppWatcherFromNotifyAndBenotify() throws Exception {
        julietPresence.clear();
        juliet.sendStanza(StanzaBuilder.buildPresence().ofType(Presence.Type.subscribe).to(JidCreate.from("alice@contoso.com")).build());
        LyncFrontEndSimulator.Received subscribe;
        do {
            subscribe = frontEnd.await(10);
        } while (subscribe != null && !"SUBSCRIBE".equals(subscribe.method()));
        assertThat(subscribe).as(logs()).isNotNull();
        assertThat(subscribe.contentType()).isEqualTo("application/msrtc-adrl-categorylist+xml");
        assertThat(org.parley.gateway.testing.GatewayTestSupport.await(julietPresence, p -> p.getType() == Presence.Type.subscribed)).as(logs()).isNotNull();

        frontEnd.notifyLastSubscriber("NOTIFY", MEETING);
        Presence meeting = org.parley.gateway.testing.GatewayTestSupport.await(julietPresence, p -> p.getType() == Presence.Type.available && "Quarterly review".equals(p.getStatus()));
        assertThat(meeting).as(logs()).isNotNull();
        assertThat(meeting.getMode()).isEqualTo(Presence.Mode.dnd);

        frontEnd.notifyLastSubscriber("BENOTIFY", AWAY);
        Presence away = org.parley.gateway.testing.GatewayTestSupport.await(julietPresence, p -> p.getMode() == Presence.Mode.away || p.getMode() == Presence.Mode.xa);
        assertThat(away).as(logs()).isNotNull();
        assertThat(frontEnd.awaitBenotifyResponse(2)).as("a BENOTIFY gets no response").isNull();
    }

    @Test
    @org.junit.jupiter.api.Order(4)
    void aLyncWatcherAsksTheXmppUserForHerPresence() throws Exception {
        julietPresence.clear();
        assertThat(frontEnd.subscribeAsLyncWatcher("sip:carol@contoso.com", "sip:juliet@xmpp.test", parleySipPort).getStatusCode())
                .as(logs()).isBetween(200, 202);
        Presence ask = org.parley.gateway.testing.GatewayTestSupport.await(julietPresence, p -> p.getType() == Presence.Type.subscribe);
        assertThat(ask).as(logs()).isNotNull();
        assertThat(ask.getFrom().asBareJid().toString()).isEqualTo("carol@contoso.com");

        // juliet approves and goes away: carol's Lync gets msrtc categories with the away state and the note
        juliet.sendStanza(StanzaBuilder.buildPresence().ofType(Presence.Type.subscribed).to(JidCreate.from("carol@contoso.com")).build());
        juliet.sendStanza(StanzaBuilder.buildPresence().ofType(Presence.Type.available).setMode(Presence.Mode.away).setStatus("Back at two").build());
        LyncFrontEndSimulator.Received n;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        do {
            n = frontEnd.await(1);
        } while ((n == null || !n.body().contains("Back at two")) && System.nanoTime() < deadline);
        assertThat(n).as(logs()).isNotNull();
        assertThat(n.method()).isIn("NOTIFY", "BENOTIFY");
        assertThat(n.contentType()).isEqualTo(LyncFrontEndSimulator.CATEGORIES);
        assertThat(n.body()).contains("<availability>15500</availability>");
    }

    @Test
    @org.junit.jupiter.api.Order(5)
    void afterARestartParleySubscribesAgainAndLyncPresenceFlows() throws Exception {
        parley.close();
        while (frontEnd.await(1) != null) {
            // the shutdown's NOTIFYs to carol and the like
        }
        parley = new SpringApplicationBuilder(ParleyApplication.class).properties(parleyProperties).run();
        LyncFrontEndSimulator.Received subscribe;
        do {
            subscribe = frontEnd.await(15);
        } while (subscribe != null && !"SUBSCRIBE".equals(subscribe.method()));
        assertThat(subscribe).as("the stored relationship juliet → alice is subscribed again%n%s", logs()).isNotNull();
        assertThat(subscribe.body()).contains("sip:alice@contoso.com");

        julietPresence.clear();
        frontEnd.notifyLastSubscriber("NOTIFY", MEETING.replace("Quarterly review", "After the restart"));
        Presence back = org.parley.gateway.testing.GatewayTestSupport.await(julietPresence, p -> "After the restart".equals(p.getStatus()));
        assertThat(back).as(logs()).isNotNull();
    }

    @Test
    @org.junit.jupiter.api.Order(6)
    void whenTheFrontEndComesBackAfterAnOutageTheSubscriptionIsEstablishedAgainAndPresenceFlows() throws Exception {
        frontEnd.close();
        // stay away past the refresh (80 % of the granted 20 s): the refresh finds nobody and the subscription is lost
        Thread.sleep(TimeUnit.SECONDS.toMillis(SUBSCRIPTION_SECONDS));
        long back = System.nanoTime();
        frontEnd = new LyncFrontEndSimulator(fePort, frontEndTls, Set.of("alice"));
        LyncFrontEndSimulator.Received subscribe;
        long bound = RETRY_SECONDS + TARGET_BACKOFF_SECONDS + 10;
        do {
            subscribe = frontEnd.await(bound);
        } while (subscribe != null && !"SUBSCRIBE".equals(subscribe.method()));
        long recoveredMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
        assertThat(subscribe).as("Parley subscribes again once the front end is back%n%s", logs()).isNotNull();
        assertThat(subscribe.body()).contains("sip:alice@contoso.com");
        System.out.println("front end back → SUBSCRIBE again after " + recoveredMillis + " ms (bound " + bound + " s)");
        assertThat(recoveredMillis).isLessThan(TimeUnit.SECONDS.toMillis(bound));

        julietPresence.clear();
        frontEnd.notifyLastSubscriber("NOTIFY", MEETING.replace("Quarterly review", "After the outage"));
        Presence after = org.parley.gateway.testing.GatewayTestSupport.await(julietPresence, p -> "After the outage".equals(p.getStatus()));
        assertThat(after).as(logs()).isNotNull();
    }
}
