package org.parley.presence.xml;

import java.util.Arrays;
import org.parley.presence.MappingException;

/**
 * The elements open at the reader's position, root at depth 1: per depth the qualified name (a range of the
 * document, which its end tag must repeat), the namespace mark to pop back to at that end tag, and the
 * {@code xml:lang} in scope. The depth itself is the reader's, passed in: it is read on every event, and a field of
 * the reader is one load closer than a field of this.
 */
final class OpenElements {

    /** Depths the arrays have room for before they first grow: bodies nest a few levels. */
    private static final int INITIAL_DEPTHS = 8;

    private final XmlScanner doc;
    /** The deepest this document went: what {@link #clear} clears. */
    private int high;
    /** Per depth, index 0 unused. */
    private int[] qnameStarts;
    private int[] qnameLengths;
    private int[] declarationMarks;
    private String[] langs;

    OpenElements(XmlScanner doc) {
        this.doc = doc;
        qnameStarts = new int[INITIAL_DEPTHS];
        qnameLengths = new int[INITIAL_DEPTHS];
        declarationMarks = new int[INITIAL_DEPTHS];
        langs = new String[INITIAL_DEPTHS];
    }

    /** Opens the element {@code doc[qStart, qStart + qLength)} at {@code depth}, inheriting its parent's language. */
    void push(int depth, int qStart, int qLength, int mark) {
        if (depth == qnameStarts.length) {
            int size = depth * 2;
            qnameStarts = Arrays.copyOf(qnameStarts, size);
            qnameLengths = Arrays.copyOf(qnameLengths, size);
            declarationMarks = Arrays.copyOf(declarationMarks, size);
            langs = Arrays.copyOf(langs, size);
        }
        qnameStarts[depth] = qStart;
        qnameLengths[depth] = qLength;
        declarationMarks[depth] = mark;
        langs[depth] = depth == 1 ? "" : langs[depth - 1];
        if (depth > high) {
            high = depth;
        }
    }

    /** The namespace mark the element at {@code depth} was opened with: where its end tag pops the scope back to. */
    int mark(int depth) {
        return declarationMarks[depth];
    }

    /** The {@code xml:lang} in scope at depth {@code d}, {@code null} when no element was opened there. */
    String lang(int d) {
        return langs[d];
    }

    /** Sets the own {@code xml:lang} of the element at {@code depth}. */
    void setLang(int depth, String lang) {
        langs[depth] = lang;
    }

    /** The qualified name of the element open at depth {@code d}, for messages. */
    String qname(int d) {
        return doc.string(qnameStarts[d], qnameLengths[d]);
    }

    /** Matches {@code qname>} of the element at {@code depth} (optional whitespace before '>') at the position, after {@code </}. */
    void matchEndTag(int depth) throws MappingException {
        final char[] s = doc.s;
        final int n = doc.n;
        int pos = doc.pos;
        int qStart = qnameStarts[depth];
        int len = qnameLengths[depth];
        boolean same = pos + len <= n && Arrays.equals(s, pos, pos + len, s, qStart, qStart + len);
        if (!same || (pos + len < n && XmlScanner.isNameChar(s[pos + len], true))) {
            int start = pos;
            int end = start;
            while (end < n && end - start < 64 && XmlScanner.isNameChar(s[end], end > start)) {
                end++;
            }
            throw XmlScanner.malformed("end tag </" + doc.string(start, Math.max(end - start, Math.min(8, n - start)))
                    + "> does not match <" + qname(depth) + ">");
        }
        doc.pos = pos + len;
        doc.skipWhitespace();
        doc.expect('>');
    }

    /** Drops the last document's languages: the depths it used, or all after a refusal (which may not have counted them). */
    void clear(boolean all) {
        Arrays.fill(langs, 0, all ? langs.length : high + 1, null);
        high = 0;
    }
}
