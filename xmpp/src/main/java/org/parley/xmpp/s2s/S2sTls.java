package org.parley.xmpp.s2s;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.util.Set;

/**
 * Parley's TLS material for server-to-server streams: its own certificate (or none) and the
 * partners' trust anchors. Three contexts, one job each:
 * <ul>
 *   <li>{@link #outbound()} verifies the partner's chain (and the caller checks the name) —
 *       used for every stream Parley originates;</li>
 *   <li>{@link #inbound()} lets any client certificate through the handshake, because a partner
 *       whose certificate Parley does not trust may still authenticate by dialback; whether the
 *       chain is trusted is decided afterwards by {@link #trusted(X509Certificate[])} and decides
 *       whether SASL EXTERNAL is offered;</li>
 *   <li>{@link #dialbackCallback()} encrypts the verification connection to a partner's
 *       authoritative server without judging its certificate: dialback's assurance comes from
 *       DNS (XEP-0220 §2), and refusing an untrusted certificate there would only force plain
 *       text.</li>
 * </ul>
 */
public final class S2sTls {

    private final KeyManager[] keys;
    private final X509TrustManager trust;
    private final SSLContext outbound;
    private final SSLContext inbound;
    private final SSLContext dialbackCallback;

    private S2sTls(KeyManager[] keys, X509TrustManager trust) {
        this.keys = keys;
        this.trust = trust;
        try {
            this.outbound = context(keys, trust);
            this.inbound = context(keys, new AnyCertificate(trust));
            this.dialbackCallback = context(keys, new AnyCertificate(trust));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build TLS contexts: " + e.getMessage(), e);
        }
    }

    /** Parley presents the certificate in {@code keys} and trusts partners that chain to {@code trust}. */
    public static S2sTls of(KeyManager[] keys, X509TrustManager trust) {
        return new S2sTls(keys, trust);
    }

    /**
     * Parley has no certificate: it can still encrypt streams it originates (a TLS client needs no
     * certificate) but cannot offer TLS to partners, and SASL EXTERNAL is impossible in either
     * direction: dialback is all that is left.
     */
    public static S2sTls withoutCertificate(X509TrustManager trust) {
        return new S2sTls(null, trust);
    }

    public boolean hasCertificate() {
        return keys != null && keys.length > 0;
    }

    public SSLContext outbound() {
        return outbound;
    }

    /**
     * The context for a stream to a partner whose keys are {@code pins}: a server certificate with a pinned key is
     * trusted without a CA (its name is checked after the handshake, as always); any other goes to the CA bundle.
     */
    public SSLContext outbound(Set<String> pins) {
        if (pins.isEmpty()) {
            return outbound;
        }
        try {
            return context(keys, new PinnedOrTrusted(pins, trust));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
        }
    }

    public SSLContext inbound() {
        return inbound;
    }

    public SSLContext dialbackCallback() {
        return dialbackCallback;
    }

    /** Whether a chain a partner presented builds to Parley's trust anchors (names are checked separately). */
    public boolean trusted(X509Certificate[] chain) {
        return distrust(chain) == null;
    }

    /**
     * Why a partner's chain is not trusted (expired, not yet valid, unknown CA, a purpose other than TLS …), or null
     * when it is: RFC 6120 §13.7.2 — a path to a trust anchor and a leaf that may serve TLS, whichever end of it
     * ({@link PartnerChains}: a server-only certificate, as Let's Encrypt issues since 2026, is accepted).
     */
    public String distrust(X509Certificate[] chain) {
        return distrust(chain, Set.of());
    }

    /** The same, where a leaf whose key is one of {@code pins} ({@link KeyPins}) needs no chain to a trust anchor. */
    public String distrust(X509Certificate[] chain, Set<String> pins) {
        if (chain == null || chain.length == 0) {
            return "no certificate";
        }
        String validity = CertificateProblems.validity(chain[0], new java.util.Date());
        if (validity != null) {
            return validity;
        }
        String purpose = PartnerChains.purposeProblem(chain[0]);
        if (purpose != null) {
            return purpose;
        }
        if (KeyPins.pinned(chain[0], pins)) {
            return null;
        }
        try {
            PartnerChains.verify(chain, trust.getAcceptedIssuers());
            return null;
        } catch (GeneralSecurityException | RuntimeException e) {
            return CertificateProblems.describe(e);
        }
    }

    private static SSLContext context(KeyManager[] keys, TrustManager trust) throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keys, new TrustManager[] {trust}, null);
        return ctx;
    }

    /** A server certificate whose key is pinned, or one the CA bundle trusts (with the JDK's checks). */
    private static final class PinnedOrTrusted implements X509TrustManager {
        private final Set<String> pins;
        private final X509TrustManager trust;

        PinnedOrTrusted(Set<String> pins, X509TrustManager trust) {
            this.pins = pins;
            this.trust = trust;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            trust.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            if (chain == null || chain.length == 0 || !KeyPins.pinned(chain[0], pins)) {
                trust.checkServerTrusted(chain, authType);
                return;
            }
            String problem = CertificateProblems.validity(chain[0], new java.util.Date());
            if (problem == null) {
                problem = PartnerChains.purposeProblem(chain[0]);
            }
            if (problem != null) {
                throw new java.security.cert.CertificateException(problem);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return trust.getAcceptedIssuers();
        }
    }

    /** Accepts every peer chain in the handshake; the decision is taken after it (see class comment). */
    private static final class AnyCertificate extends X509ExtendedTrustManager {
        private final X509TrustManager issuers;

        AnyCertificate(X509TrustManager issuers) {
            this.issuers = issuers;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            // naming the trusted CAs in the CertificateRequest helps partners pick the right certificate
            return issuers.getAcceptedIssuers();
        }
    }
}
