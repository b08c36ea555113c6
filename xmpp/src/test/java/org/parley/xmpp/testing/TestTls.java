package org.parley.xmpp.testing;

import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.ConnectionConfiguration;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.parley.xmpp.s2s.S2sTls;

/** Parley s2s TLS material and Smack users for the xmpp interop tests. */
public final class TestTls {

    private TestTls() {
    }

    /** Parley's s2s TLS presenting {@code name}'s certificate and trusting {@code trusted}. */
    public static S2sTls s2s(OpensslPki pki, String name, Path trusted) throws Exception {
        Path p12 = pki.file(name + ".p12");
        if (!Files.exists(p12)) {
            pki.pkcs12(name);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(p12.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        return S2sTls.of(kmf.getKeyManagers(), (X509TrustManager) trust(trusted).getTrustManagers()[0]);
    }

    /** Parley's s2s TLS without a certificate of its own, trusting {@code trusted}. */
    public static S2sTls s2sWithoutCertificate(Path trusted) throws Exception {
        return S2sTls.withoutCertificate((X509TrustManager) trust(trusted).getTrustManagers()[0]);
    }

    public static TrustManagerFactory trust(Path certificate) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        try (FileInputStream in = new FileInputStream(certificate.toFile())) {
            ts.setCertificateEntry("trusted", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        return tmf;
    }

    /** A Smack connection (not yet connected) for {@code user}@xmpp.test/balcony over required TLS. */
    public static XMPPTCPConnection smackUser(String user, String password, int c2sPort, Path trusted) throws Exception {
        return smackUser(user, password, "balcony", c2sPort, trusted);
    }

    /** The same, for another resource of the user (a second device). */
    public static XMPPTCPConnection smackUser(String user, String password, String resource, int c2sPort, Path trusted) throws Exception {
        return new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setUsernameAndPassword(user, password).setXmppDomain("xmpp.test")
                .setHost("127.0.0.1").setPort(c2sPort).setResource(resource)
                .setSecurityMode(ConnectionConfiguration.SecurityMode.required)
                .setCustomX509TrustManager((X509TrustManager) trust(trusted).getTrustManagers()[0]).build());
    }
}
