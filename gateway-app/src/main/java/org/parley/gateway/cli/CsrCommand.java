package org.parley.gateway.cli;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A new key and the certificate request a trusted application needs: CN = the pool FQDN, SANs =
 * the pool, every computer FQDN and the XMPP domains Parley serves over s2s, server and client
 * authentication (mutual TLS). {@code --self-signed} writes a certificate instead, for labs.
 */
@Command(name = "csr", mixinStandardHelpOptions = true,
        description = "Write a private key and a PKCS#10 certificate request (or a self-signed certificate) for the trusted application.")
public final class CsrCommand implements Callable<Integer> {

    @Option(names = "--pool", required = true, description = "trusted application pool FQDN (the subject CN)")
    String pool;

    @Option(names = "--computer", required = true, description = "a computer FQDN of the pool (repeat for each)")
    List<String> computers = new ArrayList<>();

    @Option(names = "--domain", description = "an XMPP domain Parley serves over s2s, e.g. contoso.com (repeat for each)")
    List<String> domains = new ArrayList<>();

    @Option(names = "--out", defaultValue = ".", description = "directory for parley.key and parley.csr / parley.crt (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--self-signed", description = "write a self-signed certificate (labs) instead of a request")
    boolean selfSigned;

    @Override
    public Integer call() throws Exception {
        Set<String> names = new LinkedHashSet<>();
        names.add(pool);
        names.addAll(computers);
        names.addAll(domains);
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair keys = g.generateKeyPair();
        X500Name subject = new X500Name("CN=" + pool);
        GeneralNames sans = new GeneralNames(names.stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new));
        ExtendedKeyUsage eku = new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth});
        KeyUsage ku = new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment);
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate());
        Files.createDirectories(out);
        Path keyFile = out.resolve("parley.key");
        Files.writeString(keyFile, pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(keys.getPrivate(), null))); // PKCS#8
        try {
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // best effort
        }
        Path written;
        if (selfSigned) {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, new BigInteger(96, new SecureRandom()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))), subject, keys.getPublic());
            b.addExtension(Extension.subjectAlternativeName, false, sans);
            b.addExtension(Extension.extendedKeyUsage, false, eku);
            b.addExtension(Extension.keyUsage, true, ku);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            written = out.resolve("parley.crt");
            Files.writeString(written, pem(new JcaX509CertificateConverter().getCertificate(b.build(signer))));
        } else {
            ExtensionsGenerator ext = new ExtensionsGenerator();
            ext.addExtension(Extension.subjectAlternativeName, false, sans);
            ext.addExtension(Extension.extendedKeyUsage, false, eku);
            ext.addExtension(Extension.keyUsage, true, ku);
            PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate()).build(signer);
            written = out.resolve("parley.csr");
            Files.writeString(written, pem(csr));
        }
        System.out.println("key:  " + keyFile.toAbsolutePath() + " (keep it secret; owner-only permissions)");
        System.out.println((selfSigned ? "cert: " : "csr:  ") + written.toAbsolutePath());
        System.out.println("subject CN=" + pool + ", SANs " + names);
        if (!selfSigned) {
            System.out.println("Have the CA your Lync front ends trust issue it with server and client authentication.");
        }
        return 0;
    }

    private static String pem(Object o) throws java.io.IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        }
        return w.toString();
    }
}
