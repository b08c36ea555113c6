package org.parley.gateway.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The development PKI of the embedded default: a CA and one gateway certificate whose subject is
 * the pool FQDN and whose SANs are the pool, this computer and the Lync domains — the shape a
 * trusted application needs — written as PEM under {@code <data-dir>/dev-pki} on first start and
 * reused afterwards. Never meant for production: the CA key sits beside it.
 */
public final class DevelopmentPki {

    /** Where the generated files are. */
    public record PkiFiles(Path certificate, Path key, Path ca, Path caKey, boolean created) {
    }

    private DevelopmentPki() {
    }

    public static PkiFiles ensure(Path dataDir, String poolFqdn, String computerFqdn, List<String> domains)
            throws IOException, GeneralSecurityException {
        Path dir = Files.createDirectories(dataDir.resolve("dev-pki"));
        PkiFiles files = new PkiFiles(dir.resolve("gateway.pem"), dir.resolve("gateway.key"), dir.resolve("ca.pem"), dir.resolve("ca.key"), false);
        if (Files.exists(files.certificate()) && Files.exists(files.key()) && Files.exists(files.ca())) {
            return files;
        }
        try {
            KeyPair caKeys = rsa();
            X500Name caName = new X500Name("CN=Parley Development CA,O=Parley");
            Instant now = Instant.now();
            X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caName, serial(), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(3650))), caName, caKeys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            ca.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            ca.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            ca.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate caCert = sign(ca, caKeys);

            Set<String> names = new LinkedHashSet<>();
            names.add(poolFqdn);
            names.add(computerFqdn);
            names.addAll(domains);
            names.add("localhost");
            KeyPair keys = rsa();
            X509v3CertificateBuilder leaf = new JcaX509v3CertificateBuilder(caCert, serial(), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(825))), new X500Name("CN=" + poolFqdn + ",O=Parley"), keys.getPublic());
            List<GeneralName> sans = new ArrayList<>();
            for (String n : names) {
                if (!isIpLiteral(n)) {
                    sans.add(new GeneralName(GeneralName.dNSName, n));
                }
            }
            names.stream().filter(DevelopmentPki::isIpLiteral).forEach(ip -> sans.add(new GeneralName(GeneralName.iPAddress, ip)));
            if (!names.contains("127.0.0.1")) {
                sans.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
            }
            leaf.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(new GeneralName[0])));
            leaf.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            leaf.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            leaf.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            leaf.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
            X509Certificate leafCert = sign(leaf, caKeys);

            writePrivate(files.caKey(), pem(caKeys.getPrivate()));
            writePrivate(files.key(), pem(keys.getPrivate()));
            Files.writeString(files.ca(), pem(caCert));
            Files.writeString(files.certificate(), pem(leafCert) + pem(caCert));
            return new PkiFiles(files.certificate(), files.key(), files.ca(), files.caKey(), true);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the development certificates: " + e.getMessage(), e);
        }
    }

    private static void writePrivate(Path file, String pem) throws IOException {
        Files.writeString(file, pem);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // best effort on file systems without POSIX permissions
        }
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(96, new SecureRandom());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair issuer) throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuer.getPrivate())));
    }

    private static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        }
        return w.toString();
    }

    /** An IPv4 or IPv6 literal: a certificate names it as an iPAddress, never as a dNSName. */
    static boolean isIpLiteral(String name) {
        return name.indexOf(':') >= 0 || !name.isEmpty() && name.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }
}
