package org.parley.xmpp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.ConnectionConfiguration;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.SubscriptionAction;
import org.parley.presence.model.SubscriptionEvent;
import org.parley.xmpp.adapt.ModelToXmpp;
import org.parley.xmpp.adapt.XmppToModel;
import org.parley.xmpp.component.ComponentConfig;
import org.parley.xmpp.component.ComponentConnection;
import org.parley.xmpp.testing.ProsodyRig;

/**
 * Parley as the XEP-0114 component for lync.test on a real Prosody, with a real Smack client
 * logged in as juliet@xmpp.test: messages both ways, a subscription request, and the link
 * coming back after Prosody restarts.
 */
class ProsodyComponentIT {

    private static final String SECRET = "component-secret-for-tests";
    private static ProsodyRig prosody;
    private static ComponentConnection component;
    private static XMPPTCPConnection juliet;
    private static final BlockingQueue<GatewayEvent> events = new LinkedBlockingQueue<>();
    private static final BlockingQueue<Message> julietInbox = new LinkedBlockingQueue<>();
    private static final BlockingQueue<Presence> julietPresence = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("parley-prosody-it");
        prosody = ProsodyRig.create(dir, "lync.test", SECRET);
        prosody.register("juliet", "xmpp.test", "juliet-password");
        prosody.start();

        AddressMapper mapper = AddressMapper.forDomains(List.of("lync.test", "xmpp.test"));
        component = new ComponentConnection(new ComponentConfig("127.0.0.1", prosody.componentPort, "lync.test", SECRET,
                Duration.ofMillis(200), Duration.ofSeconds(2)), new XmppToModel(mapper), new ModelToXmpp(mapper), events::add,
                new org.parley.xmpp.iq.IqHandler(java.util.Set.of("lync.test"), "test"));
        component.start();
        assertThat(component.awaitConnected(15, TimeUnit.SECONDS)).as(prosody.log()).isTrue();

