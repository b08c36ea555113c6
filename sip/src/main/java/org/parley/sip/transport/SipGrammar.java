package org.parley.sip.transport;

/** The RFC 3261 §25.1 character classes and values more than one strict check reads. */
final class SipGrammar {

    /** The non-alphanumeric characters of a {@code token}. */
    private static final String TOKEN_CHARS = "-.!%*_+`'~";

    private SipGrammar() {
    }

    /** Whether c may stand in a {@code token} (a method, a display name's words): ASCII letters and digits or one of -.!%*_+`'~. */
    static boolean isTokenChar(char c) {
        return (c < 0x80 && Character.isLetterOrDigit(c)) || TOKEN_CHARS.indexOf(c) >= 0;
    }

    /** Whether s[start, end) is a Content-Length value: digits, with optional surrounding whitespace. */
    static boolean isLength(String s, int start, int end) {
        String v = s.substring(start, end).strip();
        return !v.isEmpty() && v.chars().allMatch(Character::isDigit);
    }
}
