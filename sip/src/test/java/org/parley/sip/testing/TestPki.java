package org.parley.sip.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Throw-away certificate authorities and leaf certificates for tests (real RSA keys, real X.509),
 * with the knobs a TLS matrix needs: SANs, validity window, EKU, issuer.
 */
public final class TestPki {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();
    private final AtomicLong serials = new AtomicLong(System.nanoTime());

    /** A CA or leaf: certificate plus key. */
    public record Issued(X509Certificate certificate, KeyPair keys) {
    }

    public Issued newCa(String name) throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPair keys = rsa();
        X500Name subject = new X500Name("CN=" + name + ",O=Parley Test");
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(3650))), subject, keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        return new Issued(sign(b, keys), keys);
    }

    /** A leaf valid now for a year, serverAuth + clientAuth, with CN = first name and every name as a SAN. */
    public Issued newLeaf(Issued ca, String... dnsNames) throws GeneralSecurityException, OperatorCreationException, IOException {
        Instant now = Instant.now();
        return newLeaf(ca, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365)), dnsNames);
    }

    public Issued newLeaf(Issued ca, Instant notBefore, Instant notAfter, String... dnsNames)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPair keys = rsa();
        X500Name subject = new X500Name("CN=" + dnsNames[0] + ",O=Parley Test");
        // Issuer taken from the CA certificate's encoding: re-parsing its string form reverses the RDN order.
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(), serial(), Date.from(notBefore), Date.from(notAfter),
                subject, keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        List<GeneralName> sans = new ArrayList<>();
        for (String n : dnsNames) {
            sans.add(n.matches("[0-9.]+") ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n));
        }
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(new GeneralName[0])));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        b.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.certificate()));
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(ca.keys().getPrivate());
        return new Issued(new JcaX509CertificateConverter().getCertificate(b.build(signer)), keys);
    }

    // ---------------------------------------------------------------- PEM output

    public static Path writeCertificates(Path file, X509Certificate... certs) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (X509Certificate c : certs) {
                w.writeObject(c);
            }
        }
        return Files.writeString(file, out.toString(), StandardCharsets.US_ASCII);
    }

    /** Unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}). */
    public static Path writePkcs8(Path file, KeyPair keys) throws IOException {
        return writePem(file, new JcaPKCS8Generator(keys.getPrivate(), null).generate());
    }

    /** Traditional OpenSSL PKCS#1 ({@code BEGIN RSA PRIVATE KEY}). */
    public static Path writePkcs1(Path file, KeyPair keys) throws IOException {
        return writePem(file, new JcaMiscPEMGenerator(keys.getPrivate()).generate());
    }

    /** Encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE KEY}, AES-256-CBC). */
    public static Path writeEncryptedPkcs8(Path file, KeyPair keys, char[] password)
            throws IOException, OperatorCreationException, PKCSException {
        var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(org.bouncycastle.openssl.PKCS8Generator.AES_256_CBC)
                .setProvider(BC).setRandom(RANDOM).setPassword(password).build();
        return writePem(file, new JcaPKCS8Generator(keys.getPrivate(), encryptor).generate());
    }

    /** OpenSSL legacy encrypted PEM ({@code Proc-Type: 4,ENCRYPTED}, PKCS#1 inside). */
    public static Path writeLegacyEncrypted(Path file, KeyPair keys, char[] password) throws IOException {
        var encryptor = new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(BC).setSecureRandom(RANDOM).build(password);
        return writePem(file, new JcaMiscPEMGenerator(keys.getPrivate(), encryptor).generate());
    }

    private static Path writePem(Path file, PemObject pem) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(pem);
        }
        return Files.writeString(file, out.toString(), StandardCharsets.US_ASCII);
    }

    private X509Certificate sign(X509v3CertificateBuilder b, KeyPair keys) throws OperatorCreationException, GeneralSecurityException {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }

    private BigInteger serial() {
        return BigInteger.valueOf(serials.incrementAndGet());
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, RANDOM);
        return g.generateKeyPair();
    }
}
