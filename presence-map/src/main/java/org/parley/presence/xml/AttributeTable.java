package org.parley.presence.xml;

import java.util.Arrays;
import org.parley.presence.MappingException;

/**
 * The attributes of the current start tag, {@code xmlns} declarations and {@code xml:lang} excluded: their names
 * bound to namespaces and checked unique, their values ranges of the document that become strings only when asked
 * for (a codec reads a few of them; most are never made strings, and the ones it only compares are compared in
 * place).
 */
final class AttributeTable {

    private final XmlScanner doc;
    /** Attributes of the current start tag. */
    int count;
    /** Local names as ranges of the document (compared in place), made strings only when asked for. */
    private int[] localStarts = new int[8];
    private int[] localLengths = new int[8];
    private String[] locals = new String[8];
    private String[] namespaces = new String[8];
    private int[] valueStarts = new int[8];
    private int[] valueEnds = new int[8];
    private boolean[] valuePlain = new boolean[8];
    private String[] valueStrings = new String[8];
    /**
     * While a start tag is read: where each attribute's qualified name has its colon (-1 none, -2 several). The
     * attributes go straight into the arrays above (qualified name as the local range until prefixes resolve).
     */
    private int[] colons = new int[8];
    /** The most attributes one tag of this document has had: what {@link #clear} clears. */
    private int high;

    AttributeTable(XmlScanner doc) {
        this.doc = doc;
    }

    /**
     * Adds the tag's attribute {@code i} as scanned: qualified name {@code doc[start, start + length)} with its colon
     * at {@code colon}, value {@code doc[valueStart, valueEnd)}, plain when it holds nothing to decode.
     */
    void add(int i, int start, int length, int colon, int valueStart, int valueEnd, boolean plain) {
        if (i == localStarts.length) {
            grow();
        }
        localStarts[i] = start;
        localLengths[i] = length;
        colons[i] = colon;
        locals[i] = null;
        namespaces[i] = colon == -1 ? "" : null;
        valueStarts[i] = valueStart;
        valueEnds[i] = valueEnd;
        valuePlain[i] = plain;
        valueStrings[i] = null;
    }

    /** No attribute has a prefix (the usual tag): names need no resolving, only to be unique. */
    void requireUniqueNames(int qStart, int qLength, int added) throws MappingException {
        noteHigh(added);
        final char[] s = doc.s;
        for (int a = 1; a < added; a++) {
            int start = localStarts[a];
            int length = localLengths[a];
            for (int i = 0; i < a; i++) {
                if (localLengths[i] == length && Arrays.equals(s, localStarts[i], localStarts[i] + length, s, start, start + length)) {
                    throw duplicate(start, length, qStart, qLength);
                }
            }
        }
        count = added;
    }

    /**
     * Some attribute has a prefix: binds each to its namespace in {@code scope} (declarations anywhere in the tag
     * count), takes {@code xml:lang} out of the list and returns its value ({@code null} if the tag has none), and
     * checks that no two share a namespace and local name. In place: entry {@code a} is read whole before entry
     * {@code kept <= a} is written.
     */
    String resolve(int qStart, int qLength, int added, NamespaceScope scope) throws MappingException {
        noteHigh(added);
        final char[] s = doc.s;
        int kept = 0;
        String lang = null;
        for (int a = 0; a < added; a++) {
            int start = localStarts[a];
            int length = localLengths[a];
            int c = colons[a];
            int vs = valueStarts[a];
            int ve = valueEnds[a];
            boolean plain = valuePlain[a];
            int localStart = start;
            int localLength = length;
            String ns;
            if (c == -1) {
                ns = "";
            } else {
                if (c < 1 || c == length - 1) {
                    throw XmlScanner.malformed("invalid attribute name '" + doc.string(start, length) + "'");
                }
                localStart = start + c + 1;
                localLength = length - c - 1;
                ns = scope.lookup(start, c);
                if (ns == null) {
                    throw XmlScanner.malformed("unbound attribute prefix in '" + doc.string(start, length) + "'");
                }
            }
            for (int i = 0; i < kept; i++) {
                if (localLengths[i] == localLength && namespaces[i].equals(ns)
                        && Arrays.equals(s, localStarts[i], localStarts[i] + localLength, s, localStart, localStart + localLength)) {
                    throw duplicate(start, length, qStart, qLength);
                }
            }
            if (c > 0 && localLength == 4 && ns.equals(XmlElement.XML_NS) && doc.sameChars("lang", localStart)) {
                if (lang != null) {
                    throw duplicate(start, length, qStart, qLength);
                }
                lang = doc.value(vs, ve, plain);
                continue;
            }
            localStarts[kept] = localStart;
            localLengths[kept] = localLength;
            locals[kept] = null;
            namespaces[kept] = ns;
            valueStarts[kept] = vs;
            valueEnds[kept] = ve;
            valuePlain[kept] = plain;
            valueStrings[kept++] = null;
        }
        count = kept;
        return lang;
    }

