package org.parley.xmpp.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.xmpp.adapt.ModelToXmpp;
import org.parley.xmpp.s2s.DialbackKeys;
import org.parley.xmpp.s2s.OutboundServerStream;
import org.parley.xmpp.s2s.OutboundStreams;
import org.parley.xmpp.s2s.PartnerPolicy;
import org.parley.xmpp.s2s.PartnerRules;
import org.parley.xmpp.s2s.PartnerTargets;
import org.parley.xmpp.s2s.S2sTarget;
import org.parley.xmpp.s2s.S2sTls;
import org.parley.xmpp.s2s.SrvResolver;
import org.parley.xmpp.s2s.S2sException;
import org.parley.xmpp.testing.OpensslPki;
import org.parley.xmpp.testing.ProsodyRig;
import org.parley.xmpp.testing.TestTls;

/**
 * Parley's outgoing server-to-server streams against a real, strict Prosody (TLS required,
 * certificates must be valid), beyond the authentication matrix of {@link ProsodyFederationMatrixIT}:
 * an untrusted partner certificate is refused even with dialback enabled, and {@link OutboundStreams}
 * opens streams on demand, queues while connecting, keeps idle streams alive and closes them, and
 * answers unreachable domains.
 */
class ProsodyS2sOutboundIT {

    private static OpensslPki pki;
    private static ProsodyRig prosody;
    private static XMPPTCPConnection juliet;
    private static final BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
    private static ModelToXmpp out;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("parley-s2s-it");
        pki = new OpensslPki(dir.resolve("pki"));
        pki.leaf("xmpp.test");
        pki.leaf("lync.test");
        pki.selfSigned("lync.test");
        prosody = ProsodyRig.createFederating(dir.resolve("prosody"), pki);
        prosody.register("juliet", "xmpp.test", "juliet-password");
        prosody.start();
        out = new ModelToXmpp(AddressMapper.forDomains(List.of("lync.test", "xmpp.test")));

        juliet = TestTls.smackUser("juliet", "juliet-password", prosody.c2sPort, pki.ca());
        // synchronous: Smack runs async listeners concurrently, which may reorder what arrived in order (the test checks order)
        juliet.addSyncStanzaListener(s -> inbox.add((Message) s), StanzaTypeFilter.MESSAGE);
        juliet.connect().login();
    }

    @AfterAll
    static void stop() throws Exception {
        if (juliet != null) {
            juliet.disconnect();
        }
        if (prosody != null) {
            prosody.close();
        }
    }

    @Test
    void aPartnerWhoseCertificateIsNotTrustedIsRefusedByParley() throws Exception {
        // Parley trusts only its own self-signed certificate here, not the CA that signed xmpp.test
        S2sTls tls = TestTls.s2s(pki, "lync.test", pki.file("lync.test-self.crt"));
        assertThatThrownBy(() -> OutboundServerStream.open(new S2sTarget("127.0.0.1", prosody.componentPort), "lync.test", "xmpp.test", tls,
                PartnerRules.DEFAULT, DialbackKeys.random(), out, 5000))
                .isInstanceOf(S2sException.class).hasMessageContaining("PKIX path building failed");
    }

    @Test
    void outboundStreamsOpenOnDemandQueueWhileConnectingAndAnswerUnreachableDomains() throws Exception {
        BlockingQueue<org.parley.presence.model.GatewayError> failures = new LinkedBlockingQueue<>();
        S2sTls tls = TestTls.s2s(pki, "lync.test", pki.ca());
        try (OutboundStreams streams = new OutboundStreams(tls, out,
                new PartnerTargets(java.util.Map.of("xmpp.test", new S2sTarget("127.0.0.1", prosody.componentPort)), new SrvResolver(name -> List.of())),
                PartnerPolicy.open(java.util.Set.of()), null, failures::add, 3000, 100, java.time.Duration.ofSeconds(10),
                java.time.Clock.systemUTC())) {
            inbox.clear();
            Address bob = Address.xmpp("bob", "lync.test");
            Address julietFull = Address.xmpp("juliet", "xmpp.test", "balcony");
            streams.send(ChatMessage.text(bob, julietFull, "o1", "first (queued while connecting)"));
            streams.send(ChatMessage.text(bob, julietFull, "o2", "second (queued while connecting)"));
            java.util.List<String> bodies = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Message got = inbox.poll(10, TimeUnit.SECONDS);
                assertThat(got).as(prosody.log()).isNotNull();
                bodies.add(got.getBody());
            }
            assertThat(bodies).containsExactly("first (queued while connecting)", "second (queued while connecting)");
            streams.send(ChatMessage.text(bob, julietFull, "o3", "third (stream reused)"));
            assertThat(inbox.poll(10, TimeUnit.SECONDS).getBody()).isEqualTo("third (stream reused)");

            // idle streams are pinged (XEP-0199), then closed cleanly; the next stanza reopens one
            streams.startKeepAlive(java.time.Duration.ofMillis(300), java.time.Duration.ofSeconds(2));
            assertThat(streams.openStreams()).isEqualTo(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (streams.openStreams() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(streams.openStreams()).as("idle stream closed").isZero();
            streams.send(ChatMessage.text(bob, julietFull, "o5", "after the idle close"));
            assertThat(inbox.poll(10, TimeUnit.SECONDS).getBody()).isEqualTo("after the idle close");
            assertThat(failures).isEmpty();

            streams.send(ChatMessage.text(bob, Address.xmpp("someone", "nowhere.invalid"), "o4", "lost?"));
            org.parley.presence.model.GatewayError failure = failures.poll(10, TimeUnit.SECONDS);
            assertThat(failure).isNotNull();
            assertThat(failure.condition()).isEqualTo(org.parley.presence.model.ErrorCondition.REMOTE_SERVER_NOT_FOUND);
            assertThat(failure.correlationId()).isEqualTo("o4");
            assertThat(failure.to()).isEqualTo(bob);
        }
    }


}
