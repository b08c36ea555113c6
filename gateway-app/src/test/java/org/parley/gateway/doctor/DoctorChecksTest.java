package org.parley.gateway.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.gateway.doctor.Check.Status;
import org.parley.sip.testing.FreePorts;
import org.parley.sip.testing.LyncFrontEndSimulator;
import org.parley.sip.testing.TestPki;
import org.parley.sip.tls.TlsMaterial;

/** Every doctor check, made to pass and made to fail on purpose. */
class DoctorChecksTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);
    private static TestPki pki;
    private static TestPki.Issued ca;

    @TempDir
    Path dir;

    @BeforeAll
    static void ca() throws Exception {
        pki = new TestPki();
        ca = pki.newCa("Doctor CA");
    }

    private static Status statusOf(List<Check> checks, String name) {
        return checks.stream().filter(c -> c.name().startsWith(name)).findFirst().orElseThrow(() -> new AssertionError(name + " in " + checks)).status();
    }

    private List<Check> certificate(TestPki.Issued leaf) {
        return certificate(List.of(leaf.certificate()), leaf.keys(), List.of(ca.certificate()));
    }

    private List<Check> certificate(List<X509Certificate> chain, KeyPair keys, List<X509Certificate> anchors) {
        return new CertificateChecks(NOW).run(chain, keys.getPrivate(), anchors, "parley.contoso.com", "parley01.contoso.com", Set.of("contoso.com"));
    }

    @Test
    void aGoodCertificatePassesEveryCheck() throws Exception {
        List<Check> checks = certificate(pki.newLeaf(ca, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2027-06-01T00:00:00Z"),
                "parley.contoso.com", "parley01.contoso.com", "contoso.com"));
        assertThat(checks).allMatch(c -> c.status() == Status.OK, "all ✓");
    }

    @Test
    void aSubjectThatIsNotThePoolFails() throws Exception {
        List<Check> checks = certificate(pki.newLeaf(ca, "parley01.contoso.com", "parley.contoso.com", "contoso.com"));
        assertThat(statusOf(checks, "subject is the pool FQDN")).isEqualTo(Status.FAIL);
        assertThat(checks.stream().filter(c -> c.name().startsWith("subject")).findFirst().orElseThrow().detail())
                .contains("local cert SN is not same as localfqdn");
    }

    @Test
    void aMissingComputerSanFailsAndAMissingDomainWarns() throws Exception {
        List<Check> checks = certificate(pki.newLeaf(ca, "parley.contoso.com"));
        assertThat(statusOf(checks, "SANs cover the pool and this computer")).isEqualTo(Status.FAIL);
        assertThat(statusOf(checks, "SANs cover the XMPP domains")).isEqualTo(Status.WARN);
    }

    @Test
    void expiredFailsAndExpiringSoonWarns() throws Exception {
        List<Check> expired = certificate(pki.newLeaf(ca, Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"),
                "parley.contoso.com", "parley01.contoso.com", "contoso.com"));
        assertThat(statusOf(expired, "valid")).isEqualTo(Status.FAIL);
        List<Check> soon = certificate(pki.newLeaf(ca, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"),
                "parley.contoso.com", "parley01.contoso.com", "contoso.com"));
        assertThat(statusOf(soon, "not expiring soon")).isEqualTo(Status.WARN);
    }

    @Test
    void aKeyThatIsNotTheCertificatesFails() throws Exception {
        TestPki.Issued leaf = pki.newLeaf(ca, "parley.contoso.com", "parley01.contoso.com");
        TestPki.Issued other = pki.newLeaf(ca, "other.contoso.com");
        assertThat(statusOf(certificate(List.of(leaf.certificate()), other.keys(), List.of(ca.certificate())), "private key matches")).isEqualTo(Status.FAIL);
    }

    @Test
    void aChainFromAnotherCaFails() throws Exception {
        TestPki.Issued stranger = pki.newCa("Stranger CA");
        TestPki.Issued leaf = pki.newLeaf(stranger, "parley.contoso.com", "parley01.contoso.com");
        assertThat(statusOf(certificate(List.of(leaf.certificate()), leaf.keys(), List.of(ca.certificate())), "chain builds")).isEqualTo(Status.FAIL);
    }

    @Test
    void aServerOnlyCertificateFails() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair keys = g.generateKeyPair();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(), BigInteger.TEN,
                Date.from(Instant.parse("2026-01-01T00:00:00Z")), Date.from(Instant.parse("2027-06-01T00:00:00Z")),
                new X500Name("CN=parley.contoso.com"), keys.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "parley.contoso.com"), new GeneralName(GeneralName.dNSName, "parley01.contoso.com")}));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withRSA").build(ca.keys().getPrivate())));
        List<Check> checks = certificate(List.of(cert), keys, List.of(ca.certificate()));
        assertThat(statusOf(checks, "usable for server and client")).isEqualTo(Status.FAIL);
        assertThat(checks.stream().filter(c -> c.name().startsWith("usable")).findFirst().orElseThrow().detail()).contains("clientAuth");
    }

    @Test
    void hostsFileProblemsFailAndACleanOnePasses() throws Exception {
        Set<String> local = Set.of("parley.contoso.com", "parley01.contoso.com");
        Path good = Files.writeString(dir.resolve("good"), "127.0.0.1 localhost\n10.0.0.5 parley01.contoso.com parley01 # this computer\n");
        assertThat(new HostsFileChecks().run(good, local)).allMatch(c -> c.status() == Status.OK);

        Path malformed = Files.writeString(dir.resolve("malformed"), "127.0.0.1 localhost\nparley01.contoso.com 10.0.0.5\n");
        assertThat(statusOf(new HostsFileChecks().run(malformed, local), "well formed")).isEqualTo(Status.FAIL);

        Path twice = Files.writeString(dir.resolve("twice"), "10.0.0.5 parley01.contoso.com\n10.0.0.6 parley01.contoso.com\n");
        assertThat(statusOf(new HostsFileChecks().run(twice, local), "parley01.contoso.com listed once")).isEqualTo(Status.FAIL);

        Path loopback = Files.writeString(dir.resolve("loopback"), "127.0.1.1 parley01.contoso.com parley01\n");
        assertThat(statusOf(new HostsFileChecks().run(loopback, local), "parley01.contoso.com not on loopback")).isEqualTo(Status.FAIL);
    }

    private static SSLContext clientTls(TestPki.Issued leaf, String... trustedPeers) throws Exception {
        return new TlsMaterial(List.of(leaf.certificate()), leaf.keys().getPrivate(), List.of(ca.certificate()), Set.of(trustedPeers))
                .sslContext(reason -> { });
    }

    @Test
    void aFrontEndThatAnswersPassesTcpTlsAndOptions() throws Exception {
        TestPki.Issued fe = pki.newLeaf(ca, "pool.contoso.com", "fe1.contoso.com");
        TestPki.Issued gw = pki.newLeaf(ca, "parley.contoso.com", "parley01.contoso.com");
        int port = FreePorts.next();
        try (LyncFrontEndSimulator sim = new LyncFrontEndSimulator(port, new TlsMaterial(List.of(fe.certificate()), fe.keys().getPrivate(),
                List.of(ca.certificate()), Set.of("parley.contoso.com")), Set.of())) {
            NetworkChecks network = new NetworkChecks(h -> new InetAddress[] {InetAddress.getLoopbackAddress()}, 5000, 5000);
            List<Check> checks = network.frontEnds(List.of("pool.contoso.com:" + port), clientTls(gw, "pool.contoso.com"),
                    "parley.contoso.com", "127.0.0.1");
            assertThat(statusOf(checks, "127.0.0.1:" + port + " TCP")).isEqualTo(Status.OK);
            assertThat(statusOf(checks, "127.0.0.1:" + port + " TLS handshake")).isEqualTo(Status.OK);
            assertThat(checks.stream().filter(c -> c.name().endsWith("TLS handshake")).findFirst().orElseThrow().detail())
                    .contains("pool.contoso.com");
            assertThat(statusOf(checks, "127.0.0.1:" + port + " SIP OPTIONS")).isEqualTo(Status.OK);

            // the same front end, with every handshake counted as slow
            List<Check> slow = new NetworkChecks(h -> new InetAddress[] {InetAddress.getLoopbackAddress()}, 5000, -1)
                    .frontEnds(List.of("pool.contoso.com:" + port), clientTls(gw, "pool.contoso.com"), "parley.contoso.com", "127.0.0.1");
            assertThat(statusOf(slow, "127.0.0.1:" + port + " TLS handshake")).isEqualTo(Status.WARN);
        }
    }

    @Test
    void aTlsServerThatDoesNotSpeakSipFailsTheOptionsCheck() throws Exception {
        TestPki.Issued fe = pki.newLeaf(ca, "pool.contoso.com");
        TestPki.Issued gw = pki.newLeaf(ca, "parley.contoso.com");
        SSLContext server = new TlsMaterial(List.of(fe.certificate()), fe.keys().getPrivate(), List.of(ca.certificate()), Set.of("parley.contoso.com"))
                .sslContext(reason -> { });
        try (javax.net.ssl.SSLServerSocket tlsOnly = (javax.net.ssl.SSLServerSocket) server.getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            tlsOnly.setNeedClientAuth(true);
            Thread acceptor = new Thread(() -> {
                try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) tlsOnly.accept()) {
                    s.startHandshake(); // TLS fine, then silence and close: not a SIP server
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                } catch (Exception ignored) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            List<Check> checks = new NetworkChecks(h -> new InetAddress[] {InetAddress.getLoopbackAddress()}, 5000, 5000)
                    .frontEnds(List.of("pool.contoso.com:" + tlsOnly.getLocalPort()), clientTls(gw, "pool.contoso.com"), "parley.contoso.com", "x");
            assertThat(statusOf(checks, "127.0.0.1:" + tlsOnly.getLocalPort() + " TLS handshake")).isEqualTo(Status.OK);
            assertThat(statusOf(checks, "127.0.0.1:" + tlsOnly.getLocalPort() + " SIP OPTIONS")).isEqualTo(Status.FAIL);
        }
    }

    @Test
    void unresolvableRefusingAndStallingFrontEndsFail() throws Exception {
        TestPki.Issued gw = pki.newLeaf(ca, "parley.contoso.com");
        NetworkChecks noDns = new NetworkChecks(h -> {
            throw new UnknownHostException(h);
        }, 1000, 1000);
        assertThat(statusOf(noDns.frontEnds(List.of("nowhere.contoso.com:5061"), clientTls(gw), "parley.contoso.com", "x"), "nowhere.contoso.com resolves"))
                .isEqualTo(Status.FAIL);

        NetworkChecks loopback = new NetworkChecks(h -> new InetAddress[] {InetAddress.getLoopbackAddress()}, 1000, 1000);
        int closed = FreePorts.next();
        assertThat(statusOf(loopback.frontEnds(List.of("pool.contoso.com:" + closed), clientTls(gw), "parley.contoso.com", "x"),
                "127.0.0.1:" + closed + " TCP")).isEqualTo(Status.FAIL);

        // accepts TCP, never answers: the seed's half-open front end
        try (ServerSocket stall = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try (Socket s = stall.accept()) {
                    Thread.sleep(5000);
                } catch (Exception ignored) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            List<Check> checks = loopback.frontEnds(List.of("pool.contoso.com:" + stall.getLocalPort()), clientTls(gw), "parley.contoso.com", "x");
            Check handshake = checks.stream().filter(c -> c.name().endsWith("TLS handshake")).findFirst().orElseThrow();
            assertThat(handshake.status()).isEqualTo(Status.FAIL);
            assertThat(handshake.detail()).contains("stalls");
        }
    }

    @Test
    void srvRecordsForTheLyncDomainsAndReachablePartners() throws Exception {
        int closed = FreePorts.next();
        try (ServerSocket partner = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            XmppDnsChecks dns = new XmppDnsChecks(name -> switch (name) {
                case "_xmpp-server._tcp.contoso.com" -> List.of("5 0 5269 parley.contoso.com.");
                case "_xmpp-server._tcp.fabrikam.example" -> List.of("5 0 " + partner.getLocalPort() + " 127.0.0.1.");
                case "_xmpp-server._tcp.nowhere.example" -> List.of("5 0 " + closed + " 127.0.0.1.");
                default -> throw new javax.naming.NameNotFoundException(name);
            }, 1000);
            List<Check> checks = dns.run(Set.of("contoso.com", "litware.com"), Set.of("fabrikam.example", "nowhere.example"));
            assertThat(statusOf(checks, "SRV for contoso.com")).isEqualTo(Status.OK);
            assertThat(statusOf(checks, "SRV for litware.com")).isEqualTo(Status.WARN);
            assertThat(statusOf(checks, "fabrikam.example s2s reachable")).isEqualTo(Status.OK);
            assertThat(statusOf(checks, "nowhere.example s2s reachable")).isEqualTo(Status.WARN);
        }
    }

    @Test
    void aTakenPortIsReported() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(NetworkChecks.portFree("xmpp", "127.0.0.1", taken.getLocalPort()).status()).isEqualTo(Status.WARN);
        }
        assertThat(NetworkChecks.portFree("xmpp", "127.0.0.1", FreePorts.next()).status()).isEqualTo(Status.OK);
    }

}
