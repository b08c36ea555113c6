package org.parley.presence.xml;

import java.util.Arrays;
import org.parley.presence.MappingException;
import org.parley.presence.MappingException.Reason;

/**
 * A small, strict, non-validating XML 1.0 + Namespaces parser for untrusted bodies (PIDF, msrtc
 * categories, single stanzas) that builds {@link XmlElement} trees.
 *
 * <p>Why not the JDK's StAX: creating one {@code XMLStreamReader} per body costs ≈ 10 µs (it
 * allocates its entity manager and buffers each time), which alone exceeded the 5 µs budget of a
 * whole presence translation. This parser does only what bodies need and refuses the rest:
 * <ul>
 *   <li>any {@code <!DOCTYPE>} is refused ({@link Reason#FORBIDDEN_XML}), so no entity can be
 *       declared: billion laughs and external entities cannot happen;</li>
 *   <li>only the five predefined entities and character references are read;</li>
 *   <li>length, depth and element count are capped ({@link XmlLimits});</li>
 *   <li>well-formedness is checked: matching tags, one root, legal characters, bound prefixes,
 *       unique attributes.</li>
 * </ul>
 * Comments and processing instructions (including the XML declaration) are skipped. Every
 * failure is a {@link MappingException}. Instances are immutable and thread-safe.
 */
public final class SafeXmlParser {

    /** Documents up to this many characters are copied into a reused per-thread buffer. */
    private static final int REUSED_BUFFER_CHARS = 16 * 1024;

    private final XmlLimits limits;
    /**
     * One scratch buffer per thread and parser: copying the document into a fresh {@code char[]} was
     * 40 % of a categories parse's allocation. Bounded (at most {@link #REUSED_BUFFER_CHARS} chars per
     * thread); larger documents get a buffer of their own.
     */
    private final ThreadLocal<char[]> buffers = ThreadLocal.withInitial(() -> new char[2048]);

    public SafeXmlParser() {
        this(XmlLimits.DEFAULT);
    }

    public SafeXmlParser(XmlLimits limits) {
        this.limits = limits;
    }

    public XmlLimits limits() {
        return limits;
    }

    public XmlElement parse(String xml) throws MappingException {
        if (xml == null || xml.isBlank()) {
            throw new MappingException(Reason.MALFORMED_BODY, "empty XML body");
        }
        if (xml.length() > limits.maxChars()) {
            throw new MappingException(Reason.TOO_LARGE,
                    "XML body of " + xml.length() + " characters exceeds the limit of " + limits.maxChars());
        }
        int length = xml.length();
        char[] buffer = buffers.get();
        if (buffer.length < length) {
            buffer = new char[Math.max(length, Math.min(REUSED_BUFFER_CHARS, buffer.length * 2))];
            if (buffer.length <= REUSED_BUFFER_CHARS) {
                buffers.set(buffer);
            }
        }
        xml.getChars(0, length, buffer, 0);
        return new Cursor(buffer, length, limits).document();
    }

    /**
     * One parse: position, open-element stack and namespace scopes. Works on a char array (no
     * per-character coder checks), collects attributes in reusable arrays and matches end tags in
     * place, so the only allocations are the strings and elements of the resulting tree.
     */
    private static final class Cursor {

        private final char[] s;
        private final int n;
        private final XmlLimits limits;
        private int pos;
        private int elements;
        /** Raw (qualified) attributes of the tag being read; reused from tag to tag. */
        private String[] rawNames = new String[8];
        private String[] rawValues = new String[8];
        private int rawCount;
        private int[] rawColons = new int[8];
        /** Where the last {@link #name()} had its first ':' (offset in the name, -1: none) and how many it had. */
        private int nameColon;
        private int nameColons;

        /** Reused from tag to tag: the namespaces of the attributes kept so far (duplicate check). */
        private String[] attributeNamespaces = new String[8];
        private String[] attributeLocals = new String[8];
        private String[] attributeValues = new String[8];
        /** Open-element frames by depth, reused for siblings. */
        private Frame[] frames = new Frame[8];

        /** {@code chars} may be longer than the document: only the first {@code length} are read. */
        Cursor(char[] chars, int length, XmlLimits limits) {
            this.s = chars;
            this.n = length;
            this.limits = limits;
        }