    String localName(int i) {
        String local = locals[i];
        if (local == null) {
            local = doc.shared(localStarts[i], localLengths[i]);
            locals[i] = local;
        }
        return local;
    }

    String namespace(int i) {
        return namespaces[i];
    }

    /** The value of attribute {@code i}, references resolved and whitespace normalised (XML 1.0 §3.3.3). */
    String value(int i) throws MappingException {
        String v = valueStrings[i];
        if (v == null) {
            v = valuePlain[i] ? doc.shared(valueStarts[i], valueEnds[i] - valueStarts[i]) : doc.decode(valueStarts[i], valueEnds[i], true);
            valueStrings[i] = v;
        }
        return v;
    }

    /**
     * The value of the attribute with this local name, or {@code null}; when two namespaces share a local name, the
     * later attribute wins. Lookup and value in one method: a codec calls it for a few names per element, and one
     * call (rather than a lookup and then a value) is what the JIT inlines whole.
     */
    String valueOf(String local) throws MappingException {
        for (int i = count - 1; i >= 0; i--) {
            if (localLengths[i] == local.length() && doc.sameChars(local, localStarts[i])) {
                return value(i);
            }
        }
        return null;
    }

    /**
     * Whether the attribute with this local name has the value {@code expected}; compares in place (no string made)
     * when the value is plain.
     */
    boolean hasValue(String local, String expected) throws MappingException {
        for (int i = count - 1; i >= 0; i--) {
            if (localLengths[i] == local.length() && doc.sameChars(local, localStarts[i])) {
                if (valuePlain[i]) {
                    return valueEnds[i] - valueStarts[i] == expected.length() && doc.sameChars(expected, valueStarts[i]);
                }
                return expected.equals(value(i));
            }
        }
        return false;
    }

    /** Drops the last document's strings: the slots it used, or all after a refusal (which may not have counted them). */
    void clear(boolean all) {
        int used = all ? valueStrings.length : high;
        Arrays.fill(valueStrings, 0, used, null);
        Arrays.fill(locals, 0, used, null);
        Arrays.fill(namespaces, 0, used, null);
        high = 0;
        count = 0;
    }

    private void noteHigh(int added) {
        if (added > high) {
            high = added;
        }
    }

    private MappingException duplicate(int start, int length, int qStart, int qLength) {
        return XmlScanner.malformed("duplicate attribute '" + doc.string(start, length) + "' on <" + doc.string(qStart, qLength) + ">");
    }

    private void grow() {
        int size = localStarts.length * 2;
        localStarts = Arrays.copyOf(localStarts, size);
        localLengths = Arrays.copyOf(localLengths, size);
        colons = Arrays.copyOf(colons, size);
        locals = Arrays.copyOf(locals, size);
        namespaces = Arrays.copyOf(namespaces, size);
        valueStarts = Arrays.copyOf(valueStarts, size);
        valueEnds = Arrays.copyOf(valueEnds, size);
        valuePlain = Arrays.copyOf(valuePlain, size);
        valueStrings = Arrays.copyOf(valueStrings, size);
    }
}
