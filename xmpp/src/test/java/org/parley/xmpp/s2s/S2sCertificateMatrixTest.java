package org.parley.xmpp.s2s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.presence.address.AddressMapper;
import org.parley.xmpp.adapt.InboundDispatcher;
import org.parley.xmpp.adapt.ModelToXmpp;
import org.parley.xmpp.adapt.XmppToModel;
import org.parley.xmpp.iq.IqHandler;
import org.parley.xmpp.testing.OpensslPki;
import org.parley.xmpp.testing.TestTls;

/**
 * The s2s TLS matrix rows beyond trusted / untrusted / missing (those run against Prosody in
 * ProsodyFederationMatrixIT): a partner certificate that is expired, not yet valid, issued for
 * another name, self-signed, or absent — with Parley receiving the partner's stream (SASL EXTERNAL
 * is refused; the partner requires certificates, so nothing else authenticates it) and with Parley
 * connecting to the partner (the handshake fails). Every refusal names its reason: in Parley's log
 * inbound, in the exception (and so the log line of the outbound stream) outbound.
 */
class S2sCertificateMatrixTest {

    enum PartnerCertificate {
        VALID("xmpp.test", null),
        // a 2026 Let's Encrypt certificate: TLS server authentication only, presented by the partner as a client too
        SERVER_AUTH_ONLY("xmpp.test-serverauth", null),
        // a certificate for another purpose altogether: refused inbound (Parley's rule) and outbound (the JDK's)
        NO_TLS_PURPOSE("xmpp.test-email", "(?i)extended key usage"),
        EXPIRED("xmpp.test-expired", "certificate expired"),
        NOT_YET_VALID("xmpp.test-future", "certificate not valid before|certificate not yet valid"),
        NAME_MISMATCH("other.test", "certificate name mismatch"),
        // as a client, JSSE offers no certificate whose issuer is not among those Parley's CertificateRequest names
        SELF_SIGNED("xmpp.test-self", "not issued by a trusted CA|no client certificate"),
        NONE(null, "no client certificate|STARTTLS|TLS is required");

        final String files;
        final String reason;

        PartnerCertificate(String files, String reason) {
            this.files = files;
            this.reason = reason;
        }
    }

