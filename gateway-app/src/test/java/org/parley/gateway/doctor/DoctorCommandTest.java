package org.parley.gateway.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.gateway.cli.ParleyCli;
import org.parley.sip.testing.FreePorts;
import org.parley.sip.testing.LyncFrontEndSimulator;
import org.parley.sip.testing.TestPki;
import org.parley.sip.tls.TlsMaterial;

/** {@code parley doctor} as an operator runs it, against the front-end simulator on loopback. */
class DoctorCommandTest {

    @TempDir
    Path dir;

    private static Object[] run(List<String> args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return new Object[] {ParleyCli.run(args.toArray(String[]::new)), captured.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(original);
        }
    }

    private List<String> args(TestPki.Issued gateway, TestPki.Issued ca, int fePort, String... extra) throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
        List<String> a = new ArrayList<>(List.of("doctor", "--hosts", hosts.toString(), "--timeout", "3000",
                "--parley.data-dir=" + dir.resolve("data"),
                "--parley.tls.certificate=" + TestPki.writeCertificates(dir.resolve("gw.pem"), gateway.certificate()),
                "--parley.tls.key=" + TestPki.writePkcs8(dir.resolve("gw.key"), gateway.keys()),
                "--parley.tls.ca=" + TestPki.writeCertificates(dir.resolve("ca.pem"), ca.certificate()),
                "--parley.lync.domains[0]=contoso.com",
                "--parley.lync.pool-fqdn=parley.contoso.com", "--parley.lync.computer-fqdn=parley01.contoso.com",
                "--parley.lync.front-ends[0]=127.0.0.1:" + fePort, "--parley.lync.trusted-peers[0]=pool.contoso.com",
                "--parley.lync.listen-port=" + FreePorts.next(), "--parley.xmpp.s2s.port=" + FreePorts.next()));
        a.addAll(List.of(extra));
        return a;
    }

    @Test
    void aHealthySetupHasNoFailuresAndAWrongCertificateFails() throws Exception {
        TestPki pki = new TestPki();
        TestPki.Issued ca = pki.newCa("Doctor CA");
        TestPki.Issued fe = pki.newLeaf(ca, "pool.contoso.com", "fe1.contoso.com");
        int fePort = FreePorts.next();
        try (LyncFrontEndSimulator sim = new LyncFrontEndSimulator(fePort, new TlsMaterial(List.of(fe.certificate()), fe.keys().getPrivate(),
                List.of(ca.certificate()), Set.of("parley.contoso.com")), Set.of())) {
            TestPki.Issued good = pki.newLeaf(ca, "parley.contoso.com", "parley01.contoso.com", "contoso.com");
            Object[] ok = run(args(good, ca, fePort));
            assertThat((String) ok[1]).contains("✓ certificate: subject is the pool FQDN").contains("TLS handshake")
                    .contains("SIP OPTIONS — SIP/2.0 200").contains("no failures");
            assertThat(ok[0]).as((String) ok[1]).isEqualTo(0);

            Object[] json = run(args(good, ca, fePort, "--json"));
            assertThat((String) json[1]).startsWith("[").contains("\"status\" : \"OK\"");

            TestPki.Issued wrong = pki.newLeaf(ca, "parley01.contoso.com", "contoso.com");
            Object[] bad = run(args(wrong, ca, fePort));
            assertThat(bad[0]).isEqualTo(1);
            assertThat((String) bad[1]).contains("✗ certificate: subject is the pool FQDN").contains("fix: issue the certificate with CN=parley.contoso.com");
        }
    }
}