        XmlElement document() throws MappingException {
            if (n > 0 && s[0] == '\uFEFF') {
                pos = 1;
            }
            XmlElement root = null;
            while (true) {
                skipWhitespace();
                if (pos >= n) {
                    break;
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
                } else if (root != null) {
                    throw malformed("content after the root element");
                } else {
                    root = element();
                }
            }
            if (root == null) {
                throw malformed("no root element");
            }
            return root;
        }

        /** Parses one element at {@code pos} ('<' + name), iteratively to bound the depth. */
        private XmlElement element() throws MappingException {
            Frame current = openTag(null, 0);
            if (current.selfClosed) {
                return current.build();
            }
            int depth = 1;
            while (true) {
                if (pos >= n) {
                    throw malformed("unexpected end of document inside <" + current.qname + ">");
                }
                if (s[pos] != '<') {
                    readText(current);
                    continue;
                }
                char next = pos + 1 < n ? s[pos + 1] : 0;
                if (next == '/') {
                    pos += 2;
                    endTag(current.qname);
                    XmlElement done = current.build();
                    if (--depth == 0) {
                        return done;
                    }
                    current = current.parent;
                    current.addChild(done);
                } else if (next == '!') {
                    if (startsWith("<!--")) {
                        skipComment();
                    } else if (startsWith("<![CDATA[")) {
                        int end = indexOf("]]>", pos + 9);
                        if (end < 0) {
                            throw malformed("unterminated CDATA section");
                        }
                        StringBuilder cdata = new StringBuilder(end - pos);
                        appendChecked(cdata, pos + 9, end);
                        current.addText(cdata.toString());
                        pos = end + 3;
                    } else {
                        throw new MappingException(Reason.FORBIDDEN_XML, "DTDs are not accepted in bodies");
                    }
                } else if (next == '?') {
                    skipProcessingInstruction();
                } else {
                    if (depth >= limits.maxDepth()) {
                        throw new MappingException(Reason.TOO_LARGE, "nesting deeper than " + limits.maxDepth());
                    }
                    Frame child = openTag(current, depth);
                    if (child.selfClosed) {
                        current.addChild(child.build());
                    } else {
                        depth++;
                        current = child;
                    }
                }
            }
        }

        /** Matches {@code qname>} (optional whitespace before '>') at pos without allocating. */
        private void endTag(String qname) throws MappingException {
            int len = qname.length();
            boolean same = pos + len <= n;
            for (int i = 0; same && i < len; i++) {
                same = s[pos + i] == qname.charAt(i);
            }
            if (!same || (pos + len < n && isNameChar(s[pos + len], true))) {
                int start = pos;
                String name = pos < n ? name() : "";
                throw malformed("end tag </" + (name.isEmpty() ? new String(s, start, Math.min(8, n - start)) : name)
                        + "> does not match <" + qname + ">");
            }
            pos += len;
            skipWhitespace();
            expect('>');
        }

