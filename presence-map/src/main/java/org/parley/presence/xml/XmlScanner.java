package org.parley.presence.xml;

import org.parley.presence.MappingException;
import org.parley.presence.MappingException.Reason;

/**
 * The document being read and the reader's position in it: character classes and names, whitespace, the markup
 * that is skipped (comments, processing instructions), the check that every character is an XML character,
 * attribute values and references scanned in place, and checked ranges made strings.
 *
 * <p>This is the per-character hot path of every body: it works on a {@code char[]} copy of the document with
 * indices, never on substrings, and its fields are read directly by the other parts of the reader (one final
 * class, no calls that could be dispatched two ways).
 */
final class XmlScanner {

    /** The document's characters (a reused buffer: it may be longer than the document) and the document's length. */
    char[] s;
    int n;
    int pos;

    /** Where the last name scan found its first ':' (offset in the name, -1 none) and how many it found. */
    int nameColon;
    int nameColons;

    /** Start of the last scanned attribute value (after the quote). */
    int valueStart;

    /** Starts on {@code xml}, already copied into {@code chars}; a leading byte order mark is skipped. */
    void reset(String xml, char[] chars) {
        s = chars;
        n = xml.length();
        pos = n > 0 && s[0] == '\uFEFF' ? 1 : 0;
    }

    /** Drops the references to the last document. */
    void clear() {
        s = null;
        n = 0;
    }

    // ---- names and whitespace ------------------------------------------------------------------------

