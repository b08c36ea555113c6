package org.parley.presence.xml;

import java.util.Arrays;
import org.parley.presence.MappingException;
import org.parley.presence.MappingException.Reason;

/**
 * A strict, non-validating XML 1.0 + Namespaces pull reader for one untrusted body: the tokenizer
 * behind {@link SafeXmlParser}, usable directly by a codec that reads a few known elements and
 * needs no tree (the msrtc categories codec: building the tree was most of a translation's cost).
 *
 * <p>Safety is the reader's, not the caller's: any {@code <!DOCTYPE>} or other markup declaration
 * is refused ({@link Reason#FORBIDDEN_XML}); only the five predefined entities and character
 * references are read; depth and element count are capped ({@link XmlLimits}); tags must match,
 * there is one root, characters are XML characters, prefixes are bound, attributes unique.
 * Comments and processing instructions are skipped. Every failure is a {@link MappingException}.
 *
 * <p>Attribute values and character data are checked while scanning but become strings only when
 * asked for, so unread values cost nothing. A reader is obtained from
 * {@link SafeXmlParser#read(String, SafeXmlParser.Reading)}, is valid only inside that call and is
 * not thread-safe.
 */
public final class XmlReader {

    /** What {@link #next()} stopped at. */
    public enum Event {
        /** A start tag (or an empty-element tag, followed by its {@link #END}). */
        START,
        /** An end tag. */
        END,
        /** A run of character data up to the next markup, or one CDATA section. */
        TEXT,
        /** The end of the document, after the root element and anything allowed to follow it. */
        END_DOCUMENT
    }

    private char[] s;
    private int n;
    private XmlLimits limits;
    private int pos;
    private int elements;
    private boolean rootSeen;
    private boolean finished;
    private boolean selfClosedPending;
    /** The reader has refused the document: reading on would report a later, misleading error. */
    private boolean failed;

    /** Open elements: depth 1 is the root. Per depth: the qualified name's range, namespace mark, language. */
    private int depth;
    private int[] qnameStarts = new int[8];
    private int[] qnameLengths = new int[8];
    private int[] declarationMarks = new int[8];
    private String[] langs = new String[8];

    /** In-scope namespace declarations, innermost last. */
    private String[] declaredPrefixes = new String[8];
    private String[] declaredUris = new String[8];
    private int declaredCount;

    /** The most declarations, attributes of one tag and depth this document has used: what {@link #clear} clears. */
    private int declaredHigh;
    private int attributesHigh;
    private int depthHigh;

    /** The current event. */
    private Event event;
    private int eventDepth;
    private String namespace;
    /** The element's local name as a range of {@link #s}; a string only once asked for. */
    private int localStart;
    private int localLength;
    private String localName;

    /** Attributes of the current start tag (xmlns and xml:lang excluded); values are ranges of {@link #s}. */
    private int attributeCount;
    /** Local names as ranges of {@link #s} (compared in place), made strings only when asked for. */
    private int[] localStarts = new int[8];
    private int[] localLengths = new int[8];
    private String[] attributeLocals = new String[8];
    private String[] attributeNamespaces = new String[8];
    private int[] valueStarts = new int[8];
    private int[] valueEnds = new int[8];
    private boolean[] valuePlain = new boolean[8];
    private String[] valueStrings = new String[8];
    /**
     * While a start tag is read: where each attribute's qualified name has its colon (-1 none, -2 several). The
     * attributes go straight into the arrays above (qualified name as the local range until prefixes resolve).
     */
    private int[] attributeColons = new int[8];

    /** The current text: a range of {@link #s}; plain means no reference and no CR (one copy makes the string). */
    private int textStart;
    private int textEnd;
    private boolean textPlain;
    private boolean textCdata;
    private boolean textSpace;

    /** Where the last name scan found its first ':' (offset in the name, -1 none) and how many it found. */
    private int nameColon;
    private int nameColons;

    /** Reads {@code xml}, already copied into {@code chars} (which may be longer). */
    XmlReader(String xml, char[] chars, XmlLimits limits) {
        reset(xml, chars, limits);
    }

