package org.parley.sip.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The DNS names a certificate speaks for: its subjectAltName dNSName entries, or, only when it
 * has none, the subject CN (RFC 6125 §6.4.4; Lync certificates carry the pool FQDN in both).
 */
public final class PeerNames {

    private static final int SAN_DNS = 2;

    private PeerNames() {
    }

    public static List<String> of(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(SAN_DNS).equals(san.get(0)) && san.get(1) instanceof String s) {
                        names.add(s.toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // an unparsable SAN extension speaks for nobody
            return List.of();
        }
        if (names.isEmpty()) {
            String cn = commonName(cert);
            if (cn != null) {
                names.add(cn.toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /** True if one of the certificate's names matches {@code fqdn} (a leftmost {@code *} matches one label). */
    public static boolean matches(List<String> certNames, String fqdn) {
        String host = fqdn.toLowerCase(Locale.ROOT);
        for (String name : certNames) {
            if (name.equals(host)) {
                return true;
            }
            if (name.startsWith("*.")) {
                int dot = host.indexOf('.');
                if (dot > 0 && host.substring(dot).equals(name.substring(1))) {
                    return true;
                }
            }
        }
        return false;
    }

    static String commonName(X509Certificate cert) {
        try {
            LdapName dn = new LdapName(cert.getSubjectX500Principal().getName());
            for (Rdn rdn : dn.getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }
}
