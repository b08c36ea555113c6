package org.parley.xmpp.testing;

import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jivesoftware.smack.ConnectionConfiguration;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;

/** TLS contexts and Smack users for the xmpp interop tests. */
public final class TestTls {

    private TestTls() {
    }

    /** A context presenting {@code name}'s key and chain (PKCS#12 made on demand) and trusting only {@code trusted}. */
    public static SSLContext context(OpensslPki pki, String name, Path trusted) throws Exception {
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
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), trust(trusted).getTrustManagers(), null);
        return ctx;
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
        return new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setUsernameAndPassword(user, password).setXmppDomain("xmpp.test")
                .setHost("127.0.0.1").setPort(c2sPort).setResource("balcony")
                .setSecurityMode(ConnectionConfiguration.SecurityMode.required)
                .setCustomX509TrustManager((X509TrustManager) trust(trusted).getTrustManagers()[0]).build());
    }
}
