package org.parley.presence.address;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The parts of RFC 8265 (PRECIS UsernameCaseMapped) and RFC 7622 that Parley needs to compare
 * JIDs: width mapping, case mapping, NFC, and the IdentifierClass checks that matter for
 * routing (no controls, no spaces, no symbols RFC 7622 forbids in a localpart).
 *
 * The JDK has no PRECIS implementation; this is deliberately conservative: anything it cannot
 * classify is refused rather than passed through unnormalised.
 */
final class Precis {

    static final int MAX_PART_OCTETS = 1023;

    private Precis() {
    }

    /** Width-maps, lower-cases (Unicode default case folding for the ROOT locale) and NFC-normalises. */
    static String usernameCaseMapped(String localpart) {
        if (isAscii(localpart)) {
            // ASCII needs neither width mapping nor NFC: the common case, kept cheap.
            return localpart.toLowerCase(Locale.ROOT);
        }
        StringBuilder mapped = new StringBuilder(localpart.length());
        localpart.codePoints().forEach(cp -> {
            if (isFullOrHalfWidth(cp)) {
                mapped.append(Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFKC));
            } else {
                mapped.appendCodePoint(cp);
            }
        });
        return Normalizer.normalize(mapped.toString().toLowerCase(Locale.ROOT), Normalizer.Form.NFC);
    }

    /** Returns a reason the localpart is invalid under RFC 7622 §3.3, or {@code null} if valid. */
    static String localpartProblem(String localpart) {
        if (localpart.isEmpty()) {
            return "empty localpart";
        }
        if (isAllowedAscii(localpart, ASCII_LOCALPART)) {
            return null; // the common case: one table read per character, no code point classification
        }
        if (utf8Length(localpart) > MAX_PART_OCTETS) {
            return "localpart longer than 1023 octets";
        }
        for (int i = 0; i < localpart.length(); ) {
            int cp = localpart.codePointAt(i);
            if (JidEscaping.isForbiddenInLocalpart(cp)) {
                return "character U+" + String.format("%04X", cp) + " is not allowed in a JID localpart";
            }
            int type = Character.getType(cp);
            if (type == Character.UNASSIGNED || type == Character.SURROGATE || type == Character.PRIVATE_USE
                    || type == Character.FORMAT) {
                return "character U+" + String.format("%04X", cp) + " is not allowed by PRECIS IdentifierClass";
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    /** Resourceparts (OpaqueString): NFC, no controls, not empty. */
    static String resourceProblem(String resource) {
        if (resource.isEmpty()) {
            return "empty resourcepart";
        }
        if (isAllowedAscii(resource, ASCII_RESOURCE)) {
            return null;
        }
        if (utf8Length(resource) > MAX_PART_OCTETS) {
            return "resourcepart longer than 1023 octets";
        }
        for (int i = 0; i < resource.length(); ) {
            int cp = resource.codePointAt(i);
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.SURROGATE
                    || Character.getType(cp) == Character.UNASSIGNED) {
                return "character U+" + String.format("%04X", cp) + " is not allowed in a resourcepart";
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    /**
     * ASCII characters the checks below allow, derived from those checks themselves so the fast path cannot
     * disagree with them. Never written after init.
     */
    private static final boolean[] ASCII_LOCALPART = asciiAllowed(true);
    private static final boolean[] ASCII_RESOURCE = asciiAllowed(false);
    /** {@link #ASCII_LOCALPART} without what case mapping or XEP-0106 escaping could change: upper case, backslash. */
    private static final boolean[] ASCII_PLAIN_LOCALPART = plainLocalpart(ASCII_LOCALPART);

    private static boolean[] plainLocalpart(boolean[] allowed) {
        boolean[] plain = allowed.clone();
        for (char c = 'A'; c <= 'Z'; c++) {
            plain[c] = false;
        }
        plain['\\'] = false;
        return plain;
    }

    private static boolean[] asciiAllowed(boolean localpart) {
        boolean[] allowed = new boolean[0x80];
        for (char c = 0; c < 0x80; c++) {
            String one = String.valueOf(c);
            allowed[c] = (localpart ? localpartProblem(one) : resourceProblem(one)) == null;
        }
        return allowed;
    }

    /**
     * Whether {@code s} is a localpart as it stands: at most {@link #MAX_PART_OCTETS} ASCII characters, none upper
     * case, none a localpart forbids, and no backslash (XEP-0106 escaping may have to write one as {@code \5c}).
     * Case mapping and escaping leave such a string unchanged and {@link #localpartProblem} finds nothing in it.
     */
    static boolean isPlainLocalpart(String s) {
        return !s.isEmpty() && isAllowedAscii(s, ASCII_PLAIN_LOCALPART);
    }

    /** Whether {@code s} is at most {@link #MAX_PART_OCTETS} ASCII characters, each one {@code allowed}. */
    private static boolean isAllowedAscii(String s, boolean[] allowed) {
        if (allowed == null || s.length() > MAX_PART_OCTETS) {
            return false; // null while the tables themselves are being built
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || !allowed[c]) {
                return false;
            }
        }
        return true;
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static boolean isFullOrHalfWidth(int cp) {
        return (cp >= 0xFF01 && cp <= 0xFFEE) || (cp >= 0x3000 && cp <= 0x3000);
    }
}
