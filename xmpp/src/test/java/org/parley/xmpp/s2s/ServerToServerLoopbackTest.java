package org.parley.xmpp.s2s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.GatewayEvent;
import org.parley.xmpp.adapt.InboundDispatcher;
import org.parley.xmpp.adapt.ModelToXmpp;
import org.parley.xmpp.adapt.XmppToModel;
import org.parley.xmpp.iq.IqHandler;
import org.parley.xmpp.testing.OpensslPki;
import org.parley.xmpp.testing.TestTls;

/**
 * Parley's outgoing s2s stream against Parley's own listener on loopback, for what a friendly
 * Prosody never does: a forged {@code from} (closed with invalid-from while a parallel healthy
 * stream keeps working) and a certificate that is not valid for the claimed domain.
 */
class ServerToServerLoopbackTest {

    private static OpensslPki pki;
    private static InboundServerListener listener;
    private static ModelToXmpp out;
    private static final BlockingQueue<GatewayEvent> events = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        pki = new OpensslPki(Files.createTempDirectory("parley-s2s-loop"));
        pki.leaf("lync.test");
        pki.leaf("xmpp.test");
        AddressMapper mapper = AddressMapper.forDomains(List.of("lync.test", "xmpp.test", "evil.test"));
        out = new ModelToXmpp(mapper);
        listener = new InboundServerListener(S2sListenerConfig.starttls("127.0.0.1", 0, Set.of("lync.test")), TestTls.s2s(pki, "lync.test", pki.ca()),
                PartnerPolicy.open(Set.of("evil.test")), new InboundDispatcher(new XmppToModel(mapper), new IqHandler(Set.of("lync.test"), "test"), events::add),
                p -> { }, null, null);
        listener.start();
    }

    @AfterAll
    static void stop() {
        if (listener != null) {
            listener.close();
        }
    }

    @Test
    void aForgedFromClosesThatStreamOnlyAndIsNeverDelivered() throws Exception {
        events.clear();
        try (OutboundServerStream healthy = open("xmpp.test");
             OutboundServerStream forger = open("xmpp.test")) {
            forger.send(ChatMessage.text(Address.xmpp("mallory", "evil.test"), Address.xmpp("bob", "lync.test"), "x", "forged"));
            healthy.send(ChatMessage.text(Address.xmpp("juliet", "xmpp.test"), Address.xmpp("bob", "lync.test"), "h1", "genuine"));

            GatewayEvent e = events.poll(5, TimeUnit.SECONDS);
            assertThat(e).isInstanceOf(ChatMessage.class);
            assertThat(((ChatMessage) e).body()).isEqualTo("genuine");
            assertThat(events.poll(1, TimeUnit.SECONDS)).as("the forged message is never delivered").isNull();

            healthy.send(ChatMessage.text(Address.xmpp("juliet", "xmpp.test"), Address.xmpp("bob", "lync.test"), "h2", "still here"));
            assertThat(((ChatMessage) events.poll(5, TimeUnit.SECONDS)).body()).isEqualTo("still here");
        }
    }

    @Test
    void aCertificateNotValidForTheClaimedDomainIsNotAuthorized() {
        // the lync.test certificate cannot speak for xmpp.test
        assertThatThrownBy(() -> open("xmpp.test", "lync.test", TestTls.s2s(pki, "lync.test", pki.ca())))
                .isInstanceOf(S2sException.class).hasMessageContaining("does not offer SASL EXTERNAL for xmpp.test");
    }

    @Test
    void aStreamForADomainParleyDoesNotServeIsHostUnknown() {
        assertThatThrownBy(() -> open("xmpp.test", "other.test", TestTls.s2s(pki, "xmpp.test", pki.ca())))
                .isInstanceOf(S2sException.class).hasMessageContaining("host-unknown");
    }

    @Test
    void aPartnerOutsideThePolicyIsRefusedBothWays() throws Exception {
        pki.leaf("evil.test");
        assertThatThrownBy(() -> open("evil.test", "lync.test", TestTls.s2s(pki, "evil.test", pki.ca())))
                .isInstanceOf(S2sException.class).hasMessageContaining("policy-violation");

        BlockingQueue<org.parley.presence.model.GatewayError> failures = new LinkedBlockingQueue<>();
        try (OutboundStreams streams = new OutboundStreams(TestTls.s2s(pki, "lync.test", pki.ca()), out,
                new PartnerTargets(java.util.Map.of(), new SrvResolver(n -> List.of())), PartnerPolicy.only(Set.of("xmpp.test")), null,
                failures::add, 2000, 10, java.time.Duration.ofSeconds(5),
                java.time.Clock.systemUTC())) {
            streams.send(ChatMessage.text(Address.xmpp("bob", "lync.test"), Address.xmpp("eve", "evil.test"), "p1", "hi eve"));
            var f = failures.poll(5, TimeUnit.SECONDS);
            assertThat(f).isNotNull();
            assertThat(f.condition()).isEqualTo(org.parley.presence.model.ErrorCondition.FORBIDDEN);
            assertThat(f.correlationId()).isEqualTo("p1");
        }
    }

    @Test
    void badInputOnAnAuthenticatedStreamEndsThatStreamWithTheRightErrorAndNothingElse() throws Exception {
        java.util.Map<String, String> attacks = new java.util.LinkedHashMap<>();
        attacks.put("malformed", "<message from='x@xmpp.test' to='bob@lync.test'><body>x</message>");
        attacks.put("deep nesting", "<message from='x@xmpp.test' to='bob@lync.test'>" + "<a>".repeat(10_000));
        attacks.put("entity declaration", "<!DOCTYPE x [<!ENTITY a 'aaaa'>]><message/>");
        attacks.put("billion laughs", "<!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>"
                + "<!ENTITY lol3 '&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'>]><message from='x@xmpp.test'>&lol3;</message>");
        attacks.put("oversized", "<message from='x@xmpp.test' to='bob@lync.test'><body>" + "y".repeat(10 * 1024 * 1024) + "</body></message>");
        // not a stream error: answered with a stanza error, and never delivered
        attacks.put("wrong namespace stanza", "<message xmlns='urn:evil' from='x@xmpp.test'/>");
        java.util.Map<String, String> expected = java.util.Map.of(
                "malformed", "not-well-formed", "deep nesting", "policy-violation", "entity declaration", "restricted-xml", "billion laughs", "restricted-xml",
                "oversized", "policy-violation", "wrong namespace stanza", "closed");
        try (OutboundServerStream healthy = open("xmpp.test")) {
            for (var attack : attacks.entrySet()) {
                events.clear();
                try (OutboundServerStream bad = open("xmpp.test")) {
                    try {
                        bad.sendRaw(attack.getValue());
                    } catch (java.io.IOException closedWhileWriting) {
                        // the listener may cut the connection before the whole payload is written
                    }
                    String end = bad.awaitStreamEnd(attack.getKey().startsWith("wrong") ? 500 : 5000);
                    if (attack.getKey().equals("oversized")) {
                        // the listener may cut the connection while the megabyte is still being written
                        assertThat(end).as(attack.getKey()).isIn("policy-violation", "closed");
                    } else if (!"closed".equals(expected.get(attack.getKey()))) {
                        assertThat(end).as(attack.getKey()).isEqualTo(expected.get(attack.getKey()));
                    }
                }
                healthy.send(ChatMessage.text(Address.xmpp("juliet", "xmpp.test"), Address.xmpp("bob", "lync.test"), "ok", "after " + attack.getKey()));
                GatewayEvent e = events.poll(5, TimeUnit.SECONDS);
                assertThat(e).as("the healthy stream still delivers after " + attack.getKey()).isInstanceOf(ChatMessage.class);
                assertThat(((ChatMessage) e).body()).isEqualTo("after " + attack.getKey());
            }
        }
    }

    private static OutboundServerStream open(String domain) throws Exception {
        return open(domain, "lync.test", TestTls.s2s(pki, domain, pki.ca()));
    }

    private static OutboundServerStream open(String from, String to, S2sTls tls) throws Exception {
        return OutboundServerStream.open(new S2sTarget("127.0.0.1", listener.port()), from, to, tls, PartnerRules.DEFAULT, null, out, 5000);
    }

}
