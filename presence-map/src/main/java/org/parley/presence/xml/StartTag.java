package org.parley.presence.xml;

import org.parley.presence.MappingException;

/**
 * The current start tag: reads {@code <name attributes...>} or {@code <name .../>}, pushes its {@code xmlns}
 * declarations onto the {@link NamespaceScope}, puts its attributes into the {@link AttributeTable}, opens its
 * element in {@link OpenElements} and resolves the element's name to a namespace and local name (kept as a range of
 * the document, made a string only when asked for).
 */
final class StartTag {

    private final XmlScanner doc;
    private final OpenElements open;
    private final NamespaceScope scope;
    private final AttributeTable attributes;

    /** The element's namespace ("" for none) and local name, a range of the document. */
    String namespace;
    int localStart;
    int localLength;
    private String localName;
    /** An empty-element tag: its END follows without reading on. */
    boolean selfClosed;

    StartTag(XmlScanner doc, OpenElements open, NamespaceScope scope, AttributeTable attributes) {
        this.doc = doc;
        this.open = open;
        this.scope = scope;
        this.attributes = attributes;
    }

    void reset() {
        namespace = "";
        localName = null;
        localLength = 0;
    }

    /** Reads the tag at the position (its '<'), of the element that will be open at {@code depth}. */
    void read(int depth) throws MappingException {
        final XmlScanner d = doc;
        d.pos++; // '<'
        int qStart = d.pos;
        d.scanName();
        int qLength = d.pos - qStart;
        int qColon = d.nameColons > 1 ? -2 : d.nameColon;
        int mark = scope.count;
        int count = 0;
        boolean prefixed = false;
        while (true) {
            boolean space;
            if (d.pos + 1 < d.n && d.s[d.pos] == ' ' && d.s[d.pos + 1] > ' ') {
                d.pos++; // the usual single space before an attribute: no loop to leave
                space = true;
            } else {
                space = d.skipWhitespace();
            }
            if (d.pos >= d.n) {
                throw XmlScanner.malformed("unexpected end of document in tag <" + d.string(qStart, qLength) + ">");
            }
            char c = d.s[d.pos];
            if (c == '>') {
                d.pos++;
                selfClosed = false;
                break;
            }
            if (c == '/') {
                d.pos++;
                d.expect('>');
                selfClosed = true;
                break;
            }
            if (!space) {
                throw XmlScanner.malformed("expected whitespace before attribute in <" + d.string(qStart, qLength) + ">");
            }
            int aStart = d.pos;
            d.scanName();
            int aLength = d.pos - aStart;
            int aColon = d.nameColons > 1 ? -2 : d.nameColon;
            if (d.pos < d.n && d.s[d.pos] == '=') {
                d.pos++; // the usual k="v": no whitespace to skip around '='
            } else {
                d.skipWhitespace();
                d.expect('=');
            }
            if (d.pos < d.n && d.s[d.pos] <= ' ') {
                d.skipWhitespace();
            }
            boolean plain = d.scanAttributeValue();
            if (d.isXmlns(aStart, aLength)) {
                scope.declare(mark, aStart, aLength, d.valueStart, d.pos - 1, plain);
            } else {
                attributes.add(count++, aStart, aLength, aColon, d.valueStart, d.pos - 1, plain);
                prefixed |= aColon != -1;
            }
        }
        open.push(depth, qStart, qLength, mark);
        resolveElement(qStart, qLength, qColon);
        if (prefixed) {
            String lang = attributes.resolve(qStart, qLength, count, scope);
            if (lang != null) {
                open.setLang(depth, lang);
            }
        } else {
            attributes.requireUniqueNames(qStart, qLength, count);
        }
    }

    /** Colon positions come from the scan: -1 none, -2 more than one (never a valid QName). */
    private void resolveElement(int qStart, int qLength, int colon) throws MappingException {
        if (colon == -2 || colon == 0 || colon == qLength - 1) {
            throw XmlScanner.malformed("invalid element name <" + doc.string(qStart, qLength) + ">");
        }
        localName = null;
        if (colon < 0) {
            localStart = qStart;
            localLength = qLength;
            namespace = scope.lookup(qStart, 0);
        } else {
            localStart = qStart + colon + 1;
            localLength = qLength - colon - 1;
            namespace = scope.lookup(qStart, colon);
            if (namespace == null) {
                throw XmlScanner.malformed("unbound prefix '" + doc.string(qStart, colon) + "' on <"
                        + doc.string(qStart, qLength) + ">");
            }
        }
    }

    String localName() {
        if (localName == null) {
            localName = doc.shared(localStart, localLength);
        }
        return localName;
    }

    /** Whether the element is {@code {ns}local}; compares in place, no string made. */
    boolean is(String ns, String local) {
        return local.length() == localLength && doc.sameChars(local, localStart) && namespace.equals(ns);
    }
}
