package org.parley.presence.xml;

import java.util.Arrays;
import org.parley.presence.MappingException;

/**
 * The namespace declarations in scope (XML Namespaces 1.0): a stack of prefix → URI, innermost last, that a start
 * tag's {@code xmlns} attributes push onto and its end tag pops back to the mark taken at the start. Prefixes are
 * looked up as ranges of the document, compared in place.
 */
final class NamespaceScope {

    private final XmlScanner doc;
    private String[] prefixes = new String[8];
    private String[] uris = new String[8];
    /** How many declarations are in scope: also the mark a start tag takes before its own. */
    int count;
    /** The most declarations this document has had in scope: what {@link #clear} clears. */
    private int high;

    NamespaceScope(XmlScanner doc) {
        this.doc = doc;
    }

    /**
     * Declares {@code xmlns} or {@code xmlns:p}, the attribute name {@code doc[start, start + length)}, with the
     * value {@code doc[valueStart, valueEnd)}; a prefix declared twice since {@code mark} (in one tag) is refused.
     */
    void declare(int mark, int start, int length, int valueStart, int valueEnd, boolean plain) throws MappingException {
        String prefix = length == 5 ? "" : doc.shared(start + 6, length - 6);
        for (int i = mark; i < count; i++) {
            if (prefixes[i].equals(prefix)) {
                throw XmlScanner.malformed("duplicate namespace declaration " + doc.string(start, length));
            }
        }
        if (count == prefixes.length) {
            prefixes = Arrays.copyOf(prefixes, count * 2);
            uris = Arrays.copyOf(uris, count * 2);
        }
        prefixes[count] = prefix;
        uris[count++] = doc.value(valueStart, valueEnd, plain);
        if (count > high) {
            high = count;
        }
    }

    /**
     * Puts the default namespace of the document's context in scope before its root, as an XMPP stream's
     * {@code xmlns} is in scope for each stanza read on its own: called right after a reset, when nothing is declared.
     */
    void inheritDefault(String uri) {
        prefixes[0] = "";
        uris[0] = uri;
        count = 1;
        if (high < 1) {
            high = 1;
        }
    }

    /** The namespace bound to the prefix {@code doc[start, start + length)} ("" for none), or {@code null}. */
    String lookup(int start, int length) {
        char[] s = doc.s;
        if (length == 3 && s[start] == 'x' && s[start + 1] == 'm' && s[start + 2] == 'l') {
            return XmlElement.XML_NS;
        }
        for (int i = count - 1; i >= 0; i--) {
            String p = prefixes[i];
            if (p.length() == length && doc.sameChars(p, start)) {
                return uris[i];
            }
        }
        return length == 0 ? "" : null;
    }

    /**
     * Drops the last document's strings: only the slots it used (clearing whole arrays was 1-2 % of a categories
     * translation), or all of them after a refusal, which may have come before a slot was counted.
     */
    void clear(boolean all) {
        int used = all ? prefixes.length : high;
        Arrays.fill(prefixes, 0, used, null);
        Arrays.fill(uris, 0, used, null);
        high = 0;
        count = 0;
    }
}
