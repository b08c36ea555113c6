package org.parley.sip.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Parley's TLS identity and trust, replaceable while running: new certificate files (a Kubernetes
 * Secret update, a renewal) take effect for every handshake after {@link #rotate}, without a
 * restart; connections already open keep what they negotiated. The key and trust managers handed out
 * here delegate to whatever material is current, so SSL contexts built once (JAIN-SIP's, the s2s
 * listener's) follow the rotation.
 */
public final class RotatingTls {

    /** One generation of material with the managers built from it. */
    private record Generation(TlsMaterial material, X509ExtendedKeyManager keys, X509ExtendedTrustManager pkix) {
    }

    private final AtomicReference<Generation> current = new AtomicReference<>();
    private final X509ExtendedKeyManager keyManager = new DelegatingKeyManager();
    private final X509ExtendedTrustManager pkixTrust = new DelegatingTrustManager(null);

    private RotatingTls(Generation first) {
        current.set(first);
    }

    public static RotatingTls of(TlsMaterial initial) throws TlsConfigurationException {
        return new RotatingTls(generation(initial));
    }

    /** Replaces identity and trust for new handshakes; the material is checked first, and kept if it is unusable. */
    public void rotate(TlsMaterial next) throws TlsConfigurationException {
        current.set(generation(next));
    }

    public TlsMaterial current() {
        return current.get().material();
    }

    /** Presents the current chain and key. */
    public X509ExtendedKeyManager keyManager() {
        return keyManager;
    }

    /** Plain PKIX trust in the current CA bundle (XMPP partners' names are checked per stream). */
    public X509ExtendedTrustManager pkixTrust() {
        return pkixTrust;
    }

    /** A TLS context for the trusted-application link: current identity, current CAs, current trusted peer names. */
    public SSLContext sslContext(Consumer<String> refusals) throws TlsConfigurationException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(new KeyManager[] {keyManager}, new TrustManager[] {new DelegatingTrustManager(refusals)}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new TlsConfigurationException("cannot initialise TLS: " + e.getMessage(), e);
        }
    }

    private static Generation generation(TlsMaterial m) throws TlsConfigurationException {
        requireKeyFitsCertificate(m);
        X509ExtendedKeyManager keys = null;
        for (KeyManager km : m.keyManagers()) {
            if (km instanceof X509ExtendedKeyManager x) {
                keys = x;
            }
        }
        if (keys == null) {
            throw new TlsConfigurationException("the JDK offers no X509 key manager");
        }
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            int i = 0;
            for (X509Certificate ca : m.trustAnchors()) {
                ts.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return new Generation(m, keys, x);
                }
            }
            throw new TlsConfigurationException("the JDK offers no X509 trust manager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new TlsConfigurationException("cannot build the trust store from the CA bundle: " + e.getMessage(), e);
        }
    }

    /** A renewal that pairs the new certificate with the old key would fail every handshake: refuse it up front. */
    private static void requireKeyFitsCertificate(TlsMaterial m) throws TlsConfigurationException {
        java.security.PublicKey certified = m.chain().get(0).getPublicKey();
        String algorithm = switch (certified.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return; // nothing to prove it with; the handshake will tell
        }
        try {
            byte[] probe = "parley key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            java.security.Signature sign = java.security.Signature.getInstance(algorithm);
            sign.initSign(m.key());
            sign.update(probe);
            byte[] signature = sign.sign();
            java.security.Signature verify = java.security.Signature.getInstance(algorithm);
            verify.initVerify(certified);
            verify.update(probe);
            if (!verify.verify(signature)) {
                throw new TlsConfigurationException("the private key does not belong to the certificate "
                        + m.chain().get(0).getSubjectX500Principal().getName());
            }
        } catch (GeneralSecurityException e) {
            throw new TlsConfigurationException("the private key does not fit the certificate: " + e.getMessage(), e);
        }
    }

    private final class DelegatingKeyManager extends X509ExtendedKeyManager {
        private X509ExtendedKeyManager now() {
            return current.get().keys();
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return now().getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return now().chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return now().getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return now().chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return now().chooseEngineClientAlias(keyType, issuers, engine);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return now().chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return now().getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return now().getPrivateKey(alias);
        }
    }

    /** PKIX in the current bundle; with {@code refusals}, also the trusted-peer name rule of the current material. */
    private final class DelegatingTrustManager extends X509ExtendedTrustManager {
        private final Consumer<String> refusals;

        DelegatingTrustManager(Consumer<String> refusals) {
            this.refusals = refusals;
        }

        private X509ExtendedTrustManager now() {
            Generation g = current.get();
            return refusals == null ? g.pkix() : new TrustedPeerTrustManager(g.pkix(), g.material().trustedPeerNames(), refusals);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            now().checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            now().checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            now().checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            now().checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            now().checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            now().checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return now().getAcceptedIssuers();
        }
    }
}