        private Frame openTag(Frame parent, int depth) throws MappingException {
            if (++elements > limits.maxElements()) {
                throw new MappingException(Reason.TOO_LARGE, "more than " + limits.maxElements() + " elements");
            }
            pos++; // '<'
            String qname = name();
            int qnameColon = nameColons > 1 ? -2 : nameColon;
            rawCount = 0;
            String[] declaredPrefixes = null;
            String[] declaredUris = null;
            int declaredCount = 0;
            boolean selfClosed;
            while (true) {
                boolean space = skipWhitespace();
                if (pos >= n) {
                    throw malformed("unexpected end of document in tag <" + qname + ">");
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
                    throw malformed("expected whitespace before attribute in <" + qname + ">");
                }
                String attr = name();
                int attrColon = nameColons > 1 ? -2 : nameColon;
                skipWhitespace();
                expect('=');
                skipWhitespace();
                String value = attributeValue();
                if (attr.startsWith("xmlns") && (attr.length() == 5 || attr.charAt(5) == ':')) {
                    String prefix = attr.length() == 5 ? "" : attr.substring(6);
                    if (declaredPrefixes == null) {
                        declaredPrefixes = new String[4];
                        declaredUris = new String[4];
                    } else if (declaredCount == declaredPrefixes.length) {
                        declaredPrefixes = Arrays.copyOf(declaredPrefixes, declaredCount * 2);
                        declaredUris = Arrays.copyOf(declaredUris, declaredCount * 2);
                    }
                    for (int i = 0; i < declaredCount; i++) {
                        if (declaredPrefixes[i].equals(prefix)) {
                            throw malformed("duplicate namespace declaration " + attr);
                        }
                    }
                    declaredPrefixes[declaredCount] = prefix;
                    declaredUris[declaredCount++] = value;
                } else {
                    if (rawCount == rawNames.length) {
                        rawNames = Arrays.copyOf(rawNames, rawCount * 2);
                        rawValues = Arrays.copyOf(rawValues, rawCount * 2);
                        rawColons = Arrays.copyOf(rawColons, rawCount * 2);
                    }
                    rawColons[rawCount] = attrColon;
                    rawNames[rawCount] = attr;
                    rawValues[rawCount++] = value;
                }
            }
            if (depth == frames.length) {
                frames = Arrays.copyOf(frames, depth * 2);
            }
            Frame frame = frames[depth];
            if (frame == null) {
                frame = new Frame();
                frames[depth] = frame;
            }
            frame.open(parent, qname, declaredPrefixes, declaredUris, declaredCount, selfClosed);
            frame.resolve(qnameColon, rawNames, rawColons, rawValues, rawCount);
            return frame;
        }

