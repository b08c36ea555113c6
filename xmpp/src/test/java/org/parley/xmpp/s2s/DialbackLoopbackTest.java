package org.parley.xmpp.s2s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
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
import org.parley.xmpp.stream.StanzaReader;
import org.parley.xmpp.stream.StreamEvent;
import org.parley.xmpp.stream.StreamLimits;
import org.parley.xmpp.testing.OpensslPki;
import org.parley.xmpp.testing.TestTls;

/**
 * Parley as receiving server for Server Dialback (XEP-0220), against a second Parley listener
 * playing the partner's authoritative server: keys are checked by calling the partner back,
 * several domains share one stream, version-less legacy streams and TLS-optional partners work
 * where the partner's rules allow it and are refused where they do not. What a real Prosody does
 * is covered by {@code ProsodyFederationMatrixIT}; this covers what Prosody never sends.
 */
class DialbackLoopbackTest {

    private static final DialbackKeys PARTNER_KEYS = DialbackKeys.random();
    private static OpensslPki pki;
    private static ModelToXmpp out;
    /** The partner's authoritative server (xmpp.test, chat.xmpp.test, old.test, strict.test). */
    private static InboundServerListener authoritative;
    /** Parley for lync.test with a certificate; TLS required for every partner but old.test. */
    private static InboundServerListener parley;
    /** Parley for lync.test without a certificate, every partner TLS-optional. */
    private static InboundServerListener parleyWithoutCertificate;
    private static final BlockingQueue<GatewayEvent> events = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        pki = new OpensslPki(Files.createTempDirectory("parley-dialback-loop"));
        pki.leaf("lync.test");
        pki.leaf("xmpp.test");
        pki.selfSigned("xmpp.test");
        AddressMapper mapper = AddressMapper.forDomains(List.of("lync.test", "xmpp.test", "chat.xmpp.test", "old.test", "strict.test", "other.test"));
        out = new ModelToXmpp(mapper);
        XmppToModel in = new XmppToModel(mapper);

        Set<String> partnerDomains = Set.of("xmpp.test", "chat.xmpp.test", "old.test", "strict.test");
        authoritative = new InboundServerListener(S2sListenerConfig.starttls("127.0.0.1", 0, partnerDomains), TestTls.s2s(pki, "xmpp.test", pki.ca()),
                PartnerPolicy.open(Set.of()), new InboundDispatcher(in, new IqHandler(partnerDomains, "test"), e -> { }), p -> { }, PARTNER_KEYS, null);
        authoritative.start();
        S2sTarget partner = new S2sTarget("127.0.0.1", authoritative.port());
        PartnerTargets routes = new PartnerTargets(Map.of("xmpp.test", partner, "chat.xmpp.test", partner, "old.test", partner,
                "strict.test", partner), new SrvResolver(n -> List.of()));

