package org.parley.xmpp.s2s;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Whether a certificate names an XMPP domain for a server-to-server stream (RFC 6120 §13.7.1.2, RFC 6125 §6): a
 * DNS-ID (a dNSName SAN, with a wildcard only as the whole left-most label), an SRV-ID ({@code _xmpp-server.domain},
 * RFC 4985's SRVName otherName) or an XmppAddr otherName (RFC 6120 §13.7.1.4). The subject's CN is not used: every
 * certificate a CA issues today carries SANs.
 */
final class PartnerNames {

    static final String XMPP_ADDR = "1.3.6.1.5.5.7.8.5";
    static final String SRV_NAME = "1.3.6.1.5.5.7.8.7";
    private static final int OTHER_NAME = 0;
    private static final int DNS_NAME = 2;

    private PartnerNames() {
    }

    static boolean names(X509Certificate leaf, String domain) {
        String wanted = domain.toLowerCase(Locale.ROOT);
        Collection<List<?>> sans;
        try {
            sans = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (sans == null) {
            return false;
        }
        for (List<?> san : sans) {
            Object type = san.get(0);
            Object value = san.get(1);
            if (Integer.valueOf(DNS_NAME).equals(type) && value instanceof String dns && dnsIdMatches(dns, wanted)) {
                return true;
            }
            if (Integer.valueOf(OTHER_NAME).equals(type) && value instanceof byte[] der) {
                String[] other = otherName(der);
                if (other != null && (XMPP_ADDR.equals(other[0]) && other[1].equalsIgnoreCase(wanted)
                        || SRV_NAME.equals(other[0]) && other[1].equalsIgnoreCase("_xmpp-server." + wanted))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** RFC 6125 §6.4.3: exact, or {@code *.} standing for exactly one left-most label. */
    static boolean dnsIdMatches(String pattern, String domain) {
        String p = pattern.toLowerCase(Locale.ROOT);
        if (p.endsWith(".")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.equals(domain)) {
            return true;
        }
        if (p.startsWith("*.") && p.indexOf('.', 2) > 0) {
            int dot = domain.indexOf('.');
            return dot > 0 && domain.substring(dot + 1).equals(p.substring(2));
        }
        return false;
    }

    /**
     * An otherName as the JDK hands it over (DER: {@code SEQUENCE { type-id OID, [0] EXPLICIT value }}, the value
     * itself again under {@code [0]}, e.g. {@code 30 19 06 08 <oid> A0 0D A0 0B 0C 09 "xmpp.test"}; possibly under the
     * GeneralName's own {@code [0]} tag): its OID and, when the value is a string, the string; else null.
     */
    static String[] otherName(byte[] der) {
        try {
            Tlv outer = Tlv.read(der, 0);
            int pos = outer.contentStart();
            int end = outer.end();
            Tlv first = Tlv.read(der, pos);
            if (first.tag() != 0x06) { // under an extra tag: step in once more
                pos = first.contentStart();
                end = first.end();
                first = Tlv.read(der, pos);
            }
            if (first.tag() != 0x06) {
                return null;
            }
            String oid = oid(der, first.contentStart(), first.end());
            Tlv wrapped = Tlv.read(der, first.end());
            if (wrapped.tag() != 0xA0 || wrapped.end() > end) {
                return null;
            }
            Tlv value = Tlv.read(der, wrapped.contentStart());
            while (value.tag() == 0xA0) { // the JDK keeps the explicit [0] around the value's own encoding: A0 { A0 { … } }
                value = Tlv.read(der, value.contentStart());
            }
            if (value.tag() != 0x0C && value.tag() != 0x16) { // UTF8String (XmppAddr), IA5String (SRVName)
                return null;
            }
            return new String[] {oid, new String(der, value.contentStart(), value.end() - value.contentStart(), StandardCharsets.UTF_8)};
        } catch (IndexOutOfBoundsException | IllegalArgumentException malformed) {
            return null;
        }
    }

    private static String oid(byte[] der, int start, int end) {
        StringBuilder out = new StringBuilder();
        long value = 0;
        for (int i = start; i < end; i++) {
            value = (value << 7) | (der[i] & 0x7F);
            if ((der[i] & 0x80) == 0) {
                if (out.length() == 0) {
                    int first = (int) Math.min(2, value / 40);
                    out.append(first).append('.').append(value - 40L * first);
                } else {
                    out.append('.').append(value);
                }
                value = 0;
            }
        }
        return out.toString();
    }

    /** One DER tag-length-value: single-byte tags, short or long lengths. */
    private record Tlv(int tag, int contentStart, int end) {
        static Tlv read(byte[] der, int at) {
            int tag = der[at] & 0xFF;
            int length = der[at + 1] & 0xFF;
            int start = at + 2;
            if (length > 0x7F) {
                int octets = length & 0x7F;
                if (octets == 0 || octets > 3) {
                    throw new IllegalArgumentException("unsupported DER length");
                }
                length = 0;
                for (int i = 0; i < octets; i++) {
                    length = (length << 8) | (der[start + i] & 0xFF);
                }
                start += octets;
            }
            if (start + length > der.length) {
                throw new IllegalArgumentException("truncated DER");
            }
            return new Tlv(tag, start, start + length);
        }
    }
}