        juliet = newJuliet();
    }

    /** A fresh Smack connection: Smack's reader thread trips an assertion when one instance reconnects. */
    private static XMPPTCPConnection newJuliet() throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setUsernameAndPassword("juliet", "juliet-password")
                .setXmppDomain("xmpp.test").setHost("127.0.0.1").setPort(prosody.c2sPort)
                .setSecurityMode(ConnectionConfiguration.SecurityMode.required)
                .setCustomX509TrustManager(trusting(prosody.certificate()))
                .setResource("balcony")
                .build());
        c.addAsyncStanzaListener(s -> julietInbox.add((Message) s), StanzaTypeFilter.MESSAGE);
        c.addAsyncStanzaListener(s -> julietPresence.add((Presence) s), StanzaTypeFilter.PRESENCE);
        c.connect().login();
        return c;
    }

    @org.junit.jupiter.api.BeforeEach
    void julietIsOnline() throws Exception {
        if (!juliet.isAuthenticated()) {
            juliet.disconnect();
            juliet = newJuliet();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (juliet != null) {
            juliet.disconnect();
        }
        if (component != null) {
            component.close();
        }
        if (prosody != null) {
            prosody.close();
        }
    }

    @Test
    void aMessageFromAnXmppUserReachesParleyAsAChatMessage() throws Exception {
        events.clear();
        juliet.sendStanza(StanzaBuilder.buildMessage("c1").to(JidCreate.from("bob@lync.test")).ofType(Message.Type.chat)
                .setBody("hello bob").build());

        // late presence or bounces from the tests before this one may still arrive: take this message by its id
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        GatewayEvent e = null;
        while (System.nanoTime() < deadline && !(e instanceof ChatMessage c && "c1".equals(c.id()))) {
            e = events.poll(100, TimeUnit.MILLISECONDS);
        }
        assertThat(e).as(prosody.log()).isInstanceOf(ChatMessage.class);
        ChatMessage m = (ChatMessage) e;
        assertThat(m.from()).isEqualTo(Address.xmpp("juliet", "xmpp.test", "balcony"));
        assertThat(m.to()).isEqualTo(Address.xmpp("bob", "lync.test"));
        assertThat(m.body()).isEqualTo("hello bob");
    }

    @Test
    void parleyDeliversAMessageFromTheLyncDomainToTheXmppUser() throws Exception {
        julietInbox.clear();
        assertThat(component.send(ChatMessage.text(Address.xmpp("bob", "lync.test"), Address.xmpp("juliet", "xmpp.test", "balcony"),
                "p1", "hi juliet, bob here"))).isTrue();

        Message got = null;
        for (int i = 0; i < 5 && (got == null || !"hi juliet, bob here".equals(got.getBody())); i++) {
            got = julietInbox.poll(5, TimeUnit.SECONDS);
        }
        assertThat(got).as(prosody.log()).isNotNull();
        assertThat(got.getBody()).isEqualTo("hi juliet, bob here");
        assertThat(got.getFrom().toString()).isEqualTo("bob@lync.test");
    }

    @Test
    void aSubscriptionRequestReachesParley() throws Exception {
        events.clear();
        juliet.sendStanza(StanzaBuilder.buildPresence().ofType(Presence.Type.subscribe).to(JidCreate.from("bob@lync.test")).build());
        GatewayEvent e = null;
        for (int i = 0; i < 5 && !(e instanceof SubscriptionEvent); i++) {
            e = events.poll(5, TimeUnit.SECONDS);
        }
        assertThat(e).as(prosody.log()).isEqualTo(new SubscriptionEvent(Address.xmpp("juliet", "xmpp.test"),
                Address.xmpp("bob", "lync.test"), SubscriptionAction.REQUEST));
    }

    @Test
    void theLinkComesBackAfterProsodyRestarts() throws Exception {
        prosody.stop();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (component.state() == ComponentConnection.State.CONNECTED && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(component.state()).isNotEqualTo(ComponentConnection.State.CONNECTED);
        // sent while the link is down: queued (bounded), not dropped
        assertThat(component.send(ChatMessage.text(Address.xmpp("bob", "lync.test"), Address.xmpp("juliet", "xmpp.test"), "q1",
                "sent while Prosody was down"))).isFalse();
        assertThat(component.pendingCount()).isEqualTo(1);

        prosody.start();
        assertThat(component.awaitConnected(15, TimeUnit.SECONDS)).as(prosody.log()).isTrue();
        assertThat(component.pendingCount()).isZero();

        juliet.disconnect();
        julietInbox.clear();
        juliet = newJuliet();
        assertThat(component.send(ChatMessage.text(Address.xmpp("bob", "lync.test"), Address.xmpp("juliet", "xmpp.test", "balcony"),
                "p2", "back again"))).isTrue();
        // the queued message was flushed to Prosody on reconnect; juliet gets it if her session was
        // up in time (Prosody bounces it otherwise) — the live one must arrive in any case
        java.util.List<String> bodies = new java.util.ArrayList<>();
        for (int i = 0; i < 3 && !bodies.contains("back again"); i++) {
            Message got = julietInbox.poll(10, TimeUnit.SECONDS);
            if (got != null) {
                bodies.add(got.getBody());
            }
        }
        assertThat(bodies).as(prosody.log()).contains("back again");
        assertThat(bodies).isSubsetOf("back again", "sent while Prosody was down");
    }

    @Test
    void directedPresenceFromTheXmppUserReachesParley() throws Exception {
        events.clear();
        juliet.sendStanza(StanzaBuilder.buildPresence().to(JidCreate.from("bob@lync.test")).setMode(Presence.Mode.away)
                .setStatus("Out for lunch").build());
        GatewayEvent e = null;
        for (int i = 0; i < 5 && !(e instanceof org.parley.presence.model.PresenceUpdate); i++) {
            e = events.poll(5, TimeUnit.SECONDS);
        }
        assertThat(e).as(prosody.log()).isInstanceOf(org.parley.presence.model.PresenceUpdate.class);
        var p = (org.parley.presence.model.PresenceUpdate) e;
        assertThat(p.from()).isEqualTo(Address.xmpp("juliet", "xmpp.test", "balcony"));
        assertThat(p.to()).isEqualTo(Address.xmpp("bob", "lync.test"));
        assertThat(p.availability()).isEqualTo(org.parley.presence.model.Availability.AWAY);
        assertThat(p.statusText("")).isEqualTo("Out for lunch");
    }

    @Test
    void lyncPresenceAndTypingReachTheXmppUser() throws Exception {
        julietPresence.clear();
        julietInbox.clear();
        Address bob = Address.xmpp("bob", "lync.test");
        Address julietFull = Address.xmpp("juliet", "xmpp.test", "balcony");
        assertThat(component.send(new org.parley.presence.model.PresenceUpdate(bob, julietFull,
                org.parley.presence.model.Availability.BUSY, 0, List.of(), org.parley.presence.model.Activity.of("meeting"),
                new org.parley.presence.model.LyncState(6500, "in-a-meeting")))).isTrue();
        Presence got = null;
        for (int i = 0; i < 5 && (got == null || !got.getFrom().toString().startsWith("bob@lync.test")); i++) {
            got = julietPresence.poll(5, TimeUnit.SECONDS);
        }
        assertThat(got).as(prosody.log()).isNotNull();
        assertThat(got.getMode()).isEqualTo(Presence.Mode.dnd);
        assertThat(got.getStatus()).isEqualTo("In a meeting");

        assertThat(component.send(new org.parley.presence.model.ChatStateChange(bob, julietFull,
                org.parley.presence.model.ChatState.COMPOSING, null))).isTrue();
        // other tests' messages may still be in flight: wait for the typing notification itself
        Message typing = null;
        for (int i = 0; i < 5 && (typing == null || !typing.hasExtension("composing", "http://jabber.org/protocol/chatstates")); i++) {
            typing = julietInbox.poll(5, TimeUnit.SECONDS);
        }
        assertThat(typing).isNotNull();
        assertThat(typing.hasExtension("composing", "http://jabber.org/protocol/chatstates")).isTrue();
        assertThat(typing.getBody()).isNull();
    }

    private static X509TrustManager trusting(Path certificate) throws Exception {
        X509Certificate cert;
        try (FileInputStream in = new FileInputStream(certificate.toFile())) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("prosody", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return (X509TrustManager) tmf.getTrustManagers()[0];
    }
}