        PartnerPolicy policy = new PartnerPolicy(Map.of(
                "xmpp.test", PartnerRules.DEFAULT.withAdditionalDomains(Set.of("chat.xmpp.test")),
                "old.test", PartnerRules.LEGACY,
                "strict.test", PartnerRules.CERTIFICATE_ONLY), Set.of(), null);
        S2sTls lync = TestTls.s2s(pki, "lync.test", pki.ca());
        InboundDispatcher dispatcher = new InboundDispatcher(in, new IqHandler(Set.of("lync.test"), "test"), events::add);
        parley = new InboundServerListener(S2sListenerConfig.starttls("127.0.0.1", 0, Set.of("lync.test")), lync, policy, dispatcher,
                p -> { }, null, new DialbackVerifier(routes, lync, 5000));
        parley.start();
        S2sTls none = TestTls.s2sWithoutCertificate(pki.ca());
        parleyWithoutCertificate = new InboundServerListener(S2sListenerConfig.starttls("127.0.0.1", 0, Set.of("lync.test")), none,
                PartnerPolicy.everyone(PartnerRules.LEGACY), dispatcher, p -> { }, null, new DialbackVerifier(routes, none, 5000));
        parleyWithoutCertificate.start();
    }

    @AfterAll
    static void stop() {
        for (InboundServerListener l : new InboundServerListener[] {authoritative, parley, parleyWithoutCertificate}) {
            if (l != null) {
                l.close();
            }
        }
    }

    private static OutboundServerStream open(InboundServerListener to, String from, S2sTls tls, PartnerRules rules, DialbackKeys keys)
            throws S2sException {
        return OutboundServerStream.open(new S2sTarget("127.0.0.1", to.port()), from, "lync.test", tls, rules, keys, out, 5000);
    }

    private static ChatMessage chat(String fromDomain, String id, String body) {
        return ChatMessage.text(Address.xmpp("juliet", fromDomain), Address.xmpp("bob", "lync.test"), id, body);
    }

    private static String nextBody() throws InterruptedException {
        GatewayEvent e = events.poll(5, TimeUnit.SECONDS);
        assertThat(e).isInstanceOf(ChatMessage.class);
        return ((ChatMessage) e).body();
    }

    @Test
    void aPartnerCertificateParleyDoesNotTrustFallsBackToDialbackCheckedWithTheAuthoritativeServer() throws Exception {
        events.clear();
        try (OutboundServerStream s = open(parley, "xmpp.test", TestTls.s2s(pki, "xmpp.test-self", pki.ca()), PartnerRules.DEFAULT, PARTNER_KEYS)) {
            assertThat(s.authentication()).isEqualTo("dialback");
            s.send(chat("xmpp.test", "a1", "verified by callback"));
            assertThat(nextBody()).isEqualTo("verified by callback");
            assertThat(parley.authenticatedPairs()).contains(new AuthenticatedPair("xmpp.test", "lync.test", "dialback", true));
        }
    }

    @Test
    void aKeyTheAuthoritativeServerDidNotIssueIsInvalid() {
        assertThatThrownBy(() -> open(parley, "xmpp.test", TestTls.s2s(pki, "xmpp.test-self", pki.ca()), PartnerRules.DEFAULT, DialbackKeys.random()))
                .isInstanceOf(S2sException.class).hasMessageContaining("did not accept dialback").hasMessageContaining("type=\"invalid\"");
    }

    @Test
    void aPartnerThatMustPresentItsCertificateCannotUseDialback() {
        assertThatThrownBy(() -> open(parley, "strict.test", TestTls.s2s(pki, "xmpp.test-self", pki.ca()), PartnerRules.DEFAULT, PARTNER_KEYS))
                .isInstanceOf(S2sException.class).hasMessageContaining("did not accept dialback").hasMessageContaining("not-authorized");
    }

    @Test
    void anAdditionalDomainOfThePartnerIsAuthenticatedOnTheSameStreamAndOthersAreNot() throws Exception {
        events.clear();
        try (OutboundServerStream s = open(parley, "xmpp.test", TestTls.s2s(pki, "xmpp.test", pki.ca()), PartnerRules.DEFAULT, PARTNER_KEYS)) {
            assertThat(s.authentication()).isEqualTo("SASL EXTERNAL");
            s.sendRaw("<db:result from='chat.xmpp.test' to='lync.test'>" + PARTNER_KEYS.key("lync.test", "chat.xmpp.test", s.streamId()) + "</db:result>");
            Element answer = s.awaitElement(5000);
            assertThat(answer.getName()).isEqualTo("result");
            assertThat(answer.attributeValue("type")).isEqualTo("valid");
            s.send(chat("chat.xmpp.test", "c1", "from the second domain"));
            s.send(chat("xmpp.test", "c2", "from the first domain"));
            assertThat(List.of(nextBody(), nextBody())).containsExactly("from the second domain", "from the first domain");

            s.sendRaw("<db:result from='other.test' to='lync.test'>" + PARTNER_KEYS.key("lync.test", "other.test", s.streamId()) + "</db:result>");
            Element refused = s.awaitElement(5000);
            assertThat(refused.attributeValue("type")).isEqualTo("error");
            assertThat(refused.asXML()).contains("forbidden");
            s.send(chat("other.test", "c3", "never delivered"));
            assertThat(s.awaitStreamEnd(5000)).isEqualTo("invalid-from");
            assertThat(events.poll(500, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void aVersionlessLegacyPartnerAuthenticatesByDialbackOverPlainTcp() throws Exception {
        events.clear();
        try (RawStream raw = new RawStream(parley.port())) {
            StreamEvent.Opened header = raw.open("old.test", false);
            assertThat(header.attributes()).doesNotContainKey("version");
            raw.write("<db:result from='old.test' to='lync.test'>" + PARTNER_KEYS.key("lync.test", "old.test", header.attributes().get("id"))
                    + "</db:result>");
            Element answer = raw.next();
            assertThat(answer.attributeValue("type")).isEqualTo("valid");
            raw.write("<message from='juliet@old.test' to='bob@lync.test' type='chat' id='l1'><body>from 2004</body></message>");
            assertThat(nextBody()).isEqualTo("from 2004");
            assertThat(parley.authenticatedPairs()).contains(new AuthenticatedPair("old.test", "lync.test", "dialback", false));
        }
    }

    @Test
    void aVersionlessStreamFromAPartnerThatMustUseTlsIsRefused() throws Exception {
        try (RawStream raw = new RawStream(parley.port())) {
            raw.open("xmpp.test", false);
            Element error = raw.next();
            assertThat(error.getName()).isEqualTo("error");
            assertThat(error.asXML()).contains("policy-violation");
        }
    }

    @Test
    void stanzasBeforeAuthenticationEndTheStreamWithNotAuthorized() throws Exception {
        try (RawStream raw = new RawStream(parleyWithoutCertificate.port())) {
            raw.open("old.test", true);
            Element features = raw.next();
            assertThat(features.asXML()).contains("urn:xmpp:features:dialback").doesNotContain("starttls");
            raw.write("<message from='juliet@old.test' to='bob@lync.test'><body>sneaky</body></message>");
            Element error = raw.next();
            assertThat(error.asXML()).contains("not-authorized");
        }
    }

    @Test
    void aTlsOptionalPartnerReachesAParleyWithoutCertificateOverPlainTcpButATlsRequiringOneDoesNot() throws Exception {
        events.clear();
        S2sTls partnerTls = TestTls.s2s(pki, "xmpp.test", pki.ca());
        try (OutboundServerStream s = open(parleyWithoutCertificate, "xmpp.test", partnerTls, PartnerRules.LEGACY, PARTNER_KEYS)) {
            assertThat(s.encrypted()).isFalse();
            assertThat(s.authentication()).isEqualTo("dialback");
            s.send(chat("xmpp.test", "t1", "in the clear, as configured"));
            assertThat(nextBody()).isEqualTo("in the clear, as configured");
        }
        assertThatThrownBy(() -> open(parleyWithoutCertificate, "xmpp.test", partnerTls, PartnerRules.DEFAULT, PARTNER_KEYS))
                .isInstanceOf(S2sException.class).hasMessageContaining("does not offer STARTTLS");
    }

    @Test
    void aDirectTlsListenerAuthenticatesFromTheFirstByte() throws Exception {
        BlockingQueue<GatewayEvent> direct = new LinkedBlockingQueue<>();
        AddressMapper mapper = AddressMapper.forDomains(List.of("lync.test", "xmpp.test"));
        try (InboundServerListener tlsPort = new InboundServerListener(S2sListenerConfig.starttls("127.0.0.1", 0, Set.of("lync.test")).withDirectTls(),
                TestTls.s2s(pki, "lync.test", pki.ca()), PartnerPolicy.open(Set.of()),
                new InboundDispatcher(new XmppToModel(mapper), new IqHandler(Set.of("lync.test"), "test"), direct::add), p -> { }, null, null)) {
            tlsPort.start();
            try (OutboundServerStream s = OutboundServerStream.open(new S2sTarget("127.0.0.1", tlsPort.port(), true), "xmpp.test", "lync.test",
                    TestTls.s2s(pki, "xmpp.test", pki.ca()), PartnerRules.DEFAULT, null, out, 5000)) {
                assertThat(s.authentication()).isEqualTo("SASL EXTERNAL");
                s.send(chat("xmpp.test", "x1", "direct"));
                GatewayEvent e = direct.poll(5, TimeUnit.SECONDS);
                assertThat(e).isInstanceOf(ChatMessage.class);
            }
            // a STARTTLS client on the direct TLS port gets no stream at all
            assertThatThrownBy(() -> OutboundServerStream.open(new S2sTarget("127.0.0.1", tlsPort.port()), "xmpp.test", "lync.test",
                    TestTls.s2s(pki, "xmpp.test", pki.ca()), PartnerRules.DEFAULT, null, out, 2000)).isInstanceOf(S2sException.class);
        }
    }

    @Test
    void anIdleInboundStreamIsClosedCleanly() throws Exception {
        AddressMapper mapper = AddressMapper.forDomains(List.of("lync.test", "xmpp.test"));
        try (InboundServerListener idle = new InboundServerListener(S2sListenerConfig.starttls("127.0.0.1", 0, Set.of("lync.test"))
                .withIdleTimeout(java.time.Duration.ofSeconds(3)), TestTls.s2s(pki, "lync.test", pki.ca()), PartnerPolicy.open(Set.of()),
                new InboundDispatcher(new XmppToModel(mapper), new IqHandler(Set.of("lync.test"), "test"), e -> { }), p -> { }, null, null)) {
            idle.start();
            OutboundServerStream s = OutboundServerStream.open(new S2sTarget("127.0.0.1", idle.port()), "xmpp.test", "lync.test",
                    TestTls.s2s(pki, "xmpp.test", pki.ca()), PartnerRules.DEFAULT, null, out, 5000);
            assertThat(idle.openStreams()).isEqualTo(1);
            assertThat(s.awaitStreamEnd(10_000)).isEqualTo("closed");
            s.close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (idle.openStreams() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(idle.openStreams()).isZero();
        }
    }

    /** A hand-played plain TCP server stream, for what no library sends: version-less headers, early stanzas. */
    private static final class RawStream implements AutoCloseable {
        private final Socket socket;
        private final OutputStream os;
        private final InputStream is;
        private final StanzaReader reader = new StanzaReader(StreamLimits.DEFAULT, Set.of("jabber:server"));
        private final Deque<StreamEvent> backlog = new ArrayDeque<>();

        RawStream(int port) throws Exception {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(5000);
            os = socket.getOutputStream();
            is = socket.getInputStream();
        }

        StreamEvent.Opened open(String from, boolean withVersion) throws Exception {
            write("<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' "
                    + "xmlns:db='jabber:server:dialback' from='" + from + "' to='lync.test'" + (withVersion ? " version='1.0'" : "") + ">");
            return (StreamEvent.Opened) event();
        }

        void write(String xml) throws Exception {
            os.write(xml.getBytes(StandardCharsets.UTF_8));
            os.flush();
        }

        Element next() throws Exception {
            StreamEvent e = event();
            assertThat(e).isInstanceOf(StreamEvent.Stanza.class);
            return ((StreamEvent.Stanza) e).element();
        }

        private StreamEvent event() throws Exception {
            byte[] buf = new byte[8192];
            while (backlog.isEmpty()) {
                int n = is.read(buf);
                assertThat(n).as("connection still open").isPositive();
                backlog.addAll(reader.feed(buf, 0, n));
            }
            return backlog.removeFirst();
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }
}
