package org.parley.presence.address;

import java.util.Arrays;

/**
 * XEP-0106 (JID Escaping): the ten characters a JID localpart cannot hold, written as
 * {@code \xx}. Used when a SIP user part (which may hold them) becomes a JID localpart.
 */
public final class JidEscaping {

    private static final String CHARS = " \"&'/:<>@\\";
    private static final String[] CODES = {"20", "22", "26", "27", "2f", "3a", "3c", "3e", "40", "5c"};
    /** Index into {@link #CHARS} by character, -1 for none; all ten are below {@link #TABLE_SIZE}. Never written after init. */
    private static final byte[] INDEX = indexTable();
    private static final int TABLE_SIZE = '\\' + 1;

    private static byte[] indexTable() {
        byte[] index = new byte[TABLE_SIZE];
        Arrays.fill(index, (byte) -1);
        for (int i = 0; i < CHARS.length(); i++) {
            index[CHARS.charAt(i)] = (byte) i;
        }
        return index;
    }

    private JidEscaping() {
    }

    /**
     * Escapes a string for use as a localpart. A backslash is escaped only where it would
     * otherwise start an escape sequence (XEP-0106 §4.2).
     */
    public static String escape(String raw) {
        StringBuilder out = null;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            // a table read, not CHARS.indexOf: every presence from the front end escapes its user part
            int idx = c < TABLE_SIZE ? INDEX[c] : -1;
            boolean escapeIt = idx >= 0 && (c != '\\' || startsEscapeSequence(raw, i));
            if (escapeIt) {
                if (out == null) {
                    out = new StringBuilder(raw.length() + 8).append(raw, 0, i);
                }
                out.append('\\').append(CODES[idx]);
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? raw : out.toString();
    }

    /** Reverses {@link #escape}: every {@code \xx} of the ten codes becomes its character. */
    public static String unescape(String escaped) {
        if (escaped.indexOf('\\') < 0) {
            return escaped;
        }
        StringBuilder out = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            int code = c == '\\' ? codeAt(escaped, i + 1) : -1;
            if (code >= 0) {
                out.append(CHARS.charAt(code));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** True if the character may not appear unescaped in a JID localpart (RFC 7622 §3.3.1). */
    public static boolean isForbiddenInLocalpart(int codePoint) {
        return codePoint == '"' || codePoint == '&' || codePoint == '\'' || codePoint == '/'
                || codePoint == ':' || codePoint == '<' || codePoint == '>' || codePoint == '@'
                || Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)
                || Character.isISOControl(codePoint);
    }

    private static boolean startsEscapeSequence(String s, int backslash) {
        return codeAt(s, backslash + 1) >= 0;
    }

    private static int codeAt(String s, int i) {
        if (i + 2 > s.length()) {
            return -1;
        }
        String hex = s.substring(i, i + 2).toLowerCase(java.util.Locale.ROOT);
        for (int k = 0; k < CODES.length; k++) {
            if (CODES[k].equals(hex)) {
                return k;
            }
        }
        return -1;
    }
}
