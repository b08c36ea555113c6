package org.parley.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator commands, run as a user would run them: {@code parley <command> ...}. */
class OperatorCommandsTest {

    @TempDir
    Path dir;

    /** Runs the CLI, returns exit code and standard output. */
    private static Object[] run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = ParleyCli.run(args);
            return new Object[] {code, captured.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(original);
        }
    }

    private static Object read(Path pem) throws Exception {
        try (PEMParser p = new PEMParser(new StringReader(Files.readString(pem)))) {
            return p.readObject();
        }
    }

    private static List<String> dnsNames(Extensions extensions) {
        GeneralNames sans = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
        return java.util.Arrays.stream(sans.getNames()).filter(n -> n.getTagNo() == GeneralName.dNSName)
                .map(n -> n.getName().toString()).toList();
    }

    @Test
    void csrHasThePoolAsSubjectAndEveryComputerAndDomainAsSan() throws Exception {
        Object[] r = run("csr", "--pool", "parley.contoso.com", "--computer", "parley01.contoso.com", "--computer", "parley02.contoso.com",
                "--domain", "contoso.com", "--out", dir.toString());
        assertThat(r[0]).isEqualTo(0);
        PKCS10CertificationRequest csr = (PKCS10CertificationRequest) read(dir.resolve("parley.csr"));
        assertThat(csr.getSubject().toString()).isEqualTo("CN=parley.contoso.com");
        Extensions requested = Extensions.getInstance(csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0].getAttrValues().getObjectAt(0));
        assertThat(dnsNames(requested)).containsExactly("parley.contoso.com", "parley01.contoso.com", "parley02.contoso.com", "contoso.com");
        ExtendedKeyUsage eku = ExtendedKeyUsage.fromExtensions(requested);
        assertThat(eku.hasKeyPurposeId(KeyPurposeId.id_kp_serverAuth)).isTrue();
        assertThat(eku.hasKeyPurposeId(KeyPurposeId.id_kp_clientAuth)).isTrue();
        assertThat(csr.isSignatureValid(new org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder()
                .build(csr.getSubjectPublicKeyInfo()))).isTrue();
        // the key on disk is the one the request is for
        var key = new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) read(dir.resolve("parley.key")));
        var publicKey = new JcaPEMKeyConverter().getPublicKey(csr.getSubjectPublicKeyInfo());
        assertThat(((java.security.interfaces.RSAPrivateCrtKey) key).getModulus()).isEqualTo(((java.security.interfaces.RSAPublicKey) publicKey).getModulus());
        assertThat(Files.getPosixFilePermissions(dir.resolve("parley.key"))).isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void aSelfSignedCertificateForLabs() throws Exception {
        Object[] r = run("csr", "--pool", "parley.lab.test", "--computer", "gw1.lab.test", "--self-signed", "--out", dir.toString());
        assertThat(r[0]).isEqualTo(0);
        X509CertificateHolder holder = (X509CertificateHolder) read(dir.resolve("parley.crt"));
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(holder);
        cert.verify(cert.getPublicKey());
        assertThat(dnsNames(holder.getExtensions())).containsExactly("parley.lab.test", "gw1.lab.test");
        assertThat(cert.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    }

    @Test
    void aCsrWithoutPoolIsAUsageError() {
        Object[] r = run("csr", "--computer", "x.test");
        assertThat((Integer) r[0]).isEqualTo(2);
    }

    @Test
    void lyncCommandsForTheSeedTopologyMatchTheGoldenFile() throws Exception {
        Object[] r = run("lync-commands", "--parley.lync.pool-fqdn=parley.contoso.com", "--parley.lync.computer-fqdn=parley01.contoso.com",
                "--parley.lync.computers[0]=parley01.contoso.com", "--parley.lync.computers[1]=parley02.contoso.com",
                "--parley.lync.front-ends[0]=lyncpool.contoso.com:5061",
                "--parley.xmpp.s2s.routes[internalxmpp.contoso.com]=internalxmpp.contoso.com:5269",
                "--parley.xmpp.s2s.partners[fabrikam.example].tls=required");
        assertThat(r[0]).isEqualTo(0);
        String golden = new String(OperatorCommandsTest.class.getResourceAsStream("/golden/lync-commands-seed.txt").readAllBytes(), StandardCharsets.UTF_8);
        assertThat(r[1]).isEqualTo(golden);
    }

    @Test
    void translateShowsWhatParleyWouldSendForAStanzaAndRefusesGarbage() throws Exception {
        Path stanza = Files.writeString(dir.resolve("in.xml"),
                "<message from='juliet@fabrikam.example/pc' to='alice@contoso.com' type='chat' id='t1'><body>secret words</body></message>");
        Object[] ok = run("translate", stanza.toString());
        assertThat(ok[0]).isEqualTo(0);
        assertThat((String) ok[1]).contains("MESSAGE (in the IM session INVITEd for this pair) sip:alice@contoso.com")
                .contains("outcome: DELIVERED").doesNotContain("secret words");

        Path garbage = Files.writeString(dir.resolve("in.sip"), "HELLO there\n");
        Object[] refused = run("translate", garbage.toString());
        assertThat(refused[0]).isEqualTo(2);
        assertThat((String) refused[1]).contains("outcome: REJECTED").contains("not a SIP request");
    }
    private static final String SIP_MESSAGE = "MESSAGE sip:%s SIP/2.0\nVia: SIP/2.0/TLS 10.0.0.1:5061;branch=z9hG4bK-t2\nMax-Forwards: 70\n"
            + "From: <sip:alice@contoso.com>;tag=1\nTo: <sip:%s>\nCall-ID: t2@10.0.0.1\nCSeq: 1 MESSAGE\n"
            + "Content-Type: text/plain;charset=UTF-8\n\nsecret words";

    @Test
    void translateReadsTheConfigFileItIsGivenWithoutTakingItForTheInput() throws Exception {
        Path config = Files.writeString(dir.resolve("parley.yml"), "parley:\n  xmpp:\n    domains: [xmpp.test]\n");
        Path request = Files.writeString(dir.resolve("served.sip"), SIP_MESSAGE.formatted("juliet@xmpp.test", "juliet@xmpp.test"));
        // without the file xmpp.test is not served (REJECTED, 2); with it the MESSAGE is delivered
        assertThat(run("translate", request.toString())[0]).isEqualTo(2);
        Object[] r = run("translate", "--config", config.toString(), request.toString());
        assertThat(r[0]).as((String) r[1]).isEqualTo(0);
        assertThat((String) r[1]).contains("outcome: DELIVERED");
    }

    @Test
    void translateRedactsASipMessageBodyInItsEchoUnlessAskedToShowIt() throws Exception {
        // delivered (the domain is served) and refused (it is not): the echo of the input is redacted either way
        Path served = Files.writeString(dir.resolve("served.sip"), SIP_MESSAGE.formatted("juliet@xmpp.test", "juliet@xmpp.test"));
        Path foreign = Files.writeString(dir.resolve("foreign.sip"), SIP_MESSAGE.formatted("romeo@elsewhere.example", "romeo@elsewhere.example"));
        for (Path file : List.of(served, foreign)) {
            Object[] r = run("translate", file.toString(), "--parley.xmpp.domains[0]=xmpp.test");
            assertThat((String) r[1]).as(file.getFileName().toString()).contains("input (sip)").contains("[redacted")
                    .doesNotContain("secret words");
        }
        Object[] shown = run("translate", foreign.toString(), "--show-bodies", "--parley.xmpp.domains[0]=xmpp.test");
        assertThat((String) shown[1]).contains("secret words");
    }

    @Test
    void translateRedactsTheBodyOfAStanzaItRefuses() throws Exception {
        // the stanza error Parley would answer with copies the refused stanza, body included
        Path stanza = Files.writeString(dir.resolve("bad.xml"),
                "<message from='juliet@fabrikam.example/' to='alice@contoso.com' type='chat' id='t3'><body>secret words</body></message>");
        Object[] r = run("translate", stanza.toString());
        assertThat(r[0]).isEqualTo(2);
        assertThat((String) r[1]).contains("outcome: REJECTED").contains("[redacted").doesNotContain("secret words");
    }
}
