package org.parley.sip.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Parley's TLS identity and trust, built in memory from PEM files: the key managers present
 * {@code chain} with {@code key}; the trust managers accept peers whose chain builds to
 * {@code trustAnchors} and whose name is one of {@code trustedPeerNames}.
 */
public record TlsMaterial(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> trustAnchors,
                          Set<String> trustedPeerNames) {

    public TlsMaterial {
        chain = List.copyOf(chain);
        trustAnchors = List.copyOf(trustAnchors);
        trustedPeerNames = Set.copyOf(trustedPeerNames);
    }

    public static TlsMaterial fromPem(Path certificateChain, Path privateKey, char[] keyPassword, Path caBundle,
                                      Set<String> trustedPeerNames) throws TlsConfigurationException {
        return new TlsMaterial(PemFiles.readCertificates(certificateChain), PemFiles.readPrivateKey(privateKey, keyPassword),
                PemFiles.readCertificates(caBundle), trustedPeerNames);
    }

    public KeyManager[] keyManagers() throws TlsConfigurationException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] transientPassword = new char[0];
            ks.setKeyEntry("parley", key, transientPassword, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, transientPassword);
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsConfigurationException("the private key does not fit the certificate chain: " + e.getMessage(), e);
        }
    }

    public TrustManager[] trustManagers(Consumer<String> refusals) throws TlsConfigurationException {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            int i = 0;
            for (X509Certificate ca : trustAnchors) {
                ts.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x509) {
                    return new TrustManager[] {new TrustedPeerTrustManager(x509, trustedPeerNames, refusals)};
                }
            }
            throw new TlsConfigurationException("the JDK offers no X509 trust manager");
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsConfigurationException("cannot build the trust store from the CA bundle: " + e.getMessage(), e);
        }
    }

    /** A TLS 1.2+ context presenting this identity and enforcing this trust. */
    public SSLContext sslContext(Consumer<String> refusals) throws TlsConfigurationException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers(), trustManagers(refusals), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new TlsConfigurationException("cannot initialise TLS: " + e.getMessage(), e);
        }
    }

    /** The JDK's default cipher suites (forward-secret AEAD first, TLS 1.3 included; weak ones disabled by the JDK's policy). */
    public static String[] cipherSuites() {
        try {
            return SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context in this JDK", e);
        }
    }

    /** Protocols Parley enables: TLS 1.2 and 1.3 only. */
    public static String[] protocols() {
        return new String[] {"TLSv1.3", "TLSv1.2"};
    }
}
