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
    /**
     * Per attribute {@link #STRIDE} ints from {@code i * STRIDE}, at the offsets below. One array, not six: a tag's
     * attributes are written and looked up on every body, and each array costs its own load and bounds check.
     */
    private int[] slots = new int[8 * STRIDE];
    /** The local name, a range of the document compared in place (the qualified name until prefixes resolve). */
    private static final int LOCAL_START = 0;
    private static final int LOCAL_LENGTH = LOCAL_START + 1;
    /** While the tag is read: where the qualified name has its colon (-1 none, -2 several). */
    private static final int COLON = LOCAL_LENGTH + 1;
    /** The value's range, and 1 if it is plain (no reference, no whitespace to normalise). */
    private static final int VALUE_START = COLON + 1;
    private static final int VALUE_END = VALUE_START + 1;
    private static final int PLAIN = VALUE_END + 1;
    private static final int STRIDE = PLAIN + 1;
    /** Local names, namespaces and values made strings, by attribute; {@code null} until asked for. */
    private String[] locals = new String[8];
    private String[] namespaces = new String[8];
    private String[] valueStrings = new String[8];
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
        int at = i * STRIDE;
        if (at == slots.length) {
            grow();
        }
        final int[] a = slots;
        a[at + LOCAL_START] = start;
        a[at + LOCAL_LENGTH] = length;
        a[at + COLON] = colon;
        a[at + VALUE_START] = valueStart;
        a[at + VALUE_END] = valueEnd;
        a[at + PLAIN] = plain ? 1 : 0;
        locals[i] = null;
        namespaces[i] = colon == -1 ? "" : null;
        valueStrings[i] = null;
    }

    /** No attribute has a prefix (the usual tag): names need no resolving, only to be unique. */
    void requireUniqueNames(int qStart, int qLength, int added) throws MappingException {
        noteHigh(added);
        final char[] s = doc.s;
        final int[] a = slots;
        for (int at = STRIDE, end = added * STRIDE; at < end; at += STRIDE) {
            int start = a[at + LOCAL_START];
            int length = a[at + LOCAL_LENGTH];
            for (int other = 0; other < at; other += STRIDE) {
                int otherStart = a[other + LOCAL_START];
                if (a[other + LOCAL_LENGTH] == length && Arrays.equals(s, otherStart, otherStart + length, s, start, start + length)) {
                    throw duplicate(start, length, qStart, qLength);
                }
            }
        }
        count = added;
    }

    /**
     * Some attribute has a prefix: binds each to its namespace in {@code scope} (declarations anywhere in the tag
     * count), takes {@code xml:lang} out of the list and returns its value ({@code null} if the tag has none), and
     * checks that no two share a namespace and local name. In place: entry {@code i} is read whole before entry
     * {@code kept <= i} is written.
     */
    String resolve(int qStart, int qLength, int added, NamespaceScope scope) throws MappingException {
        noteHigh(added);
        final char[] s = doc.s;
        final int[] a = slots;
        int kept = 0;
        String lang = null;
        for (int i = 0; i < added; i++) {
            int at = i * STRIDE;
            int start = a[at + LOCAL_START];
            int length = a[at + LOCAL_LENGTH];
            int c = a[at + COLON];
            int vs = a[at + VALUE_START];
            int ve = a[at + VALUE_END];
            int plain = a[at + PLAIN];
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
            for (int k = 0; k < kept; k++) {
                int otherStart = a[k * STRIDE + LOCAL_START];
                if (a[k * STRIDE + LOCAL_LENGTH] == localLength && namespaces[k].equals(ns)
                        && Arrays.equals(s, otherStart, otherStart + localLength, s, localStart, localStart + localLength)) {
                    throw duplicate(start, length, qStart, qLength);
                }
            }
            if (c > 0 && localLength == 4 && ns.equals(XmlElement.XML_NS) && doc.sameChars("lang", localStart)) {
                if (lang != null) {
                    throw duplicate(start, length, qStart, qLength);
                }
                lang = doc.value(vs, ve, plain != 0);
                continue;
            }
            int to = kept * STRIDE;
            a[to + LOCAL_START] = localStart;
            a[to + LOCAL_LENGTH] = localLength;
            a[to + VALUE_START] = vs;
            a[to + VALUE_END] = ve;
            a[to + PLAIN] = plain;
            locals[kept] = null;
            namespaces[kept] = ns;
            valueStrings[kept++] = null;
        }
        count = kept;
        return lang;
    }

    String localName(int i) {
        String local = locals[i];
        if (local == null) {
            local = doc.shared(slots[i * STRIDE + LOCAL_START], slots[i * STRIDE + LOCAL_LENGTH]);
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
            int at = i * STRIDE;
            int start = slots[at + VALUE_START];
            int end = slots[at + VALUE_END];
            v = slots[at + PLAIN] != 0 ? doc.shared(start, end - start) : doc.decode(start, end, true);
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
        int i = last(local);
        return i < 0 ? null : value(i);
    }

    /**
     * Whether the attribute with this local name has the value {@code expected}; compares in place (no string made)
     * when the value is plain.
     */
    boolean hasValue(String local, String expected) throws MappingException {
        int i = last(local);
        if (i < 0) {
            return false;
        }
        int at = i * STRIDE;
        if (slots[at + PLAIN] != 0) {
            int start = slots[at + VALUE_START];
            return slots[at + VALUE_END] - start == expected.length() && doc.sameChars(expected, start);
        }
        return expected.equals(value(i));
    }

    /** The index of the last attribute with this local name, or -1. */
    private int last(String local) {
        final int[] a = slots;
        final int length = local.length();
        for (int i = count - 1; i >= 0; i--) {
            int at = i * STRIDE;
            if (a[at + LOCAL_LENGTH] == length && doc.sameChars(local, a[at + LOCAL_START])) {
                return i;
            }
        }
        return -1;
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
        int size = locals.length * 2;
        slots = Arrays.copyOf(slots, size * STRIDE);
        locals = Arrays.copyOf(locals, size);
        namespaces = Arrays.copyOf(namespaces, size);
        valueStrings = Arrays.copyOf(valueStrings, size);
    }
}
