package org.parley.gateway.doctor;

import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.parley.sip.tls.PeerNames;

/**
 * The trusted application's certificate, the way Lync will judge it: the key fits, the chain builds
 * to the trust bundle, it is valid now and not about to expire, the subject is the pool FQDN
 * ("local cert SN is not same as localfqdn" otherwise), the SANs cover the pool, this computer and
 * the XMPP domains, and it may be used for both server and client authentication.
 */
public final class CertificateChecks {

    private static final String AREA = "certificate";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private final Clock clock;

    public CertificateChecks(Clock clock) {
        this.clock = clock;
    }

    public List<Check> run(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> anchors, String poolFqdn, String computerFqdn,
                           Set<String> xmppDomains) {
        List<Check> out = new ArrayList<>();
        X509Certificate leaf = chain.get(0);
        out.add(keyFits(leaf, key));
        out.add(chainBuilds(chain, anchors));
        out.add(validity(leaf));
        List<String> names = PeerNames.of(leaf);
        String cn = commonName(leaf);
        out.add(poolFqdn.equalsIgnoreCase(cn) ? Check.ok(AREA, "subject is the pool FQDN", "CN=" + cn)
                : Check.fail(AREA, "subject is the pool FQDN", "CN=" + cn + ", pool " + poolFqdn
                        + " (Lync logs \"local cert SN is not same as localfqdn\")", "issue the certificate with CN=" + poolFqdn + " (parley csr)"));
        List<String> missing = new ArrayList<>();
        for (String n : List.of(poolFqdn, computerFqdn)) {
            if (names.stream().noneMatch(s -> s.equalsIgnoreCase(n))) {
                missing.add(n);
            }
        }
        out.add(missing.isEmpty() ? Check.ok(AREA, "SANs cover the pool and this computer", String.join(", ", names))
                : Check.fail(AREA, "SANs cover the pool and this computer", "missing " + missing + " in " + names,
                        "reissue with every computer FQDN of the pool as a SAN (parley csr --computer …)"));
        List<String> missingDomains = xmppDomains.stream().filter(d -> names.stream().noneMatch(s -> s.equalsIgnoreCase(d))).sorted().toList();
        out.add(missingDomains.isEmpty() ? Check.ok(AREA, "SANs cover the XMPP domains", xmppDomains.isEmpty() ? "none served over s2s" : xmppDomains.toString())
                : Check.warn(AREA, "SANs cover the XMPP domains", "missing " + missingDomains,
                        "add them as SANs (parley csr --domain …), or partners can only use dialback"));
        out.add(usage(leaf));
        return out;
    }

    private static Check keyFits(X509Certificate leaf, PrivateKey key) {
        try {
            String algorithm = leaf.getPublicKey().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            byte[] probe = "parley doctor".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            s.update(probe);
            byte[] sig = s.sign();
            s.initVerify(leaf.getPublicKey());
            s.update(probe);
            return s.verify(sig) ? Check.ok(AREA, "private key matches the certificate", null)
                    : Check.fail(AREA, "private key matches the certificate", "it does not", "use the key the certificate was requested with");
        } catch (java.security.GeneralSecurityException e) {
            return Check.fail(AREA, "private key matches the certificate", e.getMessage(), "use the key the certificate was requested with");
        }
    }

    private Check chainBuilds(List<X509Certificate> chain, List<X509Certificate> anchors) {
        try {
            PKIXParameters params = new PKIXParameters(anchors.stream().map(a -> new TrustAnchor(a, null)).collect(Collectors.toSet()));
            params.setRevocationEnabled(false);
            params.setDate(java.util.Date.from(clock.instant())); // the same instant as every other check, not the JVM's clock
            List<X509Certificate> path = chain.stream().filter(c -> !anchors.contains(c)).toList();
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
            return Check.ok(AREA, "chain builds to the trust bundle", chain.size() + " certificate(s) in the file");
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            return Check.fail(AREA, "chain builds to the trust bundle", e.getMessage(),
                    "put the intermediates after the leaf in parley.tls.certificate and the root in parley.tls.ca");
        }
    }

    private Check validity(X509Certificate leaf) {
        Instant now = clock.instant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            return Check.fail(AREA, "valid now", "not valid before " + leaf.getNotBefore().toInstant(), "check the clock, or wait");
        }
        if (!now.isBefore(notAfter)) {
            return Check.fail(AREA, "valid now", "expired " + notAfter, "renew it (parley csr) — Lync drops the connection at once");
        }
        long days = Duration.between(now, notAfter).toDays();
        return days < 30 ? Check.warn(AREA, "not expiring soon", "expires in " + days + " days (" + notAfter + ")", "renew it now (parley csr)")
                : Check.ok(AREA, "valid", "until " + notAfter + " (" + days + " days)");
    }

    private static Check usage(X509Certificate leaf) {
        try {
            List<String> eku = leaf.getExtendedKeyUsage();
            if (eku == null) {
                return Check.ok(AREA, "usable for server and client authentication", "no EKU restriction");
            }
            List<String> missing = new ArrayList<>();
            if (!eku.contains(SERVER_AUTH)) {
                missing.add("serverAuth");
            }
            if (!eku.contains(CLIENT_AUTH)) {
                missing.add("clientAuth");
            }
            return missing.isEmpty() ? Check.ok(AREA, "usable for server and client authentication", null)
                    : Check.fail(AREA, "usable for server and client authentication", "EKU lacks " + missing,
                            "a trusted application is both ends of mutual TLS: request both server and client authentication");
        } catch (java.security.cert.CertificateParsingException e) {
            return Check.fail(AREA, "usable for server and client authentication", e.getMessage(), "reissue the certificate");
        }
    }

    private static String commonName(X509Certificate leaf) {
        for (String rdn : leaf.getSubjectX500Principal().getName("RFC2253").split(",")) {
            if (rdn.startsWith("CN=")) {
                return rdn.substring(3);
            }
        }
        return "";
    }
}