    /**
     * Starts over on another document, keeping the scratch arrays: a reader is reused per thread
     * because allocating its arrays for every body cost more than the scan of a small one.
     */
    void reset(String xml, char[] chars, XmlLimits limits) {
        this.s = chars;
        this.n = xml.length();
        this.limits = limits;
        pos = n > 0 && s[0] == '\uFEFF' ? 1 : 0;
        elements = 0;
        rootSeen = false;
        finished = false;
        selfClosedPending = false;
        failed = false;
        depth = 0;
        declaredCount = 0;
        event = null;
        eventDepth = 0;
        namespace = "";
        localName = null;
        localLength = 0;
        attributeCount = 0;
    }

    /** Drops the references to the last document's strings and buffer (the reader itself is kept). */
    void clear() {
        s = null;
        n = 0;
        if (failed) {
            // refused inside a tag, before its slots were counted: clear everything
            declaredHigh = declaredPrefixes.length;
            attributesHigh = valueStrings.length;
            depthHigh = langs.length - 1;
        }
        // only the slots this document used: clearing the whole arrays was 1-2 % of a categories translation
        Arrays.fill(declaredPrefixes, 0, declaredHigh, null);
        Arrays.fill(declaredUris, 0, declaredHigh, null);
        Arrays.fill(valueStrings, 0, attributesHigh, null);
        Arrays.fill(attributeLocals, 0, attributesHigh, null);
        Arrays.fill(attributeNamespaces, 0, attributesHigh, null);
        Arrays.fill(langs, 0, depthHigh + 1, null);
        declaredHigh = 0;
        attributesHigh = 0;
        depthHigh = 0;
    }

    /** Moves to the next start tag, end tag, character data or the end of the document. */
    public Event next() throws MappingException {
        try {
            return advance();
        } catch (MappingException e) {
            failed = true;
            throw e;
        }
    }

    private Event advance() throws MappingException {
        if (selfClosedPending) {
            selfClosedPending = false;
            return end();
        }
        if (finished) {
            return event = Event.END_DOCUMENT;
        }
        while (true) {
            if (depth == 0) {
                skipWhitespace();
                if (pos >= n) {
                    if (!rootSeen) {
                        throw malformed("no root element");
                    }
                    finished = true;
                    return event = Event.END_DOCUMENT;
                }
                if (s[pos] != '<') {
                    throw malformed("text outside the root element");
                }
                if (startsWith("<?")) {
                    skipProcessingInstruction();
                } else if (startsWith("<!--")) {
                    skipComment();
                } else if (startsWith("<!")) {
                    throw new MappingException(Reason.FORBIDDEN_XML, "DTDs are not accepted in bodies");
                } else if (rootSeen) {
                    throw malformed("content after the root element");
                } else {
                    rootSeen = true;
                    return startTag();
                }
                continue;
            }
            if (pos >= n) {
                throw malformed("unexpected end of document inside <" + qname(depth) + ">");
            }
            if (s[pos] != '<') {
                return scanText();
            }
            char next = pos + 1 < n ? s[pos + 1] : 0;
            if (next == '/') {
                pos += 2;
                endTag();
                return end();
            } else if (next == '!') {
                if (startsWith("<!--")) {
                    skipComment();
                } else if (startsWith("<![CDATA[")) {
                    return cdata();
                } else {
                    throw new MappingException(Reason.FORBIDDEN_XML, "DTDs are not accepted in bodies");
                }
            } else if (next == '?') {
                skipProcessingInstruction();
            } else {
                if (depth >= limits.maxDepth()) {
                    throw new MappingException(Reason.TOO_LARGE, "nesting deeper than " + limits.maxDepth());
                }
                return startTag();
            }
        }
    }

    /** The current event. */
    public Event event() {
        return event;
    }

    /** Depth of the element the current START or END belongs to (the root is 1); for TEXT, of its parent. */
    public int depth() {
        return eventDepth;
    }

    /** Namespace of the current START's element ("" for none). */
    public String namespace() {
        return namespace;
    }

    /** Local name of the current START's element. */
    public String localName() {
        if (localName == null) {
            localName = shared(localStart, localLength);
        }
        return localName;
    }

