package org.parley.xmpp.s2s;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether a partner's certificate chain is one Parley trusts for a server-to-server stream, as RFC 6120 §13.7.2 asks:
 * it builds to a trust anchor (PKIX, RFC 5280) and its leaf may be used for TLS. The JDK's
 * {@code checkClientTrusted} asks more: a leaf whose extended key usage lacks TLS client authentication is refused
 * ("unsupported certificate purpose"). Since 2026 Let's Encrypt issues server-only certificates (no clientAuth since
 * May 2026) and XMPP servers present the certificate they serve with when they connect: so for s2s, in either
 * direction, serverAuth or clientAuth will do; a leaf that allows neither (e.g. only emailProtection) is refused.
 */
final class PartnerChains {

    static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    static final String ANY_PURPOSE = "2.5.29.37.0";

    private PartnerChains() {
    }

    /** Why the leaf may not be used for an s2s stream, or null when it may (no extended key usage: any use). */
    static String purposeProblem(X509Certificate leaf) {
        List<String> purposes;
        try {
            purposes = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            return "certificate's extended key usage cannot be read (" + e.getMessage() + ")";
        }
        if (purposes == null || purposes.contains(SERVER_AUTH) || purposes.contains(CLIENT_AUTH) || purposes.contains(ANY_PURPOSE)) {
            return null;
        }
        return "certificate's extended key usage permits neither TLS server nor TLS client authentication (it lists "
                + String.join(", ", purposes.stream().map(PartnerChains::purposeName).toList()) + ")";
    }

    /**
     * Builds a path from the leaf, through the certificates the partner sent (in any order), to one of
     * {@code anchors}; throws with the reason when there is none. Revocation is not checked (no CRL or OCSP
     * fetching from the gateway), as before.
     */
    static void verify(X509Certificate[] chain, X509Certificate[] anchors) throws GeneralSecurityException {
        if (anchors.length == 0) {
            throw new java.security.cert.CertPathBuilderException("no trust anchor: no trusted CA is configured");
        }
        for (X509Certificate anchor : anchors) {
            if (anchor.equals(chain[0])) {
                return; // the leaf itself is trusted
            }
        }
        Set<TrustAnchor> trustAnchors = new HashSet<>();
        for (X509Certificate anchor : anchors) {
            trustAnchors.add(new TrustAnchor(anchor, null));
        }
        X509CertSelector target = new X509CertSelector();
        target.setCertificate(chain[0]);
        PKIXBuilderParameters parameters = new PKIXBuilderParameters(trustAnchors, target);
        parameters.setRevocationEnabled(false);
        parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(Arrays.asList(chain))));
        CertPathBuilder.getInstance("PKIX").build(parameters);
    }

    private static String purposeName(String oid) {
        return switch (oid) {
            case "1.3.6.1.5.5.7.3.3" -> "codeSigning";
            case "1.3.6.1.5.5.7.3.4" -> "emailProtection";
            case "1.3.6.1.5.5.7.3.8" -> "timeStamping";
            case "1.3.6.1.5.5.7.3.9" -> "OCSPSigning";
            default -> oid;
        };
    }
}