    /** Scans a name at pos, noting its colons in {@link #nameColon} / {@link #nameColons}. */
    void scanName() throws MappingException {
        final char[] chars = s;
        final int limit = Math.min(n, chars.length);
        final int start = pos;
        int p = start;
        int colon = -1;
        int colons = 0;
        while (p < limit) {
            char c = chars[p];
            if (c < 0x80) {
                byte kind = ASCII_NAME_CHARS[c];
                if (kind == NAME_START) {
                    // ':' is a name-start character in XML 1.0; Namespaces make it the prefix separator
                    if (c == ':' && colons++ == 0) {
                        colon = p - start;
                    }
                } else if (kind != NAME_REST || p == start) {
                    break;
                }
            } else if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                break;
            }
            p++;
        }
        if (p == start) {
            throw malformed("expected a name at position " + start);
        }
        pos = p;
        nameColon = colon;
        nameColons = colons;
    }

    static boolean isNameChar(char c, boolean notFirst) {
        if (c >= 0x80) {
            return !Character.isWhitespace(c) && !Character.isISOControl(c);
        }
        byte kind = ASCII_NAME_CHARS[c];
        return kind == NAME_START || (notFirst && kind == NAME_REST);
    }

    /** Whether {@code s[start, start + length)} is {@code xmlns} or {@code xmlns:...}: a declaration, not an attribute. */
    boolean isXmlns(int start, int length) {
        return length >= 5 && s[start] == 'x' && s[start + 1] == 'm' && s[start + 2] == 'l' && s[start + 3] == 'n'
                && s[start + 4] == 's' && (length == 5 || s[start + 5] == ':');
    }

    boolean skipWhitespace() {
        final char[] chars = s;
        final int limit = Math.min(n, chars.length);
        final int start = pos;
        int p = start;
        while (p < limit) {
            char c = chars[p];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                break;
            }
            p++;
        }
        pos = p;
        return p > start;
    }

    // ---- markup ---------------------------------------------------------------------------------------

    boolean startsWith(String prefix) {
        if (pos + prefix.length() > n) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (s[pos + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    int indexOf(String needle, int from) {
        char first = needle.charAt(0);
        for (int i = from, last = n - needle.length(); i <= last; i++) {
            if (s[i] != first) {
                continue;
            }
            int k = 1;
            while (k < needle.length() && s[i + k] == needle.charAt(k)) {
                k++;
            }
            if (k == needle.length()) {
                return i;
            }
        }
        return -1;
    }

    void skipComment() throws MappingException {
        int end = indexOf("-->", pos + 4);
        if (end < 0) {
            throw malformed("unterminated comment");
        }
        pos = end + 3;
    }

    void skipProcessingInstruction() throws MappingException {
        int end = indexOf("?>", pos + 2);
        if (end < 0) {
            throw malformed("unterminated processing instruction");
        }
        pos = end + 2;
    }

    void expect(char c) throws MappingException {
        if (pos >= n || s[pos] != c) {
            throw malformed("expected '" + c + "' at position " + pos);
        }
        pos++;
    }

    // ---- characters and references ---------------------------------------------------------------------

    /** Checks the character (or surrogate pair) at {@code i}. */
    void checkChar(int i) throws MappingException {
        char c = s[i];
        if ((c >= 0x20 && c < 0xD800) || c == '\t' || c == '\n' || c == '\r' || (c >= 0xE000 && c <= 0xFFFD)) {
            return;
        }
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s[i + 1])) {
            return;
        }
        throw malformed(String.format("character U+%04X is not allowed in XML", (int) c));
    }

    void checkChars(int from, int to) throws MappingException {
        for (int i = from; i < to; i++) {
            char c = s[i];
            if (c >= 0x20 && c < 0xD800) {
                continue;
            }
            if (c == '\t' || c == '\n' || c == '\r' || (c >= 0xE000 && c <= 0xFFFD)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s[i + 1])) {
                i++;
                continue;
            }
            throw malformed(String.format("character U+%04X is not allowed in XML", (int) c));
        }
    }

    /** Checks the reference {@code &...;} at {@code at} and returns the position after its ';'. */
    int referenceEnd(int at) throws MappingException {
        int semi = -1;
        for (int i = at + 1; i < n && i - at <= 12; i++) {
            if (s[i] == ';') {
                semi = i;
                break;
            }
        }
        if (semi < 0) {
            throw malformed("unterminated entity reference");
        }
        reference(at, semi + 1);
        return semi + 1;
    }

    /**
     * The replacement of the reference {@code s[at, end)} ('&' to ';'). Its name is copied out only here, where a
     * reference is met: keeping the document as a string beside {@link #s} would cost a reference store per body.
     */
    private String reference(int at, int end) throws MappingException {
        String name = new String(s, at + 1, end - at - 2);
        return CharacterReferences.xml(name, 0, name.length());
    }

    /** Scans a quoted value; pos ends after the closing quote. Returns whether it is plain (no reference, no whitespace to normalise). */
    boolean scanAttributeValue() throws MappingException {
        if (pos >= n) {
            throw malformed("unexpected end of document in attribute value");
        }
        char quote = s[pos];
        if (quote != '"' && quote != '\'') {
            throw malformed("attribute value not quoted");
        }
        valueStart = pos + 1;
        boolean plain = true;
        // locals, not fields, in the per-character loops: the JIT keeps them in registers
        final char[] chars = s;
        final int limit = Math.min(n, chars.length);
        int p = valueStart;
        while (true) {
            if (p >= limit) {
                throw malformed("unterminated attribute value");
            }
            char c = chars[p];
            if (c == quote) {
                break;
            }
            if (c >= 0x20 && c < 0xD800 && c != '&' && c != '<') {
                p++;
                continue;
            }
            if (c == '<') {
                throw malformed("'<' in attribute value");
            }
            if (c == '&') {
                plain = false;
                p = referenceEnd(p);
            } else if (c == '\t' || c == '\n' || c == '\r') {
                plain = false;
                p++;
            } else {
                checkChar(p);
                p += Character.isHighSurrogate(c) ? 2 : 1;
            }
        }
        pos = p + 1; // after the closing quote
        return plain;
    }

    // ---- strings ----------------------------------------------------------------------------------------

    /**
     * {@code s[from, to)} with references resolved and line ends normalised: in an attribute every
     * literal tab, line feed or CR (CRLF as one) becomes a space; in text a CR or CRLF becomes a line
     * feed. Only called on ranges the scan has checked.
     */
    String decode(int from, int to, boolean attribute) throws MappingException {
        StringBuilder out = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            char c = s[i];
            if (c == '&') {
                int end = referenceEnd(i);
                out.append(reference(i, end));
                i = end;
                continue;
            }
            if (c == '\r') {
                out.append(attribute ? ' ' : '\n');
                i += (i + 1 < to && s[i + 1] == '\n') ? 2 : 1;
                continue;
            }
            out.append(attribute && (c == '\t' || c == '\n') ? ' ' : c);
            i++;
        }
        return out.toString();
    }

    /** A scanned attribute or declaration value {@code s[from, to)} as a string. */
    String value(int from, int to, boolean plain) throws MappingException {
        return plain ? shared(from, to - from) : decode(from, to, true);
    }

    /** s[start, end) with CR and CRLF as line feeds (XML 1.0 §2.11); for CDATA and for {@link ElementText}. */
    String normalisedLineEnds(int start, int end) {
        StringBuilder b = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = s[i];
            if (c == '\r') {
                b.append('\n');
                if (i + 1 < end && s[i + 1] == '\n') {
                    i++;
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The known shared string for s[start, start + length), else a new one. */
    String shared(int start, int length) {
        String known = KnownStrings.lookup(s, start, length);
        return known != null ? known : new String(s, start, length);
    }

    /** A new string of s[start, start + length). */
    String string(int start, int length) {
        return new String(s, start, length);
    }

    /** Whether {@code s} holds {@code p} at {@code start}; compares in place. */
    boolean sameChars(String p, int start) {
        for (int i = 0; i < p.length(); i++) {
            if (s[start + i] != p.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static MappingException malformed(String what) {
        return new MappingException(Reason.MALFORMED_BODY, "malformed XML: " + what);
    }

    private static final byte NAME_START = 1;
    private static final byte NAME_REST = 2;
    /** ASCII name characters: one array read instead of six range checks per character. Never written after init. */
    private static final byte[] ASCII_NAME_CHARS = asciiNameChars();

    private static byte[] asciiNameChars() {
        byte[] kinds = new byte[128];
        for (char c = 0; c < 128; c++) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':') {
                kinds[c] = NAME_START;
            } else if ((c >= '0' && c <= '9') || c == '-' || c == '.') {
                kinds[c] = NAME_REST;
            }
        }
        return kinds;
    }
}
