package org.parley.presence.address;

import static org.parley.presence.address.EchoedInput.printable;

import java.net.IDN;
import java.util.Locale;
import org.parley.presence.MappingException;
import org.parley.presence.MappingException.Reason;

/**
 * Domain names as both sides compare them: stripped of a trailing dot, IDNA A-labels (RFC 5891), lower case,
 * labels of 1 to 63 characters, at most 253 in all. The one form a JID's domainpart and a SIP URI's host are mapped
 * through, so that {@code Contoso.COM.} and {@code contoso.com} are the same configured domain.
 */
final class DomainNames {

    private DomainNames() {
    }

    static String normalise(String raw) throws MappingException {
        String d = raw.strip();
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (d.isEmpty()) {
            throw new MappingException(Reason.MALFORMED_ADDRESS, "empty domain");
        }
        if (isLowerCaseLdh(d)) {
            return d; // what the checks below would return unchanged, found in one pass
        }
        String ascii;
        try {
            // LDH-only names are already A-labels: skip the (costly) IDNA conversion for them.
            ascii = isLdh(d) ? d.toLowerCase(Locale.ROOT) : IDN.toASCII(d, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new MappingException(Reason.MALFORMED_ADDRESS, "domain '" + printable(d) + "' is not a valid domain name");
        }
        if (ascii.isEmpty() || ascii.length() > 253) {
            throw new MappingException(Reason.MALFORMED_ADDRESS, "domain '" + printable(d) + "' has an invalid length");
        }
        for (int labelStart = 0; labelStart <= ascii.length(); ) {
            int dot = ascii.indexOf('.', labelStart);
            int labelEnd = dot < 0 ? ascii.length() : dot;
            if (labelEnd == labelStart || labelEnd - labelStart > 63) {
                throw new MappingException(Reason.MALFORMED_ADDRESS, "domain '" + printable(d) + "' has an empty or too long label");
            }
            labelStart = labelEnd + 1;
        }
        return ascii;
    }

    /**
     * Lower-case letters, digits, hyphens and dots, no label empty, longer than 63 or starting or ending in a
     * hyphen, at most 253 characters: a domain {@link #normalise} keeps as it is.
     */
    static boolean isLowerCaseLdh(String d) {
        int n = d.length();
        if (n == 0 || n > 253) {
            return false;
        }
        char prev = '.';
        int labelStart = 0;
        for (int i = 0; i < n; i++) {
            char c = d.charAt(i);
            if (c == '.') {
                if (prev == '.' || prev == '-' || i - labelStart > 63) {
                    return false;
                }
                labelStart = i + 1;
            } else if (c == '-') {
                if (prev == '.') {
                    return false;
                }
            } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
            prev = c;
        }
        return prev != '-' && prev != '.' && n - labelStart <= 63;
    }

    /** Letters, digits, hyphens and dots, with no label starting or ending in a hyphen. */
    private static boolean isLdh(String d) {
        char prev = '.';
        for (int i = 0; i < d.length(); i++) {
            char c = d.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || (c == '-' && prev != '.') || (c == '.' && prev != '-' && prev != '.');
            if (!ok) {
                return false;
            }
            prev = c;
        }
        return prev != '-' && prev != '.';
    }
}