    /** Whether the current START's element is {@code {ns}local}; compares in place, no string made. */
    public boolean is(String ns, String local) {
        return local.length() == localLength && sameChars(local, localStart) && namespace.equals(ns);
    }

    /** The {@code xml:lang} in scope at the current START ("" if none). */
    public String lang() {
        String lang = langs[eventDepth];
        return lang == null ? "" : lang;
    }

    /** Attributes of the current START, {@code xmlns} declarations and {@code xml:lang} excluded. */
    public int attributeCount() {
        return attributeCount;
    }

    public String attributeLocalName(int i) {
        String local = attributeLocals[i];
        if (local == null) {
            local = shared(localStarts[i], localLengths[i]);
            attributeLocals[i] = local;
        }
        return local;
    }

    public String attributeNamespace(int i) {
        return attributeNamespaces[i];
    }

    /** The value of attribute {@code i}, entities resolved and whitespace normalised (XML 1.0 §3.3.3). */
    public String attributeValue(int i) throws MappingException {
        String v = valueStrings[i];
        if (v == null) {
            v = valuePlain[i] ? shared(valueStarts[i], valueEnds[i] - valueStarts[i]) : decode(valueStarts[i], valueEnds[i], true);
            valueStrings[i] = v;
        }
        return v;
    }

    /**
     * The value of the attribute with this local name on the current START, or {@code null}. When two
     * namespaces share a local name ({@code type} and {@code xsi:type}) the later attribute wins.
     */
    public String attribute(String local) throws MappingException {
        for (int i = attributeCount - 1; i >= 0; i--) {
            if (localLengths[i] == local.length() && sameChars(local, localStarts[i])) {
                return attributeValue(i);
            }
        }
        return null;
    }

    /**
     * Whether the current START has the attribute {@code local} with the value {@code expected}; compares in place
     * (no string made) when the value holds no reference or whitespace to normalise.
     */
    public boolean attributeEquals(String local, String expected) throws MappingException {
        for (int i = attributeCount - 1; i >= 0; i--) {
            if (localLengths[i] == local.length() && sameChars(local, localStarts[i])) {
                if (valuePlain[i]) {
                    return valueEnds[i] - valueStarts[i] == expected.length() && sameChars(expected, valueStarts[i]);
                }
                return expected.equals(attributeValue(i));
            }
        }
        return false;
    }

    /** The current TEXT as a string (references resolved, line ends normalised). */
    public String text() throws MappingException {
        if (textCdata) {
            // no references in CDATA: '&' is a character there
            return textPlain ? new String(s, textStart, textEnd - textStart) : normalisedLineEnds(textStart, textEnd);
        }
        if (textPlain) {
            return new String(s, textStart, textEnd - textStart);
        }
        return decode(textStart, textEnd, false);
    }

    /** Whether the current TEXT is whitespace outside CDATA (indentation, usually). */
    public boolean isWhitespace() {
        return textSpace;
    }

    /**
     * From a START, reads to its END and returns the element's own character data the way
     * {@link XmlElement#text()} has it (children are read and checked, their text is not included).
     */
    public String elementText() throws MappingException {
        requireStart("elementText");
        int d = eventDepth;
        ElementText text = new ElementText();
        while (true) {
            Event e = next();
            if (e == Event.END && eventDepth == d) {
                return text.result(this);
            }
            if (e == Event.TEXT && eventDepth == d) {
                text.add(this);
            } else if (e == Event.START && eventDepth == d + 1) {
                text.childSeen();
            }
        }
    }

    /**
     * Moves to the next child START of the element at {@code parentDepth}; {@code false} once that
     * element's END is reached. A child the caller left unread at its START is skipped (and checked)
     * first, as is any character data between children.
     */
    public boolean nextChild(int parentDepth) throws MappingException {
        if (event == Event.START && eventDepth > parentDepth) {
            skipElement();
        }
        while (true) {
            Event e = next();
            if (e == Event.START) {
                return true;
            }
            if (e == Event.END && eventDepth == parentDepth) {
                return false;
            }
        }
    }

