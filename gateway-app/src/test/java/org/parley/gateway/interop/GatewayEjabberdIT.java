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
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.gateway.ParleyApplication;
import org.parley.gateway.testing.GatewayTestSupport;
import org.parley.sip.testing.FreePorts;
import org.parley.sip.testing.LyncCategoryDocuments;
import org.parley.sip.testing.LyncFrontEndSimulator;
import org.parley.sip.testing.TestPki;
import org.parley.sip.tls.TlsMaterial;
import org.parley.xmpp.testing.EjabberdRig;
import org.parley.xmpp.testing.TestTls;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole gateway with real ejabberd as the XMPP partner (the second server implementation federated domains run),
 * strict: TLS and SASL EXTERNAL only, both ways. A Smack user on ejabberd reaches a Lync user (the front-end
 * simulator) through Parley — an IM session each way, and a presence subscription whose categories NOTIFY comes
 * back as XMPP presence.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class GatewayEjabberdIT {

    private static EjabberdRig ejabberd;
    private static LyncFrontEndSimulator frontEnd;
    private static ConfigurableApplicationContext parley;
    private static XMPPTCPConnection juliet;
    private static int parleySipPort;
    private static final BlockingQueue<Message> julietMessages = new LinkedBlockingQueue<>();
    private static final BlockingQueue<Presence> julietPresence = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("parley-ejabberd-gateway-it");
        TestPki pki = new TestPki();
        TestPki.Issued ca = pki.newCa("Contoso CA");
        Path caPem = TestPki.writeCertificates(dir.resolve("ca.pem"), ca.certificate());
        TestPki.Issued gateway = pki.newLeaf(ca, "gw.contoso.com", "127.0.0.1", "contoso.com");
        TestPki.Issued fe = pki.newLeaf(ca, "pool.contoso.com", "fe1.contoso.com");
        TestPki.Issued xmppServer = pki.newLeaf(ca, "xmpp.test");

        int fePort = FreePorts.next();
        frontEnd = new LyncFrontEndSimulator(fePort, new TlsMaterial(List.of(fe.certificate()), fe.keys().getPrivate(),
                List.of(ca.certificate()), Set.of("gw.contoso.com")), Set.of("alice"));
        parleySipPort = FreePorts.next();
        int s2sPort = FreePorts.next();
        ejabberd = EjabberdRig.createFederating(dir.resolve("ejabberd"), "xmpp.test", caPem,
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
        p.put("parley.xmpp.s2s.unknown-partners", "refuse");
        p.put("parley.xmpp.s2s.partners[xmpp.test].sasl-external", "required");
        p.put("parley.xmpp.s2s.routes[xmpp.test]", "127.0.0.1:" + ejabberd.s2sPort);
        p.put("parley.admin.token", "ejabberd-it-token");
        // Parley first: ejabberd refuses a domain for minutes after a connection to it failed
        parley = new SpringApplicationBuilder(ParleyApplication.class).properties(p).run();

        ejabberd.register("juliet", "xmpp.test", "juliet-password");
        ejabberd.start();
        juliet = TestTls.smackUser("juliet", "juliet-password", ejabberd.c2sPort, caPem);
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
        if (ejabberd != null) {
            ejabberd.close();
        }
        if (frontEnd != null) {
            frontEnd.close();
        }
    }

    private static String logs() {
        StringBuilder trace = new StringBuilder();
        parley.getBean(org.parley.gateway.trace.TranslationTrace.class).find(r -> true, 50).forEach(r -> trace.append(r).append('\n'));
        return "--- parley trace\n" + trace + "--- ejabberd\n" + ejabberd.log();
    }

    private static LyncFrontEndSimulator.Received awaitAtFrontEnd(String method, String bodyPart) throws InterruptedException {
        LyncFrontEndSimulator.Received r;
        do {
            r = frontEnd.await(15);
        } while (r != null && !(method.equals(r.method()) && (bodyPart == null || r.body().contains(bodyPart))));
        return r;
    }

    @Test
    @Order(1)
    void anImGoesFromEjabberdToLyncAndBackThroughImSessions() throws Exception {
        juliet.sendStanza(StanzaBuilder.buildMessage("e1").to(JidCreate.from("alice@contoso.com")).ofType(Message.Type.chat)
                .setBody("hello alice, from ejabberd").build());
        assertThat(awaitAtFrontEnd("MESSAGE", "hello alice, from ejabberd")).as(logs()).isNotNull();

        assertThat(frontEnd.startImSession("sip:alice@contoso.com", "sip:juliet@xmpp.test", parleySipPort, "hi juliet on ejabberd",
                "m=message 5061 sip null").getStatusCode()).as(logs()).isEqualTo(200);
        Message got = GatewayTestSupport.await(julietMessages, m -> m.getBody() != null && m.getBody().contains("hi juliet on ejabberd"));
        assertThat(got).as(logs()).isNotNull();
        assertThat(got.getFrom().asBareJid().toString()).isEqualTo("alice@contoso.com");
    }

    @Test
    @Order(2)
    void aPresenceSubscriptionFromEjabberdBringsLyncPresenceBack() throws Exception {
        julietPresence.clear();
        juliet.sendStanza(StanzaBuilder.buildPresence().ofType(Presence.Type.subscribe).to(JidCreate.from("alice@contoso.com")).build());
        assertThat(awaitAtFrontEnd("SUBSCRIBE", null)).as(logs()).isNotNull();
        assertThat(GatewayTestSupport.await(julietPresence, pr -> pr.getType() == Presence.Type.subscribed)).as(logs()).isNotNull();

        frontEnd.notifyLastSubscriber("NOTIFY", LyncCategoryDocuments.MEETING);
        Presence meeting = GatewayTestSupport.await(julietPresence, pr -> pr.getType() == Presence.Type.available
                && "Quarterly review".equals(pr.getStatus()));
        assertThat(meeting).as(logs()).isNotNull();
        assertThat(meeting.getMode()).isEqualTo(Presence.Mode.dnd);
    }
}