        /** Reads character data up to the next '<'; the common case (no reference, no CR) is one string. */
        private void readText(Frame frame) throws MappingException {
            int start = pos;
            boolean plain = true;
            while (pos < n && (s[pos] == ' ' || s[pos] == '\n' || s[pos] == '\t' || s[pos] == '\r')) {
                plain &= s[pos] != '\r';
                pos++;
            }
            if (pos == n || s[pos] == '<') {
                // indentation between tags: usually discarded, so no string yet
                frame.addSpace(start, pos);
                return;
            }
            StringBuilder text = null;
            while (pos < n) {
                char c = s[pos];
                if (c == '<') {
                    break;
                }
                if (c == '&') {
                    if (text == null) {
                        text = new StringBuilder(pos - start + 16);
                    }
                    appendChecked(text, start, pos);
                    text.append(reference());
                    start = pos;
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
            if (text == null && plain) {
                if (pos > start) {
                    frame.addText(new String(s, start, pos - start));
                }
                return;
            }
            if (text == null) {
                text = new StringBuilder(pos - start);
            }
            appendChecked(text, start, pos);
            frame.addText(text.toString());
        }

        private String attributeValue() throws MappingException {
            if (pos >= n) {
                throw malformed("unexpected end of document in attribute value");
            }
            char quote = s[pos];
            if (quote != '"' && quote != '\'') {
                throw malformed("attribute value not quoted");
            }
            pos++;
            StringBuilder v = null;
            int start = pos;
            int hash = 0;
            while (true) {
                if (pos >= n) {
                    throw malformed("unterminated attribute value");
                }
                char c = s[pos];
                if (c == quote) {
                    break;
                }
                if (c == '<') {
                    throw malformed("'<' in attribute value");
                }
                if (c >= 0x20 && c < 0xD800 && c != '&') {
                    hash = 31 * hash + c;
                    pos++;
                    continue;
                }
                if (c != '&' && c != '\t' && c != '\n' && c != '\r') {
                    checkChar(pos);
                    pos += Character.isHighSurrogate(c) ? 2 : 1;
                    continue;
                }
                if (v == null) {
                    v = new StringBuilder(pos - start + 16);
                }
                appendChecked(v, start, pos);
                if (c == '&') {
                    v.append(reference());
                } else {
                    // XML 1.0 §3.3.3: literal whitespace normalises to a space (CRLF to one)
                    v.append(' ');
                    pos += (c == '\r' && pos + 1 < n && s[pos + 1] == '\n') ? 2 : 1;
                }
                start = pos;
            }
            String value;
            if (v == null) {
                // the hash skips characters outside the BMP's plain range; a wrong hash can only miss, never match wrongly
                value = shared(start, pos - start, hash);
            } else {
                appendChecked(v, start, pos);
                value = v.toString();
            }
            pos++; // closing quote
            return value;
        }

        /** Reads {@code &...;} at pos: a predefined entity or a character reference. */
        private String reference() throws MappingException {
            int semi = -1;
            for (int i = pos + 1; i < n && i - pos <= 12; i++) {
                if (s[i] == ';') {
                    semi = i;
                    break;
                }
            }
            if (semi < 0) {
                throw malformed("unterminated entity reference");
            }
            String ref = new String(s, pos + 1, semi - pos - 1);
            pos = semi + 1;
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

        private String name() throws MappingException {
            int start = pos;
            int hash = 0;
            nameColon = -1;
            nameColons = 0;
            while (pos < n && isNameChar(s[pos], pos > start)) {
                char c = s[pos];
                if (c == ':') {
                    if (nameColons++ == 0) {
                        nameColon = pos - start;
                    }
                }
                hash = 31 * hash + c;
                pos++;
            }
            if (pos == start) {
                throw malformed("expected a name at position " + start);
            }
            return shared(start, pos - start, hash);
        }

        /** The known shared string for s[start, start + length), else a new one. */
        private String shared(int start, int length, int hash) {
            String known = KnownStrings.lookup(s, start, length, hash);
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
            int start = pos;
            while (pos < n) {
                char c = s[pos];
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    break;
                }
                pos++;
            }
            return pos > start;
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

        /** Appends s[from, to) after checking XML characters and normalising line ends. */
        private void appendChecked(StringBuilder out, int from, int to) throws MappingException {
            checkChars(from, to);
            for (int i = from; i < to; i++) {
                char c = s[i];
                if (c == '\r') {
                    out.append('\n');
                    if (i + 1 < to && s[i + 1] == '\n') {
                        i++;
                    }
                } else {
                    out.append(c);
                }
            }
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

        private MappingException malformed(String what) {
            return new MappingException(Reason.MALFORMED_BODY, "malformed XML: " + what);
        }

        /**
         * An open element: its namespace scope, attributes, children and text. One instance per
         * depth, reused by the next sibling once {@link #build()} has handed its arrays over.
         */
        private final class Frame {
            Frame parent;
            String qname;
            String[] declaredPrefixes;
            String[] declaredUris;
            int declaredCount;
            boolean selfClosed;
            XmlElement[] children;
            int childCount;
            String text;
            StringBuilder moreText;
            /** Whitespace seen before any child or text, kept as offsets: it only becomes text if no child follows. */
            int pendingSpaceStart;
            int pendingSpaceEnd;
            String namespace;
            String localName;
            String[] attributeNames;
            String[] attributeValues;
            String lang;

            void open(Frame parent, String qname, String[] declaredPrefixes, String[] declaredUris, int declaredCount,
                    boolean selfClosed) {
                this.parent = parent;
                this.qname = qname;
                this.declaredPrefixes = declaredPrefixes;
                this.declaredUris = declaredUris;
                this.declaredCount = declaredCount;
                this.selfClosed = selfClosed;
                children = null;
                childCount = 0;
                text = null;
                moreText = null;
                pendingSpaceStart = 0;
                pendingSpaceEnd = 0;
                attributeNames = NO_STRINGS;
                attributeValues = NO_STRINGS;
            }

            /** Colon positions come from the scan: -1 none, -2 more than one (never a valid QName). */
            void resolve(int colon, String[] rawNames, int[] rawColons, String[] rawValues, int count)
                    throws MappingException {
                if (colon == -2) {
                    throw malformed("invalid element name <" + qname + ">");
                }
                String prefix = colon < 0 ? "" : qname.substring(0, colon);
                localName = colon < 0 ? qname : qname.substring(colon + 1);
                if (localName.isEmpty() || (colon == 0)) {
                    throw malformed("invalid element name <" + qname + ">");
                }
                namespace = lookup(prefix);
                if (namespace == null) {
                    throw malformed("unbound prefix '" + prefix + "' on <" + qname + ">");
                }
                lang = parent == null ? "" : parent.lang;
                if (count == 0) {
                    return;
                }
                boolean langSeen = false;
                if (attributeLocals.length < count) {
                    attributeLocals = new String[rawNames.length];
                    attributeNamespaces = new String[rawNames.length];
                    attributeValues = new String[rawNames.length];
                }
                String[] locals = attributeLocals;
                String[] namespaces = attributeNamespaces;
                String[] values = Cursor.this.attributeValues;
                int kept = 0;
                for (int a = 0; a < count; a++) {
                    String aq = rawNames[a];
                    int c = rawColons[a];
                    if (c == -2) {
                        throw malformed("invalid attribute name '" + aq + "'");
                    }
                    String local = aq;
                    String ns = "";
                    if (c >= 0) {
                        local = aq.substring(c + 1);
                        String p = aq.substring(0, c);
                        ns = lookup(p);
                        if (ns == null || p.isEmpty() || local.isEmpty()) {
                            throw malformed("unbound or invalid attribute prefix in '" + aq + "'");
                        }
                    }
                    for (int i = 0; i < kept; i++) {
                        if (locals[i].equals(local) && namespaces[i].equals(ns)) {
                            throw malformed("duplicate attribute '" + aq + "' on <" + qname + ">");
                        }
                    }
                    if (XmlElement.XML_NS.equals(ns) && local.equals("lang")) {
                        if (langSeen) {
                            throw malformed("duplicate attribute '" + aq + "' on <" + qname + ">");
                        }
                        langSeen = true;
                        lang = rawValues[a];
                        continue;
                    }
                    locals[kept] = local;
                    namespaces[kept] = ns;
                    values[kept++] = rawValues[a];
                }
                if (kept > 0) {
                    attributeNames = Arrays.copyOf(locals, kept);
                    attributeValues = Arrays.copyOf(values, kept);
                }
            }

            private String lookup(String prefix) {
                if (prefix.equals("xml")) {
                    return XmlElement.XML_NS;
                }
                for (Frame f = this; f != null; f = f.parent) {
                    for (int i = 0; i < f.declaredCount; i++) {
                        if (f.declaredPrefixes[i].equals(prefix)) {
                            return f.declaredUris[i];
                        }
                    }
                }
                return prefix.isEmpty() ? "" : null;
            }

            void addChild(XmlElement child) {
                if (children == null) {
                    children = new XmlElement[4];
                    // whitespace between child elements is indentation, not content
                    if (text != null && text.isBlank() && moreText == null) {
                        text = null;
                    }
                    pendingSpaceEnd = pendingSpaceStart;
                } else if (childCount == children.length) {
                    children = Arrays.copyOf(children, childCount * 2);
                }
                children[childCount++] = child;
            }

            /** Whitespace-only character data at s[start, end): no string unless it turns out to be content. */
            void addSpace(int start, int end) {
                if (children != null) {
                    return;
                }
                if (text == null && pendingSpaceEnd == pendingSpaceStart) {
                    pendingSpaceStart = start;
                    pendingSpaceEnd = end;
                    return;
                }
                addText(spaceText(start, end));
            }

            void addText(String segment) {
                if (segment.isEmpty() || (children != null && segment.isBlank())) {
                    return;
                }
                if (pendingSpaceEnd > pendingSpaceStart) {
                    String space = spaceText(pendingSpaceStart, pendingSpaceEnd);
                    pendingSpaceEnd = pendingSpaceStart;
                    addText(space);
                }
                if (text == null) {
                    text = segment;
                } else {
                    if (moreText == null) {
                        moreText = new StringBuilder(text.length() + segment.length() + 16).append(text);
                    }
                    moreText.append(segment);
                }
            }

            /** Whitespace as character data, line ends normalised (XML 1.0 §2.11). */
            private String spaceText(int start, int end) {
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

            XmlElement build() {
                if (pendingSpaceEnd > pendingSpaceStart) {
                    String space = spaceText(pendingSpaceStart, pendingSpaceEnd);
                    pendingSpaceEnd = pendingSpaceStart;
                    addText(space);
                }
                String t = moreText != null ? moreText.toString() : text == null ? "" : text;
                XmlElement[] exact = childCount == 0 ? XmlElement.NO_CHILDREN
                        : childCount == children.length ? children : Arrays.copyOf(children, childCount);
                XmlElement element = new XmlElement(namespace, localName, attributeNames, attributeValues, lang, exact, t);
                children = null;
                moreText = null;
                return element;
            }
        }
    }

    private static final String[] NO_STRINGS = new String[0];

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
