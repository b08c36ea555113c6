package org.parley.xmpp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.GatewayEvent;
import org.parley.xmpp.adapt.InboundDispatcher;
import org.parley.xmpp.adapt.ModelToXmpp;
import org.parley.xmpp.adapt.XmppToModel;
import org.parley.xmpp.iq.IqHandler;
import org.parley.xmpp.s2s.AuthenticatedPair;
import org.parley.xmpp.s2s.DialbackKeys;
import org.parley.xmpp.s2s.InboundServerListener;
import org.parley.xmpp.s2s.OutboundServerStream;
import org.parley.xmpp.s2s.PartnerPolicy;
import org.parley.xmpp.s2s.PartnerRules;
import org.parley.xmpp.s2s.S2sListenerConfig;
import org.parley.xmpp.s2s.S2sTarget;
import org.parley.xmpp.s2s.S2sTls;
import org.parley.xmpp.testing.EjabberdRig;
import org.parley.xmpp.testing.OpensslPki;
import org.parley.xmpp.testing.ProsodyRig;
import org.parley.xmpp.testing.TestTls;

/**
 * 2026 certificates, both ends: Parley's certificate and the partner's have extended key usage serverAuth only (as
 * Let's Encrypt issues them since May 2026: no clientAuth), and each side presents its certificate as a client when it
 * opens a stream. SASL EXTERNAL must still authenticate both directions, with real Prosody and real ejabberd (strict:
 * certificates only, no dialback to fall back on).
 */
class ServerOnlyCertificatesIT {
    // Debian's ejabberd 23.01 is the one exception, in one direction: see ejabberd2301Refuses… below

    /** The extended key usage every certificate of this test was issued with (openssl's name). */
    private static final String EKU = "serverAuth";
    private static final DialbackKeys KEYS = DialbackKeys.random();