    private static final int TIMEOUT = 5000;
    private static OpensslPki pki;
    private static InboundServerListener parley;
    private static final Map<PartnerCertificate, InboundServerListener> partners = new java.util.EnumMap<>(PartnerCertificate.class);
    private static final List<String> parleyLog = new CopyOnWriteArrayList<>();
    /** What Parley's dispatcher was told it refused: the trace's input. */
    private static final List<org.parley.xmpp.XmppRefusal> refusals = new CopyOnWriteArrayList<>();
    private static final Logger LISTENER_LOG = Logger.getLogger(InboundServerListener.class.getName());
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord r) {
            parleyLog.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void start() throws Exception {
        pki = new OpensslPki(Files.createTempDirectory("parley-s2s-certs"));
        pki.leaf("lync.test");
        pki.leaf("xmpp.test");
        pki.leaf("other.test");
        pki.leafValidBetween("xmpp.test-expired", "xmpp.test", "20240101000000Z", "20240201000000Z");
        pki.leafValidBetween("xmpp.test-future", "xmpp.test", "20990101000000Z", "20990201000000Z");
        pki.selfSigned("xmpp.test");
        pki.leafFor("xmpp.test-serverauth", "xmpp.test", "serverAuth");
        pki.leafFor("xmpp.test-email", "xmpp.test", "emailProtection");
        pki.leafFor("lync.test-serverauth", "lync.test", "serverAuth");
        LISTENER_LOG.addHandler(CAPTURE);

        // Parley: lync.test, and xmpp.test may only authenticate with a certificate
        PartnerPolicy certificatesOnly = new PartnerPolicy(Map.of("xmpp.test", PartnerRules.CERTIFICATE_ONLY), Set.of(), null);
        AddressMapper mapper = AddressMapper.anyDomain();
        InboundDispatcher recording = new InboundDispatcher(new XmppToModel(mapper), new IqHandler(Set.of("lync.test"), "test"),
                new org.parley.xmpp.XmppInbound() {
                    @Override
                    public void onEvent(org.parley.presence.model.GatewayEvent event) {
                    }

                    @Override
                    public void onRefused(org.parley.xmpp.XmppRefusal refusal) {
                        refusals.add(refusal);
                    }
                });
        parley = new InboundServerListener(S2sListenerConfig.starttls("127.0.0.1", 0, Set.of("lync.test")),
                TestTls.s2s(pki, "lync.test", pki.ca()), certificatesOnly, recording, p -> { }, null, null);
        parley.start();
        // one partner server per certificate variant, each serving xmpp.test
        for (PartnerCertificate c : PartnerCertificate.values()) {
            InboundServerListener partner = new InboundServerListener(S2sListenerConfig.starttls("127.0.0.1", 0, Set.of("xmpp.test")),
                    partnerTls(c), PartnerPolicy.open(Set.of()), dispatcher(), p -> { }, null, null);
            partner.start();
            partners.put(c, partner);
        }
    }

    @AfterAll
    static void stop() {
        LISTENER_LOG.removeHandler(CAPTURE);
        if (parley != null) {
            parley.close();
        }
        partners.values().forEach(InboundServerListener::close);
    }

    @ParameterizedTest(name = "partner → Parley, partner certificate {0}")
    @EnumSource(PartnerCertificate.class)
    void parleyAuthenticatesAnIncomingPartnerOnlyWithAValidCertificateAndLogsWhy(PartnerCertificate c) throws Exception {
        parleyLog.clear();
        refusals.clear();
        S2sTarget target = new S2sTarget("127.0.0.1", parley.port());
        if (c.reason == null) {
            try (OutboundServerStream s = OutboundServerStream.open(target, "xmpp.test", "lync.test", partnerTls(c),
                    PartnerRules.CERTIFICATE_ONLY, null, out(), TIMEOUT)) {
                assertThat(s.authentication()).isEqualTo("SASL EXTERNAL");
            }
            return;
        }
        assertThatThrownBy(() -> OutboundServerStream.open(target, "xmpp.test", "lync.test", partnerTls(c), PartnerRules.CERTIFICATE_ONLY,
                null, out(), TIMEOUT).close()).isInstanceOf(S2sException.class);
        if (c != PartnerCertificate.NONE) {
            assertThat(awaitRefusal("xmpp.test", Pattern.compile(c.reason))).as("Parley's log names why %s is refused: %s", c, parleyLog)
                    .contains("no SASL EXTERNAL offered").containsPattern(c.reason);
        }
        if (c != PartnerCertificate.NONE && c != PartnerCertificate.SELF_SIGNED) { // those two send no client certificate
            assertThat(refusals).as("the trace hears why %s is refused", c).anySatisfy(r -> {
                assertThat(r.kind()).isEqualTo("certificate");
                assertThat(r.peer()).isEqualTo("xmpp.test");
                assertThat(r.text()).containsPattern(c.reason);
            });
        }
    }

    @ParameterizedTest(name = "Parley → partner, partner certificate {0}")
    @EnumSource(PartnerCertificate.class)
    void parleyConnectsOnlyToAPartnerWithAValidCertificateAndSaysWhy(PartnerCertificate c) throws Exception {
        S2sTarget target = new S2sTarget("127.0.0.1", partners.get(c).port());
        S2sTls parleyTls = TestTls.s2s(pki, "lync.test", pki.ca());
        if (c.reason == null) {
            try (OutboundServerStream s = OutboundServerStream.open(target, "lync.test", "xmpp.test", parleyTls, PartnerRules.DEFAULT, null,
                    out(), TIMEOUT)) {
                assertThat(s.authentication()).isEqualTo("SASL EXTERNAL");
            }
            return;
        }
        assertThatThrownBy(() -> OutboundServerStream.open(target, "lync.test", "xmpp.test", parleyTls, PartnerRules.DEFAULT, null, out(),
                TIMEOUT).close())
                .isInstanceOf(S2sException.class)
                .satisfies(e -> assertThat(e.getMessage()).as("the refusal names its reason").containsPattern(c.reason));
    }

    /**
     * A partner with a self-signed certificate, its key pinned ({@code partners.<domain>.pin}) instead of a CA added:
     * Parley connects to it and authenticates with EXTERNAL; inbound, the pinned chain is trusted — and without the
     * pin it is not.
     */
    @Test
    void aSelfSignedPartnerIsTrustedByItsPinnedKeyAndOnlyThen() throws Exception {
        partnerTls(PartnerCertificate.SELF_SIGNED);
        java.security.cert.X509Certificate self = loadCertificate("xmpp.test-self.crt");
        Set<String> pins = Set.of(KeyPins.of(self));
        S2sTls parleyTls = TestTls.s2s(pki, "lync.test", pki.ca());
        try (OutboundServerStream s = OutboundServerStream.open(new S2sTarget("127.0.0.1", partners.get(PartnerCertificate.SELF_SIGNED).port()),
                "lync.test", "xmpp.test", parleyTls, PartnerRules.CERTIFICATE_ONLY.withPins(pins), null, out(), TIMEOUT)) {
            assertThat(s.authentication()).isEqualTo("SASL EXTERNAL");
        }
        java.security.cert.X509Certificate[] chain = {self};
        assertThat(parleyTls.distrust(chain, pins)).as("inbound, pinned").isNull();
        assertThat(parleyTls.distrust(chain, Set.of(KeyPins.of(loadCertificate("xmpp.test.crt"))))).as("inbound, another key pinned")
                .contains("not issued by a trusted CA");
        assertThat(parleyTls.distrust(chain)).as("inbound, no pin").contains("not issued by a trusted CA");
    }

    private static java.security.cert.X509Certificate loadCertificate(String file) throws Exception {
        try (java.io.InputStream in = Files.newInputStream(pki.file(file))) {
            return (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** Parley's own certificate is server-only (a 2026 Let's Encrypt one): SASL EXTERNAL still works both ways. */
    @Test
    void parleysOwnServerOnlyCertificateAuthenticatesBothWays() throws Exception {
        S2sTls serverOnly = TestTls.s2s(pki, "lync.test-serverauth", pki.ca());
        try (OutboundServerStream s = OutboundServerStream.open(new S2sTarget("127.0.0.1", partners.get(PartnerCertificate.VALID).port()),
                "lync.test", "xmpp.test", serverOnly, PartnerRules.CERTIFICATE_ONLY, null, out(), TIMEOUT)) {
            assertThat(s.authentication()).as("Parley → partner, its client certificate serverAuth only").isEqualTo("SASL EXTERNAL");
        }
        InboundServerListener parleyServerOnly = new InboundServerListener(S2sListenerConfig.starttls("127.0.0.1", 0, Set.of("lync.test")),
                serverOnly, new PartnerPolicy(Map.of("xmpp.test", PartnerRules.CERTIFICATE_ONLY), Set.of(), null), dispatcher(), p -> { },
                null, null);
        parleyServerOnly.start();
        try (OutboundServerStream s = OutboundServerStream.open(new S2sTarget("127.0.0.1", parleyServerOnly.port()), "xmpp.test",
                "lync.test", partnerTls(PartnerCertificate.VALID), PartnerRules.CERTIFICATE_ONLY, null, out(), TIMEOUT)) {
            assertThat(s.authentication()).as("partner → Parley, Parley's server certificate serverAuth only").isEqualTo("SASL EXTERNAL");
        } finally {
            parleyServerOnly.close();
        }
    }

    /**
     * The refusal line of this case's stream. Parley's reader thread logs after the partner has already
     * seen the stream end, so the previous case's "authenticated" line can land after {@code clear()}:
     * waiting for the first line that names SASL EXTERNAL could pick that stale line up. Each case's
     * reason is distinct, so a line naming it belongs to this case's stream.
     */
    private static String awaitRefusal(String mentioning, Pattern reason) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (String line : parleyLog) {
                if (line.contains(mentioning) && line.contains("no SASL EXTERNAL offered") && reason.matcher(line).find()) {
                    return line;
                }
            }
            Thread.sleep(20);
        }
        return String.join("\n", parleyLog);
    }

    private static S2sTls partnerTls(PartnerCertificate c) throws Exception {
        if (c.files == null) {
            return TestTls.s2sWithoutCertificate(pki.ca());
        }
        if (c == PartnerCertificate.SELF_SIGNED) {
            Path crt = pki.file("xmpp.test-self.crt");
            if (!Files.exists(pki.file("xmpp.test-self.p12"))) {
                pki.pkcs12("xmpp.test-self");
            }
            assertThat(crt).exists();
        }
        return TestTls.s2s(pki, c.files, pki.ca());
    }

    private static ModelToXmpp out() {
        return new ModelToXmpp(AddressMapper.anyDomain());
    }

    private static InboundDispatcher dispatcher() {
        AddressMapper mapper = AddressMapper.anyDomain();
        return new InboundDispatcher(new XmppToModel(mapper), new IqHandler(Set.of("lync.test", "xmpp.test"), "test"), e -> { });
    }
}
