package org.parley.sip.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Receipt;
import org.parley.sip.SipEndpoint;
import org.parley.sip.config.HostPort;
import org.parley.sip.config.SipEndpointConfig;
import org.parley.sip.config.SipTransport;
import org.parley.sip.testing.FreePorts;
import org.parley.sip.testing.TestPki;
import org.parley.sip.tls.TlsMaterial;

/**
 * TLS 1.2+ only on the trusted-application link, checked with a client that can still speak the old
 * versions: Debian's {@code openssl s_client} at security level 0. TLS 1.0 and 1.1 must be refused by
 * Parley itself (its "protocol version" alert in the client's output), TLS 1.2 and 1.3 accepted with
 * the same client certificate, with a forward-secret key exchange.
 */
class WeakTlsVersionsIT {

    private static SipEndpoint parley;
    private static int port;
    private static Path dir;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("weak-tls");
        TestPki pki = new TestPki();
        TestPki.Issued ca = pki.newCa("Weak TLS CA");
        TestPki.Issued gw = pki.newLeaf(ca, "gw.contoso.com", "127.0.0.1");
        TestPki.Issued fe = pki.newLeaf(ca, "fe1.contoso.com", "127.0.0.1");
        TestPki.writeCertificates(dir.resolve("fe.pem"), fe.certificate());
        TestPki.writePkcs8(dir.resolve("fe.key"), fe.keys());
        TestPki.writeCertificates(dir.resolve("ca.pem"), ca.certificate());
        port = FreePorts.next();
        SipEndpointConfig config = new SipEndpointConfig("gw.contoso.com", "127.0.0.1", "127.0.0.1", port, SipTransport.TLS,
                new TlsMaterial(List.of(gw.certificate()), gw.keys().getPrivate(), List.of(ca.certificate()), Set.of("fe1.contoso.com")),
                List.of(new HostPort("127.0.0.1", FreePorts.next())), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(30),
                Set.of("xmpp.test"), null, null);
        parley = new SipEndpoint(config, AddressMapper.forDomains(List.of("xmpp.test", "contoso.com")),
                m -> CompletableFuture.completedFuture(new Receipt(m.to(), m.from(), m.id())), Clock.systemUTC(), line -> { });
        parley.start();
    }

    @AfterAll
    static void stop() {
        if (parley != null) {
            parley.close();
        }
    }

    @ParameterizedTest(name = "{0} accepted: {1}")
    @CsvSource({"-tls1, false", "-tls1_1, false", "-tls1_2, true", "-tls1_3, true"})
    void onlyTls12AndLaterAreAccepted(String version, boolean accepted) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, version,
                "-cert", dir.resolve("fe.pem").toString(), "-key", dir.resolve("fe.key").toString(),
                "-CAfile", dir.resolve("ca.pem").toString(), "-brief"));
        if (!version.equals("-tls1_3")) {
            cmd.addAll(List.of("-cipher", "DEFAULT@SECLEVEL=0")); // let the client offer what Parley must refuse
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().write("OPTIONS sip:gw.contoso.com SIP/2.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (accepted) {
            assertThat(out).as(out).contains("Protocol version: " + (version.equals("-tls1_2") ? "TLSv1.2" : "TLSv1.3"));
            // forward secrecy: an ephemeral key exchange in 1.2 (JAIN-SIP's own default was RSA key exchange, CBC)
            assertThat(out).as(out).containsPattern(version.equals("-tls1_2") ? "Ciphersuite: (ECDHE|DHE)-" : "Ciphersuite: TLS_");
        } else {
            // the refusal comes from Parley's side of the handshake, not from the client's own policy
            assertThat(out).as(out).containsIgnoringCase("alert protocol version");
        }
    }
}
