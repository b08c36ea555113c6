package org.parley.presence.xml;

import org.parley.presence.MappingException;

/**
 * The current run of character data (a TEXT event): a range of the document, checked when scanned and made a
 * string only when asked for. Plain means no reference and no CR, so one copy makes the string.
 */
final class CharacterData {

    private final XmlScanner doc;
    int start;
    int end;
    private boolean plain;
    private boolean cdata;
    /** Whitespace outside CDATA: indentation, usually, which {@link ElementText} keeps as offsets. */
    boolean space;

    CharacterData(XmlScanner doc) {
        this.doc = doc;
    }

    /** Scans character data from the position up to the next '<' (or the end). */
    void scanText() throws MappingException {
        final XmlScanner d = doc;
        final char[] s = d.s;
        final int n = d.n;
        int pos = d.pos;
        int from = pos;
        boolean plainSoFar = true;
        while (pos < n && (s[pos] == ' ' || s[pos] == '\n' || s[pos] == '\t' || s[pos] == '\r')) {
            plainSoFar &= s[pos] != '\r';
            pos++;
        }
        boolean spaceOnly = pos == n || s[pos] == '<';
        while (pos < n) {
            char c = s[pos];
            if (c == '<') {
                break;
            }
            if (c == '&') {
                plainSoFar = false;
                pos = d.referenceEnd(pos);
                continue;
            }
            if (c == '\r') {
                plainSoFar = false;
            } else if (c == '>' && pos >= 2 && s[pos - 1] == ']' && s[pos - 2] == ']') {
                throw XmlScanner.malformed("']]>' in text");
            } else if ((c < 0x20 && c != '\t' && c != '\n') || c >= 0xD800) {
                d.checkChar(pos);
                if (Character.isHighSurrogate(c)) {
                    pos++;
                }
            }
            pos++;
        }
        d.pos = pos;
        set(from, pos, plainSoFar, false, spaceOnly);
    }

    /** Scans the CDATA section at the position ({@code <![CDATA[}). */
    void scanCdata() throws MappingException {
        final XmlScanner d = doc;
        int from = d.pos + 9;
        int to = d.indexOf("]]>", from);
        if (to < 0) {
            throw XmlScanner.malformed("unterminated CDATA section");
        }
        d.checkChars(from, to);
        boolean plainSoFar = true;
        for (int i = from; i < to && plainSoFar; i++) {
            plainSoFar = d.s[i] != '\r';
        }
        d.pos = to + 3;
        set(from, to, plainSoFar, true, false);
    }

    private void set(int from, int to, boolean plainRun, boolean cdataRun, boolean spaceOnly) {
        start = from;
        end = to;
        plain = plainRun;
        cdata = cdataRun;
        space = spaceOnly;
    }

    /** The run as a string (references resolved, line ends normalised). */
    String text() throws MappingException {
        if (cdata) {
            // no references in CDATA: '&' is a character there
            return plain ? doc.string(start, end - start) : doc.normalisedLineEnds(start, end);
        }
        if (plain) {
            return doc.string(start, end - start);
        }
        return doc.decode(start, end, false);
    }
}