    private static OpensslPki pki;
    private static Path dir;
    private static AddressMapper mapper;
    private static ModelToXmpp out;
    private static S2sTls parleyTls;
    private static InboundServerListener parley;
    private static final BlockingQueue<GatewayEvent> events = new LinkedBlockingQueue<>();
    private static ProsodyRig prosody;
    private static EjabberdRig ejabberd;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("parley-server-only-certs");
        pki = new OpensslPki(dir.resolve("pki"));
        pki.leafFor("lync.test-server-only", "lync.test", EKU);
        pki.leafFor("xmpp.test-server-only", "xmpp.test", EKU);
        mapper = AddressMapper.forDomains(List.of("lync.test", "xmpp.test"));
        out = new ModelToXmpp(mapper);
        parleyTls = TestTls.s2s(pki, "lync.test-server-only", pki.ca());
        // Parley listens first: ejabberd refuses a domain for minutes after a failed connection
        parley = new InboundServerListener(S2sListenerConfig.starttls("127.0.0.1", 0, Set.of("lync.test")), parleyTls,
                new PartnerPolicy(Map.of("xmpp.test", PartnerRules.CERTIFICATE_ONLY), Set.of(), null),
                new InboundDispatcher(new XmppToModel(mapper), new IqHandler(Set.of("lync.test"), "test"), events::add), p -> { }, null, null);
        parley.start();
        Path crt = pki.file("xmpp.test-server-only.crt");
        Path key = pki.file("xmpp.test-server-only.key");
        prosody = ProsodyRig.createFederating(dir.resolve("prosody"), pki.ca(), crt, key, Map.of("lync.test", parley.port()), Map.of(), true);
        prosody.register("juliet", "xmpp.test", "juliet-password");
        prosody.start();
        ejabberd = EjabberdRig.createFederating(dir.resolve("ejabberd"), "xmpp.test", pki.ca(), crt, key, Map.of("lync.test", parley.port()),
                Map.of(), true);
        ejabberd.register("juliet", "xmpp.test", "juliet-password");
        ejabberd.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (ejabberd != null) {
            ejabberd.close();
        }
        if (prosody != null) {
            prosody.close();
        }
        if (parley != null) {
            parley.close();
        }
    }

    @ParameterizedTest(name = "Parley → {0}: both certificates " + EKU + " only")
    @ValueSource(strings = {"prosody"})
    void parleyAuthenticatesWithItsServerOnlyCertificate(String server) throws Exception {
        XMPPTCPConnection juliet = TestTls.smackUser("juliet", "juliet-password", c2sPort(server), pki.ca());
        BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
        juliet.addSyncStanzaListener(s -> inbox.add((Message) s), StanzaTypeFilter.MESSAGE);
        juliet.connect().login();
        try (OutboundServerStream stream = OutboundServerStream.open(new S2sTarget("127.0.0.1", s2sPort(server)), "lync.test", "xmpp.test",
                parleyTls, PartnerRules.CERTIFICATE_ONLY, null, out, 10_000)) {
            assertThat(stream.authentication()).as(log(server)).isEqualTo("SASL EXTERNAL");
            String body = "server-only to " + server + " " + System.nanoTime();
            stream.send(ChatMessage.text(Address.xmpp("bob", "lync.test"), Address.xmpp("juliet", "xmpp.test", "balcony"), "s1", body));
            Message got = inbox.poll(10, TimeUnit.SECONDS);
            assertThat(got).as(log(server)).isNotNull();
            assertThat(got.getBody()).isEqualTo(body);
        } finally {
            juliet.disconnect();
        }
    }

    /**
     * Debian's ejabberd 23.01 judges a connecting server's certificate as a TLS client certificate and refuses one
     * without clientAuth ("unsupported certificate purpose": ejabberd issue #4392, the bug this issue is about, on
     * ejabberd's side). Nothing Parley sends can change that answer; where the partner's rules allow dialback Parley
     * falls back to it on the same stream (EjabberdRigIT). Pinned here so that a fixed ejabberd shows up as a failure
     * to turn into the success the other servers give.
     */
    @org.junit.jupiter.api.Test
    void ejabberd2301RefusesParleysServerOnlyCertificateAsAClientCertificate() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OutboundServerStream.open(new S2sTarget("127.0.0.1", ejabberd.s2sPort),
                "lync.test", "xmpp.test", parleyTls, PartnerRules.CERTIFICATE_ONLY, null, out, 10_000).close())
                .isInstanceOf(org.parley.xmpp.s2s.S2sException.class)
                .hasMessageContaining("refused SASL EXTERNAL").hasMessageContaining("unsupported certificate purpose");
    }

    @ParameterizedTest(name = "{0} → Parley: both certificates " + EKU + " only")
    @ValueSource(strings = {"prosody", "ejabberd"})
    void theServerAuthenticatesToParleyWithItsServerOnlyCertificate(String server) throws Exception {
        XMPPTCPConnection juliet = TestTls.smackUser("juliet", "juliet-password", c2sPort(server), pki.ca());
        juliet.connect().login();
        try {
            String body = "server-only from " + server + " " + System.nanoTime();
            juliet.sendStanza(StanzaBuilder.buildMessage("m-" + server).to(JidCreate.from("bob@lync.test")).ofType(Message.Type.chat)
                    .setBody(body).build());
            ChatMessage got = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (got == null && System.nanoTime() < deadline) {
                if (events.poll(100, TimeUnit.MILLISECONDS) instanceof ChatMessage m && body.equals(m.body())) {
                    got = m;
                }
            }
            assertThat(got).as(log(server)).isNotNull();
            AuthenticatedPair pair = parley.authenticatedPairs().stream().filter(p -> p.partnerDomain().equals("xmpp.test")).findFirst()
                    .orElseThrow();
            assertThat(pair.method()).as("a partner whose certificate says serverAuth only").isEqualTo("SASL EXTERNAL");
        } finally {
            juliet.disconnect();
        }
    }

    private static int c2sPort(String server) {
        return server.equals("prosody") ? prosody.c2sPort : ejabberd.c2sPort;
    }

    private static int s2sPort(String server) {
        return server.equals("prosody") ? prosody.componentPort : ejabberd.s2sPort; // a federation rig's componentPort is its s2s port
    }

    private static String log(String server) {
        return server.equals("prosody") ? prosody.log() : ejabberd.log();
    }
}
