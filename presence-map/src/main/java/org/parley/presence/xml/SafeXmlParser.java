package org.parley.presence.xml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    private final XmlLimits limits;

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
        return new Cursor(xml, limits).document();
    }

    /** One parse: position, open-element stack and namespace scopes. */
    private static final class Cursor {

        private final String s;
        private final int n;
        private final XmlLimits limits;
        private int pos;
        private int elements;

        Cursor(String s, XmlLimits limits) {
            this.s = s;
            this.n = s.length();
            this.limits = limits;
        }

        XmlElement document() throws MappingException {
            if (n > 0 && s.charAt(0) == '\uFEFF') {
                pos = 1;
            }
            XmlElement root = null;
            while (true) {
                skipWhitespace();
                if (pos >= n) {
                    break;
                }
                if (s.charAt(pos) != '<') {
                    throw malformed("text outside the root element");
                }
                if (s.startsWith("<?", pos)) {
                    skipProcessingInstruction();
                } else if (s.startsWith("<!--", pos)) {
                    skipComment();
                } else if (s.startsWith("<!DOCTYPE", pos) || s.startsWith("<!", pos)) {
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
            List<Frame> stack = new ArrayList<>(8);
            Frame current = openTag(null);
            if (current.selfClosed) {
                return current.build();
            }
            stack.add(current);
            while (true) {
                if (pos >= n) {
                    throw malformed("unexpected end of document inside <" + current.qname + ">");
                }
                char c = s.charAt(pos);
                if (c != '<') {
                    readText(current);
                    continue;
                }
                if (s.startsWith("</", pos)) {
                    pos += 2;
                    String name = name();
                    skipWhitespace();
                    expect('>');
                    if (!name.equals(current.qname)) {
                        throw malformed("end tag </" + name + "> does not match <" + current.qname + ">");
                    }
                    XmlElement done = current.build();
                    stack.remove(stack.size() - 1);
                    if (stack.isEmpty()) {
                        return done;
                    }
                    current = stack.get(stack.size() - 1);
                    current.addChild(done);
                } else if (s.startsWith("<!--", pos)) {
                    skipComment();
                } else if (s.startsWith("<![CDATA[", pos)) {
                    int end = s.indexOf("]]>", pos + 9);
                    if (end < 0) {
                        throw malformed("unterminated CDATA section");
                    }
                    StringBuilder cdata = new StringBuilder(end - pos);
                    appendChecked(cdata, pos + 9, end);
                    current.addText(cdata.toString());
                    pos = end + 3;
                } else if (s.startsWith("<?", pos)) {
                    skipProcessingInstruction();
                } else if (s.startsWith("<!", pos)) {
                    throw new MappingException(Reason.FORBIDDEN_XML, "DTDs are not accepted in bodies");
                } else {
                    if (stack.size() >= limits.maxDepth()) {
                        throw new MappingException(Reason.TOO_LARGE, "nesting deeper than " + limits.maxDepth());
                    }
                    Frame child = openTag(current);
                    if (child.selfClosed) {
                        current.addChild(child.build());
                    } else {
                        stack.add(child);
                        current = child;
                    }
                }
            }
        }

        private Frame openTag(Frame parent) throws MappingException {
            if (++elements > limits.maxElements()) {
                throw new MappingException(Reason.TOO_LARGE, "more than " + limits.maxElements() + " elements");
            }
            pos++; // '<'
            String qname = name();
            List<String[]> rawAttributes = null;
            Map<String, String> declared = null;
            boolean selfClosed;
            while (true) {
                boolean space = skipWhitespace();
                if (pos >= n) {
                    throw malformed("unexpected end of document in tag <" + qname + ">");
                }
                char c = s.charAt(pos);
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
                skipWhitespace();
                expect('=');
                skipWhitespace();
                String value = attributeValue();
                if (attr.equals("xmlns") || attr.startsWith("xmlns:")) {
                    if (declared == null) {
                        declared = new HashMap<>(4);
                    }
                    String prefix = attr.length() == 5 ? "" : attr.substring(6);
                    if (declared.put(prefix, value) != null) {
                        throw malformed("duplicate namespace declaration " + attr);
                    }
                } else {
                    if (rawAttributes == null) {
                        rawAttributes = new ArrayList<>(4);
                    }
                    rawAttributes.add(new String[] {attr, value});
                }
            }
            Frame frame = new Frame(parent, qname, declared, selfClosed);
            frame.resolve(rawAttributes);
            return frame;
        }

        /** Reads character data up to the next '<'; the common case (no reference, no CR) is one substring. */
        private void readText(Frame frame) throws MappingException {
            int start = pos;
            StringBuilder text = null;
            boolean plain = true;
            while (pos < n) {
                char c = s.charAt(pos);
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
                } else if (c == '>' && pos >= 2 && s.charAt(pos - 1) == ']' && s.charAt(pos - 2) == ']') {
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
                frame.addText(s.substring(start, pos));
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
            char quote = s.charAt(pos);
            if (quote != '"' && quote != '\'') {
                throw malformed("attribute value not quoted");
            }
            pos++;
            StringBuilder v = null;
            int start = pos;
            while (true) {
                if (pos >= n) {
                    throw malformed("unterminated attribute value");
                }
                char c = s.charAt(pos);
                if (c == quote) {
                    break;
                }
                if (c == '<') {
                    throw malformed("'<' in attribute value");
                }
                if (c >= 0x20 && c < 0xD800 && c != '&') {
                    pos++;
                    continue;
                }
                if (c != '&' && c != '\t' && c != '\n' && c != '\r') {
                    checkChar(pos);
                    pos += Character.isHighSurrogate(c) ? 2 : 1;
                    continue;
                }
                if (c == '&' || c == '\t' || c == '\n' || c == '\r') {
                    if (v == null) {
                        v = new StringBuilder(pos - start + 16);
                    }
                    appendChecked(v, start, pos);
                    if (c == '&') {
                        v.append(reference());
                    } else {
                        // XML 1.0 §3.3.3: literal whitespace normalises to a space (CRLF to one)
                        v.append(' ');
                        pos += (c == '\r' && pos + 1 < n && s.charAt(pos + 1) == '\n') ? 2 : 1;
                    }
                    start = pos;
                    continue;
                }
                pos++;
            }
            String value;
            if (v == null) {
                value = s.substring(start, pos);
            } else {
                appendChecked(v, start, pos);
                value = v.toString();
            }
            pos++; // closing quote
            return value;
        }

        /** Reads {@code &...;} at pos: a predefined entity or a character reference. */
        private String reference() throws MappingException {
            int semi = s.indexOf(';', pos);
            if (semi < 0 || semi - pos > 12) {
                throw malformed("unterminated entity reference");
            }
            String ref = s.substring(pos + 1, semi);
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
                if (!isXmlChar(cp)) {
                    throw malformed("character reference &" + ref + "; is not an XML character");
                }
                return new String(Character.toChars(cp));
            }
            throw malformed("undeclared entity &" + ref + ";");
        }

        private String name() throws MappingException {
            int start = pos;
            while (pos < n) {
                char c = s.charAt(pos);
                boolean ok = c >= 0x80 ? !Character.isWhitespace(c) && !Character.isISOControl(c)
                        : (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
                        || (pos > start && ((c >= '0' && c <= '9') || c == '-' || c == '.'));
                if (!ok) {
                    break;
                }
                pos++;
            }
            if (pos == start) {
                throw malformed("expected a name at position " + start);
            }
            return s.substring(start, pos);
        }

        private boolean skipWhitespace() {
            int start = pos;
            while (pos < n) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    break;
                }
                pos++;
            }
            return pos > start;
        }

        private void skipComment() throws MappingException {
            int end = s.indexOf("-->", pos + 4);
            if (end < 0) {
                throw malformed("unterminated comment");
            }
            pos = end + 3;
        }

        private void skipProcessingInstruction() throws MappingException {
            int end = s.indexOf("?>", pos + 2);
            if (end < 0) {
                throw malformed("unterminated processing instruction");
            }
            pos = end + 2;
        }

        private void expect(char c) throws MappingException {
            if (pos >= n || s.charAt(pos) != c) {
                throw malformed("expected '" + c + "' at position " + pos);
            }
            pos++;
        }

        /** Appends s[from, to) after checking XML characters and normalising line ends. */
        private void appendChecked(StringBuilder out, int from, int to) throws MappingException {
            checkChars(from, to);
            for (int i = from; i < to; i++) {
                char c = s.charAt(i);
                if (c == '\r') {
                    out.append('\n');
                    if (i + 1 < to && s.charAt(i + 1) == '\n') {
                        i++;
                    }
                } else {
                    out.append(c);
                }
            }
        }

        /** Checks the character (or surrogate pair) at {@code i}. */
        private void checkChar(int i) throws MappingException {
            char c = s.charAt(i);
            if ((c >= 0x20 && c < 0xD800) || c == '\t' || c == '\n' || c == '\r' || (c >= 0xE000 && c <= 0xFFFD)) {
                return;
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                return;
            }
            throw malformed(String.format("character U+%04X is not allowed in XML", (int) c));
        }

        private void checkChars(int from, int to) throws MappingException {
            for (int i = from; i < to; i++) {
                char c = s.charAt(i);
                if (c >= 0x20 && c < 0xD800) {
                    continue;
                }
                if (c == '\t' || c == '\n' || c == '\r' || (c >= 0xE000 && c <= 0xFFFD)) {
                    continue;
                }
                if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
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

        /** An open element: its namespace scope, attributes, children and text. */
        private final class Frame {
            final Frame parent;
            final String qname;
            final Map<String, String> declared;
            final boolean selfClosed;
            List<XmlElement> children;
            String text;
            StringBuilder moreText;
            String namespace;
            String localName;
            Map<String, String> attributes = Map.of();
            String lang;

            Frame(Frame parent, String qname, Map<String, String> declared, boolean selfClosed) {
                this.parent = parent;
                this.qname = qname;
                this.declared = declared;
                this.selfClosed = selfClosed;
            }

            void resolve(List<String[]> raw) throws MappingException {
                int colon = qname.indexOf(':');
                String prefix = colon < 0 ? "" : qname.substring(0, colon);
                localName = colon < 0 ? qname : qname.substring(colon + 1);
                if (localName.isEmpty() || localName.indexOf(':') >= 0 || (colon == 0)) {
                    throw malformed("invalid element name <" + qname + ">");
                }
                namespace = lookup(prefix);
                if (namespace == null) {
                    throw malformed("unbound prefix '" + prefix + "' on <" + qname + ">");
                }
                lang = parent == null ? "" : parent.lang;
                if (raw == null) {
                    return;
                }
                String[] keys = new String[raw.size()];
                String[] values = new String[raw.size()];
                int kept = 0;
                boolean sameLocalName = false;
                String[] seenNs = new String[raw.size()];
                String[] seenLocal = new String[raw.size()];
                int seen = 0;
                for (String[] a : raw) {
                    String aq = a[0];
                    int c = aq.indexOf(':');
                    String local = c < 0 ? aq : aq.substring(c + 1);
                    String ns = "";
                    if (c >= 0) {
                        String p = aq.substring(0, c);
                        ns = lookup(p);
                        if (ns == null || p.isEmpty() || local.isEmpty()) {
                            throw malformed("unbound or invalid attribute prefix in '" + aq + "'");
                        }
                    }
                    for (int i = 0; i < seen; i++) {
                        if (seenLocal[i].equals(local) && seenNs[i].equals(ns)) {
                            throw malformed("duplicate attribute '" + aq + "' on <" + qname + ">");
                        }
                    }
                    seenNs[seen] = ns;
                    seenLocal[seen++] = local;
                    if (XmlElement.XML_NS.equals(ns) && local.equals("lang")) {
                        lang = a[1];
                    } else {
                        for (int i = 0; i < kept; i++) {
                            sameLocalName |= keys[i].equals(local);
                        }
                        keys[kept] = local;
                        values[kept++] = a[1];
                    }
                }
                attributes = attributeMap(keys, values, kept, sameLocalName);
            }

            /**
             * Attributes by local name (a later one wins when two namespaces share a local name,
             * e.g. {@code type} and {@code xsi:type}). Built immutable so XmlElement need not copy.
             */
            private Map<String, String> attributeMap(String[] keys, String[] values, int count, boolean collisions) {
                if (count == 0) {
                    return Map.of();
                }
                if (count == 1) {
                    return Map.of(keys[0], values[0]);
                }
                if (!collisions) {
                    @SuppressWarnings("unchecked")
                    Map.Entry<String, String>[] entries = new Map.Entry[count];
                    for (int i = 0; i < count; i++) {
                        entries[i] = Map.entry(keys[i], values[i]);
                    }
                    return Map.ofEntries(entries);
                }
                Map<String, String> m = new HashMap<>(count * 2);
                for (int i = 0; i < count; i++) {
                    m.put(keys[i], values[i]);
                }
                return m;
            }

            private String lookup(String prefix) {
                if (prefix.equals("xml")) {
                    return XmlElement.XML_NS;
                }
                for (Frame f = this; f != null; f = f.parent) {
                    if (f.declared != null) {
                        String ns = f.declared.get(prefix);
                        if (ns != null) {
                            return ns;
                        }
                    }
                }
                return prefix.isEmpty() ? "" : null;
            }

            void addChild(XmlElement child) {
                if (children == null) {
                    children = new ArrayList<>(4);
                    // whitespace between child elements is indentation, not content
                    if (text != null && text.isBlank() && moreText == null) {
                        text = null;
                    }
                }
                children.add(child);
            }

            void addText(String segment) {
                if (segment.isEmpty() || (children != null && segment.isBlank())) {
                    return;
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

            XmlElement build() {
                String t = moreText != null ? moreText.toString() : text == null ? "" : text;
                return new XmlElement(namespace, localName, attributes, lang, children == null ? List.of() : children, t);
            }
        }
    }
}
