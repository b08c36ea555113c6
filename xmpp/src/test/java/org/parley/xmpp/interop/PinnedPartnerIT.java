package org.parley.xmpp.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.GatewayEvent;
import org.parley.xmpp.adapt.InboundDispatcher;
import org.parley.xmpp.adapt.ModelToXmpp;
import org.parley.xmpp.adapt.XmppToModel;
import org.parley.xmpp.iq.IqHandler;
import org.parley.xmpp.s2s.AuthenticatedPair;
import org.parley.xmpp.s2s.InboundServerListener;
import org.parley.xmpp.s2s.KeyPins;
import org.parley.xmpp.s2s.OutboundServerStream;
import org.parley.xmpp.s2s.PartnerPolicy;
import org.parley.xmpp.s2s.PartnerRules;
import org.parley.xmpp.s2s.S2sException;
import org.parley.xmpp.s2s.S2sListenerConfig;
import org.parley.xmpp.s2s.S2sTarget;
import org.parley.xmpp.s2s.S2sTls;
import org.parley.xmpp.testing.OpensslPki;
import org.parley.xmpp.testing.ProsodyRig;
import org.parley.xmpp.testing.TestTls;

/**
 * A real, strict Prosody whose certificate is self-signed: with its key pinned
 * ({@code parley.xmpp.s2s.partners.xmpp.test.pin}) and no CA added, SASL EXTERNAL authenticates it both ways; the
 * same certificate without the pin is refused.
 */
class PinnedPartnerIT {

    private static OpensslPki pki;
    private static ProsodyRig prosody;
    private static InboundServerListener parley;
    private static S2sTls parleyTls;
    private static Set<String> pins;
    private static final BlockingQueue<GatewayEvent> events = new LinkedBlockingQueue<>();
    private static ModelToXmpp out;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("parley-pinned-partner");
        pki = new OpensslPki(dir.resolve("pki"));
        pki.leaf("lync.test");
        pki.selfSigned("xmpp.test");
        try (InputStream in = Files.newInputStream(pki.file("xmpp.test-self.crt"))) {
            pins = Set.of(KeyPins.of((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in)));
        }
        AddressMapper mapper = AddressMapper.forDomains(List.of("lync.test", "xmpp.test"));
        out = new ModelToXmpp(mapper);
        parleyTls = TestTls.s2s(pki, "lync.test", pki.ca());
        parley = new InboundServerListener(S2sListenerConfig.starttls("127.0.0.1", 0, Set.of("lync.test")), parleyTls,
                new PartnerPolicy(Map.of("xmpp.test", PartnerRules.CERTIFICATE_ONLY.withPins(pins)), Set.of(), null),
                new InboundDispatcher(new XmppToModel(mapper), new IqHandler(Set.of("lync.test"), "test"), events::add), p -> { }, null, null);
        parley.start();
        prosody = ProsodyRig.createFederating(dir.resolve("prosody"), pki.ca(), pki.file("xmpp.test-self.crt"), pki.file("xmpp.test-self.key"),
                Map.of("lync.test", parley.port()), Map.of(), true);
        prosody.register("juliet", "xmpp.test", "juliet-password");
        prosody.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (prosody != null) {
            prosody.close();
        }
        if (parley != null) {
            parley.close();
        }
    }

    @Test
    void parleyConnectsToThePinnedPartnerAndOnlyWithThePin() throws Exception {
        S2sTarget target = new S2sTarget("127.0.0.1", prosody.componentPort); // a federation rig's componentPort is its s2s port
        try (OutboundServerStream stream = OutboundServerStream.open(target, "lync.test", "xmpp.test", parleyTls,
                PartnerRules.CERTIFICATE_ONLY.withPins(pins), null, out, 10_000)) {
            assertThat(stream.authentication()).as(prosody.log()).isEqualTo("SASL EXTERNAL");
        }
        assertThatThrownBy(() -> OutboundServerStream.open(target, "lync.test", "xmpp.test", parleyTls, PartnerRules.CERTIFICATE_ONLY, null,
                out, 10_000).close()).isInstanceOf(S2sException.class).hasMessageContaining("not issued by a trusted CA");
    }

    @Test
    void thePinnedPartnerAuthenticatesToParleyWithSaslExternal() throws Exception {
        XMPPTCPConnection juliet = TestTls.smackUser("juliet", "juliet-password", prosody.c2sPort, pki.file("xmpp.test-self.crt"));
        juliet.connect().login();
        try {
            String body = "pinned " + System.nanoTime();
            juliet.sendStanza(StanzaBuilder.buildMessage("p1").to(JidCreate.from("bob@lync.test")).ofType(Message.Type.chat).setBody(body).build());
            ChatMessage got = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (got == null && System.nanoTime() < deadline) {
                if (events.poll(100, TimeUnit.MILLISECONDS) instanceof ChatMessage m && body.equals(m.body())) {
                    got = m;
                }
            }
            assertThat(got).as(prosody.log()).isNotNull();
            AuthenticatedPair pair = parley.authenticatedPairs().stream().filter(p -> p.partnerDomain().equals("xmpp.test")).findFirst()
                    .orElseThrow();
            assertThat(pair.method()).isEqualTo("SASL EXTERNAL");
        } finally {
            juliet.disconnect();
        }
    }
}