    /**
     * From a START, reads to its END and returns the {@link #elementText()} of its first child
     * {@code {ns}local}, {@code null} if there is none (later children are read and checked, not kept).
     */
    public String firstChildText(String ns, String local) throws MappingException {
        requireStart("firstChildText");
        String text = null;
        boolean seen = false;
        int d = eventDepth;
        while (nextChild(d)) {
            if (!seen && is(ns, local)) {
                seen = true;
                text = elementText();
            }
        }
        return text;
    }

    /** From a START, reads (and checks) everything up to and including its END. */
    public void skipElement() throws MappingException {
        requireStart("skipElement");
        int d = eventDepth;
        while (!(next() == Event.END && eventDepth == d)) {
            // the content is still checked: a body is well-formed or refused as a whole
        }
    }

    /** Reads (and checks) the rest of the document; nothing after the reader has refused it (its first error stands). */
    void finish() throws MappingException {
        if (failed) {
            return;
        }
        while (next() != Event.END_DOCUMENT) {
            // keep checking
        }
    }

    private void requireStart(String what) {
        if (event != Event.START) {
            throw new IllegalStateException(what + " needs a START event, not " + event);
        }
    }

    // ---- scanning -------------------------------------------------------------------------------------

    private Event startTag() throws MappingException {
        if (++elements > limits.maxElements()) {
            throw new MappingException(Reason.TOO_LARGE, "more than " + limits.maxElements() + " elements");
        }
        pos++; // '<'
        int qStart = pos;
        scanName();
        int qLength = pos - qStart;
        int qColon = nameColons > 1 ? -2 : nameColon;
        int mark = declaredCount;
        int count = 0;
        boolean prefixed = false;
        boolean selfClosed;
        while (true) {
            boolean space;
            if (pos + 1 < n && s[pos] == ' ' && s[pos + 1] > ' ') {
                pos++; // the usual single space before an attribute: no loop to leave
                space = true;
            } else {
                space = skipWhitespace();
            }
            if (pos >= n) {
                throw malformed("unexpected end of document in tag <" + new String(s, qStart, qLength) + ">");
            }
            char c = s[pos];
            if (c == '>') {
                pos++;
                selfClosed = false;
                break;
            }
            if (c == '/') {
                pos++;
                expect('>');
                selfClosed = true;
                break;
            }
            if (!space) {
                throw malformed("expected whitespace before attribute in <" + new String(s, qStart, qLength) + ">");
            }
            int aStart = pos;
            scanName();
            int aLength = pos - aStart;
            int aColon = nameColons > 1 ? -2 : nameColon;
            if (pos < n && s[pos] == '=') {
                pos++; // the usual k="v": no whitespace to skip around '='
            } else {
                skipWhitespace();
                expect('=');
            }
            if (pos < n && s[pos] <= ' ') {
                skipWhitespace();
            }
            boolean plain = scanAttributeValue();
            int vStart = valueStart;
            int vEnd = pos - 1;
            if (isXmlns(aStart, aLength)) {
                String prefix = aLength == 5 ? "" : shared(aStart + 6, aLength - 6);
                for (int i = mark; i < declaredCount; i++) {
                    if (declaredPrefixes[i].equals(prefix)) {
                        throw malformed("duplicate namespace declaration " + new String(s, aStart, aLength));
                    }
                }
                if (declaredCount == declaredPrefixes.length) {
                    declaredPrefixes = Arrays.copyOf(declaredPrefixes, declaredCount * 2);
                    declaredUris = Arrays.copyOf(declaredUris, declaredCount * 2);
                }
                declaredPrefixes[declaredCount] = prefix;
                declaredUris[declaredCount++] = plain ? shared(vStart, vEnd - vStart) : decode(vStart, vEnd, true);
            } else {
                if (count == localStarts.length) {
                    growAttributes();
                }
                localStarts[count] = aStart;
                localLengths[count] = aLength;
                attributeColons[count] = aColon;
                attributeLocals[count] = null;
                attributeNamespaces[count] = aColon == -1 ? "" : null;
                valueStarts[count] = vStart;
                valueEnds[count] = vEnd;
                valuePlain[count] = plain;
                valueStrings[count++] = null;
                prefixed |= aColon != -1;
            }
        }
        if (count > attributesHigh) {
            attributesHigh = count;
        }
        if (declaredCount > declaredHigh) {
            declaredHigh = declaredCount;
        }
        push(qStart, qLength, mark);
        if (depth > depthHigh) {
            depthHigh = depth;
        }
        resolveElement(qStart, qLength, qColon);
        if (prefixed) {
            resolveAttributes(qStart, qLength, count);
        } else {
            requireUniqueNames(qStart, qLength, count);
        }
        eventDepth = depth;
        selfClosedPending = selfClosed;
        return event = Event.START;
    }

