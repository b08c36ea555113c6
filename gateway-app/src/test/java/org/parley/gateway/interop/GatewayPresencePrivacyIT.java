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
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.gateway.ParleyApplication;
import org.parley.gateway.testing.GatewayTestSupport;
import org.parley.gateway.testing.NotifyLog;
import org.parley.sip.testing.FreePorts;
import org.parley.sip.testing.LyncFrontEndSimulator;
import org.parley.sip.testing.LyncFrontEndSimulator.Received;
import org.parley.sip.testing.TestPki;
import org.parley.sip.tls.TlsMaterial;
import org.parley.xmpp.testing.ProsodyRig;
import org.parley.xmpp.testing.TestTls;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Presence is private, end to end: real Prosody (Smack users romeo and juliet, roster subscriptions handled by Prosody
 * as RFC 6121 says) federating with Parley, and the Lync front-end simulator for contoso.com's watchers. xmpp.test is
 * configured as a PublicUnverified partner. Covers: two Lync watchers, one approved and one pending then denied (the
 * pending one's NOTIFYs never carry romeo's status); two resources, one going offline; the first Lync state piggybacked
 * on the 2xx reaching the XMPP watcher; Parley probing after a restart; the partner type refusing and then allowing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayPresencePrivacyIT {

    private static final String MEETING = org.parley.sip.testing.LyncCategoryDocuments.MEETING;

    private static ProsodyRig prosody;
    private static LyncFrontEndSimulator frontEnd;
    private static NotifyLog log;
    private static ConfigurableApplicationContext parley;
    private static Map<String, Object> parleyProperties;
    private static int parleySipPort;
    private static Path caPem;
    private static XMPPTCPConnection romeo;
    private static XMPPTCPConnection juliet;
    private static final BlockingQueue<Presence> romeoPresence = new LinkedBlockingQueue<>();
    private static final BlockingQueue<Presence> julietPresence = new LinkedBlockingQueue<>();
    private static final BlockingQueue<Message> julietMessages = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("parley-privacy-it");
        TestPki pki = new TestPki();
        TestPki.Issued ca = pki.newCa("Contoso CA");
        caPem = TestPki.writeCertificates(dir.resolve("ca.pem"), ca.certificate());
        TestPki.Issued gateway = pki.newLeaf(ca, "gw.contoso.com", "127.0.0.1", "contoso.com");
        TestPki.Issued fe = pki.newLeaf(ca, "pool.contoso.com", "fe1.contoso.com");
        TestPki.Issued xmppServer = pki.newLeaf(ca, "xmpp.test");

        int fePort = FreePorts.next();
        frontEnd = new LyncFrontEndSimulator(fePort, new TlsMaterial(List.of(fe.certificate()), fe.keys().getPrivate(), List.of(ca.certificate()),
                Set.of("gw.contoso.com")), Set.of("alice", "dave"));
        frontEnd.refuseUnknownPresentities(true);
        log = new NotifyLog(frontEnd);
        parleySipPort = FreePorts.next();
        int s2sPort = FreePorts.next();
        prosody = ProsodyRig.createFederating(dir.resolve("prosody"), caPem,
                TestPki.writeCertificates(dir.resolve("xmpp.test.pem"), xmppServer.certificate()),
                TestPki.writePkcs8(dir.resolve("xmpp.test.key"), xmppServer.keys()), Map.of("contoso.com", s2sPort), Map.of(), true);

        Map<String, Object> p = new HashMap<>();
        p.put("server.port", "0");
        p.put("parley.data-dir", dir.resolve("parley-data").toString());
        GatewayTestSupport.tlsProperties(p, dir, gateway, ca, caPem);
        p.put("parley.lync.domains[0]", "contoso.com");
        p.put("parley.lync.pool-fqdn", "gw.contoso.com");
        p.put("parley.lync.computer-fqdn", "127.0.0.1");
        p.put("parley.lync.front-ends[0]", "127.0.0.1:" + fePort);
        p.put("parley.lync.trusted-peers[0]", "pool.contoso.com");
        p.put("parley.lync.dialect", "lync");
        p.put("parley.lync.listen-port", Integer.toString(parleySipPort));
        p.put("parley.xmpp.s2s.port", Integer.toString(s2sPort));
        p.put("parley.xmpp.s2s.partners[xmpp.test].tls", "required");
        p.put("parley.xmpp.s2s.partners[xmpp.test].type", "public-unverified");
        p.put("parley.xmpp.s2s.routes[xmpp.test]", "127.0.0.1:" + prosody.componentPort);
        p.put("parley.admin.token", "privacy-it-token");
        parleyProperties = p;
        parley = new SpringApplicationBuilder(ParleyApplication.class).properties(p).run();

        prosody.register("romeo", "xmpp.test", "romeo-password");
        prosody.register("juliet", "xmpp.test", "juliet-password");
        prosody.start();
        romeo = connect("romeo", "romeo-password", "pda", romeoPresence, null);
        juliet = connect("juliet", "juliet-password", "balcony", julietPresence, julietMessages);
    }

    private static XMPPTCPConnection connect(String user, String password, String resource, BlockingQueue<Presence> presence,
                                             BlockingQueue<Message> messages) throws Exception {
        XMPPTCPConnection c = TestTls.smackUser(user, password, resource, prosody.c2sPort, caPem);
        Roster.getInstanceFor(c).setSubscriptionMode(Roster.SubscriptionMode.manual);
        // synchronous listeners: stanzas are queued in the order the stream delivered them (an asynchronous listener
        // may queue w2's request before w1's, and a wait for w1 then skips w2's for good)
        if (presence != null) {
            c.addSyncStanzaListener(s -> presence.add((Presence) s), StanzaTypeFilter.PRESENCE);
        }
        if (messages != null) {
            c.addSyncStanzaListener(s -> messages.add((Message) s), StanzaTypeFilter.MESSAGE);
        }
        c.connect().login();
        // RFC 6121 §3.1.3: a server delivers subscription requests to resources that asked for the roster; until then
        // Prosody keeps them for the next login (and tells the requester 'unavailable')
        Roster.getInstanceFor(c).reloadAndWait();
        return c;
    }

    @AfterAll
    static void stop() throws Exception {
        for (XMPPTCPConnection c : new XMPPTCPConnection[] {romeo, juliet}) {
            if (c != null) {
                c.disconnect();
            }
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
        parley.getBean(org.parley.gateway.trace.TranslationTrace.class).find(r -> true, 60).forEach(r -> trace.append(r).append('\n'));
        return "--- parley trace\n" + trace + "--- prosody\n" + prosody.log();
    }

    private static String watch(String watcher, String xmppUser) throws Exception {
        assertThat(frontEnd.subscribeAsLyncWatcher("sip:" + watcher + "@contoso.com", "sip:" + xmppUser + "@xmpp.test", parleySipPort)
                .getStatusCode()).as(logs()).isEqualTo(200);
        return frontEnd.lastWatchCallId();
    }

    private static Received lastWith(String callId, String fragment, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            List<Received> n = log.notifies(callId, 1, 1);
            for (int i = n.size() - 1; i >= 0; i--) {
                if (n.get(i).body().contains(fragment) || n.get(i).subscriptionState().contains(fragment)) {
                    return n.get(i);
                }
            }
        }
        return null;
    }

    @Test
    @Order(1)
    void anApprovedWatcherSeesRomeoThePendingOneNothingAndTheDeniedOneIsEnded() throws Exception {
        String w1 = watch("w1", "romeo");
        String w2 = watch("w2", "romeo");
        // both requests reach romeo, in whichever order
        java.util.Set<String> askedBy = new java.util.HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (askedBy.size() < 2 && System.nanoTime() < deadline) {
            Presence p = romeoPresence.poll(100, TimeUnit.MILLISECONDS);
            if (p != null && p.getType() == Presence.Type.subscribe) {
                askedBy.add(p.getFrom().asBareJid().toString());
            }
        }
        assertThat(askedBy).as(logs()).containsExactlyInAnyOrder("w1@contoso.com", "w2@contoso.com");

        romeo.sendStanza(StanzaBuilder.buildPresence().ofType(Presence.Type.subscribed).to(JidCreate.from("w1@contoso.com")).build());
        romeo.sendStanza(StanzaBuilder.buildPresence().ofType(Presence.Type.available).setMode(Presence.Mode.away).setStatus("secret-123").build());
        Received away = lastWith(w1, "secret-123", 20);
        assertThat(away).as(logs()).isNotNull();
        assertThat(away.body()).contains("<availability>15500</availability>");
        assertThat(away.subscriptionState()).startsWith("active");

        romeo.sendStanza(StanzaBuilder.buildPresence().ofType(Presence.Type.unsubscribed).to(JidCreate.from("w2@contoso.com")).build());
        Received rejected = lastWith(w2, "rejected", 20);
        assertThat(rejected).as(logs()).isNotNull();
        assertThat(rejected.subscriptionState()).startsWith("terminated");

        romeo.sendStanza(StanzaBuilder.buildPresence().ofType(Presence.Type.available).setMode(Presence.Mode.dnd).setStatus("secret-456").build());
        assertThat(lastWith(w1, "secret-456", 20)).as(logs()).isNotNull();
        log.drain(1000);

        List<Received> w2Notifies = log.notifies(w2, 2, 1);
        assertThat(w2Notifies).as("pending, then rejected — nothing of romeo%n%s", logs())
                .extracting(Received::subscriptionState).satisfiesExactly(s -> assertThat(s).startsWith("pending"),
                        s -> assertThat(s).startsWith("terminated").contains("rejected"));
        assertThat(w2Notifies).noneMatch(n -> n.body().contains("secret") || n.body().contains("availability"));
        List<Received> w1Notifies = log.notifies(w1, 1, 1);
        int awayAt = w1Notifies.indexOf(away);
        assertThat(w1Notifies.subList(awayAt, w1Notifies.size())).as("w1 was not told 'offline' when w2 was denied%n%s", logs())
                .noneMatch(n -> n.body().contains("18500"));
    }

    @Test
    @Order(2)
    void julietOnTwoDevicesStaysOnlineWhenOneLeaves() throws Exception {
        String w3 = watch("w3", "juliet");
        assertThat(GatewayTestSupport.await(julietPresence, p -> p.getType() == Presence.Type.subscribe
                && p.getFrom().asBareJid().toString().equals("w3@contoso.com"))).as(logs()).isNotNull();
        juliet.sendStanza(StanzaBuilder.buildPresence().ofType(Presence.Type.subscribed).to(JidCreate.from("w3@contoso.com")).build());
        juliet.sendStanza(StanzaBuilder.buildPresence().ofType(Presence.Type.available).setStatus("at my desk").setPriority(5).build());
        assertThat(lastWith(w3, "at my desk", 20)).as(logs()).isNotNull();

        XMPPTCPConnection phone = connect("juliet", "juliet-password", "phone", null, null);
        try {
            phone.sendStanza(StanzaBuilder.buildPresence().ofType(Presence.Type.available).setMode(Presence.Mode.dnd).setStatus("on the phone")
                    .setPriority(1).build());
            log.drain(1500);
        } finally {
            phone.disconnect(); // Prosody sends the phone's unavailable to juliet's contacts
        }
        log.drain(2000);
        List<Received> n = log.notifies(w3, 3, 5);
        Received last = n.get(n.size() - 1);
        assertThat(last.body()).as("the desk is still online%n%s", logs()).contains("at my desk").contains("<availability>3500</availability>")
                .doesNotContain("18500");
    }

    @Test
    @Order(3)
    void aPublicUnverifiedPartnersUserCannotReachAStranger() throws Exception {
        julietPresence.clear();
        juliet.sendStanza(StanzaBuilder.buildPresence().ofType(Presence.Type.subscribe).to(JidCreate.from("dave@contoso.com")).build());
        Presence refused = GatewayTestSupport.await(julietPresence, p -> p.getType() == Presence.Type.error);
        assertThat(refused).as(logs()).isNotNull();
        assertThat(refused.getError().getCondition()).isEqualTo(StanzaError.Condition.forbidden);

        juliet.sendStanza(StanzaBuilder.buildMessage("pu1").to(JidCreate.from("dave@contoso.com")).ofType(Message.Type.chat).setBody("hi dave").build());
        Message imRefused = GatewayTestSupport.await(julietMessages, m -> "pu1".equals(m.getStanzaId()) && m.getType() == Message.Type.error);
        assertThat(imRefused).as(logs()).isNotNull();
        assertThat(imRefused.getError().getCondition()).isEqualTo(StanzaError.Condition.forbidden);
        log.drain(500);
        assertThat(log.requests("SUBSCRIBE")).as("the front end saw nothing").noneMatch(r -> r.body().contains("dave@contoso.com"));
    }

    @Test
    @Order(4)
    void onceAliceAddedJulietHerSubscriptionGoesThroughAndThePiggybackedStateArrives() throws Exception {
        watch("alice", "juliet"); // alice adds juliet: she is alice's contact now
        frontEnd.setFirstState("alice", MEETING);
        julietPresence.clear();
        juliet.sendStanza(StanzaBuilder.buildPresence().ofType(Presence.Type.subscribe).to(JidCreate.from("alice@contoso.com")).build());
        assertThat(GatewayTestSupport.await(julietPresence, p -> p.getType() == Presence.Type.subscribed)).as(logs()).isNotNull();
        Presence meeting = GatewayTestSupport.await(julietPresence, p -> p.getType() == Presence.Type.available
                && "Quarterly review".equals(p.getStatus()));
        assertThat(meeting).as("the state from the 2xx, no NOTIFY was sent%n%s", logs()).isNotNull();
        assertThat(meeting.getMode()).isEqualTo(Presence.Mode.dnd);
    }

    @Test
    @Order(5)
    void afterARestartParleyProbesAndTheWatcherGetsRomeosStateNotOffline() throws Exception {
        parley.close();
        log.drain(500);
        parley = new SpringApplicationBuilder(ParleyApplication.class).properties(parleyProperties).run();
        // w1 comes back (its dialog was ended with 'deactivated' by the shutdown) and sees romeo as he is: dnd, not offline
        String again = watch("w1", "romeo");
        Received current = lastWith(again, "secret-456", 30);
        assertThat(current).as("romeo's state, from the answer to Parley's probe%n%s", logs()).isNotNull();
        assertThat(current.body()).contains("<availability>9500</availability>");
        assertThat(parley.getBean(org.parley.gateway.trace.TranslationTrace.class).find(r -> r.kind().contains("subscription")
                && r.decisions().stream().anyMatch(d -> d.contains("PROBE")), 10)).as(logs()).isNotEmpty();
    }
}
