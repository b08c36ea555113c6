package org.parley.gateway.trace;

/**
 * Bodies out of the trace: a SIP request whose body is text keeps its headers and shows the body's
 * length; a stanza's {@code <body/>} and XHTML-IM {@code <html/>} contents become their length. The
 * trace redacts every message on the live path, so this scans with {@code indexOf} instead of regular
 * expressions (a regex compile per SIP request was 5 % of the s2s reader's CPU, issue #29); it gives
 * exactly what the former expressions gave, which {@code BodyRedactionTest} checks against them.
 */
final class BodyRedaction {

    private BodyRedaction() {
    }

    /** As {@code (?im)^(content-type|c)\s*:\s*text/} over the header block, then everything after the first blank line replaced. */
    static String sip(String raw) {
        int blankStart = -1;
        int blankEnd = -1;
        for (int i = raw.indexOf('\n'); i >= 0; i = raw.indexOf('\n', i + 1)) {
            int j = i + 1;
            if (j < raw.length() && raw.charAt(j) == '\r') {
                j++;
            }
            if (j < raw.length() && raw.charAt(j) == '\n') {
                blankStart = i > 0 && raw.charAt(i - 1) == '\r' ? i - 1 : i;
                blankEnd = j + 1;
                break;
            }
        }
        if (blankStart < 0 || blankEnd >= raw.length() || !textContentType(raw, blankStart)) {
            return raw;
        }
        return raw.substring(0, blankEnd) + "[redacted " + (raw.length() - blankEnd) + " chars]";
    }

    /** Whether a line of {@code raw[0, end)} declares a text body: {@code Content-Type} or {@code c}, any case, then {@code : text/}. */
    private static boolean textContentType(String raw, int end) {
        int line = 0;
        while (line < end) {
            int p = startsWithIgnoreCase(raw, line, end, "content-type") ? line + 12 : startsWithIgnoreCase(raw, line, end, "c") ? line + 1 : -1;
            if (p >= 0) {
                p = skipWhitespace(raw, p, end);
                if (p < end && raw.charAt(p) == ':' && startsWithIgnoreCase(raw, skipWhitespace(raw, p + 1, end), end, "text/")) {
                    return true;
                }
            }
            int next = nextLineStart(raw, line, end);
            if (next < 0) {
                return false;
            }
            line = next;
        }
        return false;
    }

    /** Where the line after the one at {@code from} starts (after {@code \n}, or after a {@code \r} not followed by {@code \n}); -1 at the end. */
    private static int nextLineStart(String s, int from, int end) {
        for (int i = from; i < end; i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                return i + 1;
            }
            if (c == '\r' && (i + 1 >= end || s.charAt(i + 1) != '\n') || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return i + 1;
            }
        }
        return -1;
    }

    /** {@code \s} as java.util.regex reads it: space, tab, newline, vertical tab, form feed, carriage return. */
    private static int skipWhitespace(String s, int from, int end) {
        int p = from;
        while (p < end && (s.charAt(p) == ' ' || (s.charAt(p) >= '\t' && s.charAt(p) <= '\r'))) {
            p++;
        }
        return p;
    }

    private static boolean startsWithIgnoreCase(String s, int at, int end, String prefix) {
        return at + prefix.length() <= end && s.regionMatches(true, at, prefix, 0, prefix.length());
    }

    /** As {@code (<body\b[^>]*>)(.*?)(</body>)|(<html\b[^>]*>)(.*?)(</html>)} with DOTALL, every match replaced. */
    static String xml(String xml) {
        StringBuilder out = null;
        int copied = 0;
        int at = xml.indexOf('<');
        while (at >= 0) {
            int end = -1;
            String replacement = null;
            boolean body = xml.startsWith("<body", at);
            if (body || xml.startsWith("<html", at)) {
                String name = body ? "body" : "html";
                int afterName = at + 5;
                int tagEnd = afterName < xml.length() && !isWordChar(xml.codePointAt(afterName)) || afterName == xml.length() ? xml.indexOf('>', afterName) : -1;
                int close = tagEnd < 0 ? -1 : xml.indexOf("</" + name + ">", tagEnd + 1);
                if (close >= 0) {
                    end = close + name.length() + 3;
                    replacement = body ? xml.substring(at, tagEnd + 1) + "[redacted " + (close - tagEnd - 1) + " chars]</body>"
                            : xml.substring(at, tagEnd + 1) + "[redacted html]</html>";
                }
            }
            if (end < 0) {
                at = xml.indexOf('<', at + 1);
                continue;
            }
            if (out == null) {
                out = new StringBuilder(xml.length());
            }
            out.append(xml, copied, at).append(replacement);
            copied = end;
            at = xml.indexOf('<', end);
        }
        return out == null ? xml : out.append(xml, copied, xml.length()).toString();
    }

    /** A word character as JDK 17's {@code \b} reads one after a letter: a letter or digit, {@code _}, or a non-spacing mark. */
    private static boolean isWordChar(int c) {
        return c == '_' || Character.isLetterOrDigit(c) || Character.getType(c) == Character.NON_SPACING_MARK;
    }
}