    private boolean isXmlns(int start, int length) {
        return length >= 5 && s[start] == 'x' && s[start + 1] == 'm' && s[start + 2] == 'l' && s[start + 3] == 'n'
                && s[start + 4] == 's' && (length == 5 || s[start + 5] == ':');
    }

    private void push(int qStart, int qLength, int mark) {
        depth++;
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
    }

    /** Colon positions come from the scan: -1 none, -2 more than one (never a valid QName). */
    private void resolveElement(int qStart, int qLength, int colon) throws MappingException {
        if (colon == -2 || colon == 0 || colon == qLength - 1) {
            throw malformed("invalid element name <" + new String(s, qStart, qLength) + ">");
        }
        localName = null;
        if (colon < 0) {
            localStart = qStart;
            localLength = qLength;
            namespace = lookup(qStart, 0);
        } else {
            localStart = qStart + colon + 1;
            localLength = qLength - colon - 1;
            namespace = lookup(qStart, colon);
            if (namespace == null) {
                throw malformed("unbound prefix '" + new String(s, qStart, colon) + "' on <"
                        + new String(s, qStart, qLength) + ">");
            }
        }
    }

    /** No attribute has a prefix (the usual tag): names need no resolving, only to be unique. */
    private void requireUniqueNames(int qStart, int qLength, int count) throws MappingException {
        for (int a = 1; a < count; a++) {
            int start = localStarts[a];
            int length = localLengths[a];
            for (int i = 0; i < a; i++) {
                if (localLengths[i] == length && Arrays.equals(s, localStarts[i], localStarts[i] + length, s, start, start + length)) {
                    throw duplicateAttribute(start, length, qStart, qLength);
                }
            }
        }
        attributeCount = count;
    }

    /**
     * Some attribute has a prefix: binds each to its namespace (declarations anywhere in the tag count), takes
     * {@code xml:lang} out of the list into the element's language, and checks that no two share a namespace
     * and local name. In place: entry {@code a} is read whole before entry {@code kept <= a} is written.
     */
    private void resolveAttributes(int qStart, int qLength, int count) throws MappingException {
        int kept = 0;
        boolean langSeen = false;
        for (int a = 0; a < count; a++) {
            int start = localStarts[a];
            int length = localLengths[a];
            int c = attributeColons[a];
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
                    throw malformed("invalid attribute name '" + new String(s, start, length) + "'");
                }
                localStart = start + c + 1;
                localLength = length - c - 1;
                ns = lookup(start, c);
                if (ns == null) {
                    throw malformed("unbound attribute prefix in '" + new String(s, start, length) + "'");
                }
            }
            for (int i = 0; i < kept; i++) {
                if (localLengths[i] == localLength && attributeNamespaces[i].equals(ns)
                        && Arrays.equals(s, localStarts[i], localStarts[i] + localLength, s, localStart, localStart + localLength)) {
                    throw duplicateAttribute(start, length, qStart, qLength);
                }
            }
            if (c > 0 && localLength == 4 && ns.equals(XmlElement.XML_NS) && sameChars("lang", localStart)) {
                if (langSeen) {
                    throw duplicateAttribute(start, length, qStart, qLength);
                }
                langSeen = true;
                langs[depth] = plain ? shared(vs, ve - vs) : decode(vs, ve, true);
                continue;
            }
            localStarts[kept] = localStart;
            localLengths[kept] = localLength;
            attributeLocals[kept] = null;
            attributeNamespaces[kept] = ns;
            valueStarts[kept] = vs;
            valueEnds[kept] = ve;
            valuePlain[kept] = plain;
            valueStrings[kept++] = null;
        }
        attributeCount = kept;
    }

    private MappingException duplicateAttribute(int start, int length, int qStart, int qLength) {
        return malformed("duplicate attribute '" + new String(s, start, length) + "' on <" + new String(s, qStart, qLength) + ">");
    }

    /** The namespace bound to the prefix {@code s[start, start + length)} ("" for none), or {@code null}. */
    private String lookup(int start, int length) {
        if (length == 3 && s[start] == 'x' && s[start + 1] == 'm' && s[start + 2] == 'l') {
            return XmlElement.XML_NS;
        }
        for (int i = declaredCount - 1; i >= 0; i--) {
            String p = declaredPrefixes[i];
            if (p.length() == length && sameChars(p, start)) {
                return declaredUris[i];
            }
        }
        return length == 0 ? "" : null;
    }

    private boolean sameChars(String p, int start) {
        for (int i = 0; i < p.length(); i++) {
            if (s[start + i] != p.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Matches the open element's {@code qname>} (optional whitespace before '>') at pos. */
    private void endTag() throws MappingException {
        int qStart = qnameStarts[depth];
        int len = qnameLengths[depth];
        boolean same = pos + len <= n && Arrays.equals(s, pos, pos + len, s, qStart, qStart + len);
        if (!same || (pos + len < n && isNameChar(s[pos + len], true))) {
            int start = pos;
            int end = start;
            while (end < n && end - start < 64 && isNameChar(s[end], end > start)) {
                end++;
            }
            throw malformed("end tag </" + new String(s, start, Math.max(end - start, Math.min(8, n - start)))
                    + "> does not match <" + qname(depth) + ">");
        }
        pos += len;
        skipWhitespace();
        expect('>');
    }

    private Event end() {
        eventDepth = depth;
        declaredCount = declarationMarks[depth];
        depth--;
        attributeCount = 0;
        return event = Event.END;
    }

    private String qname(int d) {
        return new String(s, qnameStarts[d], qnameLengths[d]);
    }

    /** Character data up to the next '<'; checked now, made a string only by {@link #text()}. */
    private Event scanText() throws MappingException {
        int start = pos;
        boolean plain = true;
        while (pos < n && (s[pos] == ' ' || s[pos] == '\n' || s[pos] == '\t' || s[pos] == '\r')) {
            plain &= s[pos] != '\r';
            pos++;
        }
        boolean space = pos == n || s[pos] == '<';
        while (pos < n) {
            char c = s[pos];
            if (c == '<') {
                break;
            }
            if (c == '&') {
                plain = false;
                pos = referenceEnd(pos);
                continue;
            }
            if (c == '\r') {
                plain = false;
            } else if (c == '>' && pos >= 2 && s[pos - 1] == ']' && s[pos - 2] == ']') {
                throw malformed("']]>' in text");
            } else if ((c < 0x20 && c != '\t' && c != '\n') || c >= 0xD800) {
                checkChar(pos);
                if (Character.isHighSurrogate(c)) {
                    pos++;
                }
            }
            pos++;
        }
        return textEvent(start, pos, plain, false, space);
    }

    private Event cdata() throws MappingException {
        int from = pos + 9;
        int end = indexOf("]]>", from);
        if (end < 0) {
            throw malformed("unterminated CDATA section");
        }
        checkChars(from, end);
        boolean plain = true;
        for (int i = from; i < end && plain; i++) {
            plain = s[i] != '\r';
        }
        pos = end + 3;
        return textEvent(from, end, plain, true, false);
    }

    private Event textEvent(int start, int end, boolean plain, boolean cdata, boolean space) {
        textStart = start;
        textEnd = end;
        textPlain = plain;
        textCdata = cdata;
        textSpace = space;
        eventDepth = depth;
        return event = Event.TEXT;
    }

    /** Start of the last scanned attribute value (after the quote). */
    private int valueStart;

    /** Scans a quoted value; pos ends after the closing quote. Returns whether it is plain (no reference, no whitespace to normalise). */
    private boolean scanAttributeValue() throws MappingException {
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

    /**
     * {@code s[from, to)} with references resolved and line ends normalised: in an attribute every
     * literal tab, line feed or CR (CRLF as one) becomes a space; in text a CR or CRLF becomes a line
     * feed. Only called on ranges the scan has checked.
     */
    private String decode(int from, int to, boolean attribute) throws MappingException {
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

    /** Checks the reference {@code &...;} at {@code at} and returns the position after its ';'. */
    private int referenceEnd(int at) throws MappingException {
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

    /** The replacement of the reference {@code s[at, end)} ('&' to ';'). */
    private String reference(int at, int end) throws MappingException {
        String ref = new String(s, at + 1, end - at - 2);
        switch (ref) {
            case "lt":
                return "<";
            case "gt":
                return ">";
            case "amp":
                return "&";
            case "quot":
                return "\"";
            case "apos":
                return "'";
            default:
                break;
        }
        if (ref.startsWith("#")) {
            int cp;
            try {
                cp = ref.startsWith("#x") ? Integer.parseInt(ref.substring(2), 16) : Integer.parseInt(ref.substring(1));
            } catch (NumberFormatException e) {
                throw malformed("invalid character reference &" + ref + ";");
            }
            if (ref.startsWith("#x+") || ref.startsWith("#-") || ref.startsWith("#+") || !isXmlChar(cp)) {
                throw malformed("character reference &" + ref + "; is not an XML character");
            }
            return new String(Character.toChars(cp));
        }
        throw malformed("undeclared entity &" + ref + ";");
    }

    /** Scans a name at pos, noting its colons in {@link #nameColon} / {@link #nameColons}. */
    private void scanName() throws MappingException {
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

    /** The known shared string for s[start, start + length), else a new one. */
    private String shared(int start, int length) {
        String known = KnownStrings.lookup(s, start, length);
        return known != null ? known : new String(s, start, length);
    }

    private static boolean isNameChar(char c, boolean notFirst) {
        if (c >= 0x80) {
            return !Character.isWhitespace(c) && !Character.isISOControl(c);
        }
        byte kind = ASCII_NAME_CHARS[c];
        return kind == NAME_START || (notFirst && kind == NAME_REST);
    }

    private boolean skipWhitespace() {
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

    private boolean startsWith(String prefix) {
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

    private int indexOf(String needle, int from) {
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

    private void skipComment() throws MappingException {
        int end = indexOf("-->", pos + 4);
        if (end < 0) {
            throw malformed("unterminated comment");
        }
        pos = end + 3;
    }

    private void skipProcessingInstruction() throws MappingException {
        int end = indexOf("?>", pos + 2);
        if (end < 0) {
            throw malformed("unterminated processing instruction");
        }
        pos = end + 2;
    }

    private void expect(char c) throws MappingException {
        if (pos >= n || s[pos] != c) {
            throw malformed("expected '" + c + "' at position " + pos);
        }
        pos++;
    }

    /** Checks the character (or surrogate pair) at {@code i}. */
    private void checkChar(int i) throws MappingException {
        char c = s[i];
        if ((c >= 0x20 && c < 0xD800) || c == '\t' || c == '\n' || c == '\r' || (c >= 0xE000 && c <= 0xFFFD)) {
            return;
        }
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s[i + 1])) {
            return;
        }
        throw malformed(String.format("character U+%04X is not allowed in XML", (int) c));
    }

    private void checkChars(int from, int to) throws MappingException {
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

    private static boolean isXmlChar(int cp) {
        return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
                || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
    }

    private void growAttributes() {
        int size = localStarts.length * 2;
        localStarts = Arrays.copyOf(localStarts, size);
        localLengths = Arrays.copyOf(localLengths, size);
        attributeColons = Arrays.copyOf(attributeColons, size);
        attributeLocals = Arrays.copyOf(attributeLocals, size);
        attributeNamespaces = Arrays.copyOf(attributeNamespaces, size);
        valueStarts = Arrays.copyOf(valueStarts, size);
        valueEnds = Arrays.copyOf(valueEnds, size);
        valuePlain = Arrays.copyOf(valuePlain, size);
        valueStrings = Arrays.copyOf(valueStrings, size);
    }

    private static MappingException malformed(String what) {
        return new MappingException(Reason.MALFORMED_BODY, "malformed XML: " + what);
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

    int textStart() {
        return textStart;
    }

    int textEnd() {
        return textEnd;
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
