package org.parley.presence.xml;

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
 *
 * <p>This class is the event loop and the API. Its parts each have one job: {@link XmlScanner} the document and
 * the position in it, {@link OpenElements} the elements open there, {@link NamespaceScope} the declarations in
 * scope, {@link StartTag} reading a start tag and resolving its name, {@link AttributeTable} that tag's attributes,
 * {@link CharacterData} the current text, {@link CharacterReferences} what a reference stands for.
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

    private final XmlScanner doc = new XmlScanner();
    private final OpenElements open = new OpenElements(doc);
    private final NamespaceScope scope = new NamespaceScope(doc);
    private final AttributeTable attributes = new AttributeTable(doc);
    private final CharacterData text = new CharacterData(doc);
    private final StartTag tag = new StartTag(doc, open, scope, attributes);

    private XmlLimits limits;
    /** Open elements: the root is 1, 0 outside it. */
    private int depth;
    private int elements;
    private boolean rootSeen;
    private boolean finished;
    private boolean selfClosedPending;
    /** The reader has refused the document: reading on would report a later, misleading error. */
    private boolean failed;

    /** The current event. */
    private Event event;
    private int eventDepth;

    /** Reads {@code xml}, already copied into {@code chars} (which may be longer). */
    XmlReader(String xml, char[] chars, XmlLimits limits) {
        reset(xml, chars, limits);
    }

    /**
     * Starts over on another document, keeping the scratch arrays: a reader is reused per thread
     * because allocating its arrays for every body cost more than the scan of a small one.
     */
    void reset(String xml, char[] chars, XmlLimits limits) {
        doc.reset(xml, chars);
        this.limits = limits;
        elements = 0;
        rootSeen = false;
        finished = false;
        selfClosedPending = false;
        failed = false;
        depth = 0;
        scope.count = 0;
        event = null;
        eventDepth = 0;
        tag.reset();
        attributes.count = 0;
    }

    /** Reads {@code xml} as found inside an element whose default namespace is {@code inheritedDefault}. */
    void inheritDefaultNamespace(String inheritedDefault) {
        scope.inheritDefault(inheritedDefault);
    }

    /** Drops the references to the last document's strings and buffer (the reader itself is kept). */
    void clear() {
        doc.clear();
        // refused inside a tag, before its slots were counted: each part clears everything
        scope.clear(failed);
        attributes.clear(failed);
        open.clear(failed);
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
        final XmlScanner d = doc;
        while (true) {
            int depth = this.depth;
            if (depth == 0) {
                Event e = outsideRoot();
                if (e != null) {
                    return e;
                }
                continue;
            }
            int pos = d.pos;
            if (pos >= d.n) {
                throw XmlScanner.malformed("unexpected end of document inside <" + open.qname(depth) + ">");
            }
            if (d.s[pos] != '<') {
                text.scanText();
                return textEvent();
            }
            char next = pos + 1 < d.n ? d.s[pos + 1] : 0;
            if (next == '/') {
                d.pos = pos + 2;
                open.matchEndTag(depth);
                return end();
            } else if (next == '!') {
                if (markupDeclaration()) {
                    return textEvent();
                }
            } else if (next == '?') {
                d.skipProcessingInstruction();
            } else {
                if (depth >= limits.maxDepth()) {
                    throw new MappingException(Reason.TOO_LARGE, "nesting deeper than " + limits.maxDepth());
                }
                return startTag();
            }
        }
    }

    /**
     * Before or after the root (prolog, epilog): skips whitespace, a comment or a processing instruction (then
     * {@code null}), or reads the root's START or END_DOCUMENT. Out of the loop in {@link #advance}, which is per event.
     */
    private Event outsideRoot() throws MappingException {
        final XmlScanner d = doc;
        if (d.pos < d.n && d.s[d.pos] <= ' ') {
            d.skipWhitespace(); // only when there is some: the JIT does not inline it on this path
        }
        int pos = d.pos;
        if (pos >= d.n) {
            if (!rootSeen) {
                throw XmlScanner.malformed("no root element");
            }
            finished = true;
            return event = Event.END_DOCUMENT;
        }
        if (d.s[pos] != '<') {
            throw XmlScanner.malformed("text outside the root element");
        }
        // the character after '<' decides, as inside the root: prefix tests here were calls the JIT did not inline
        char next = pos + 1 < d.n ? d.s[pos + 1] : 0;
        if (next == '?') {
            d.skipProcessingInstruction();
        } else if (next == '!') {
            if (!d.startsWith("<!--")) {
                throw new MappingException(Reason.FORBIDDEN_XML, "DTDs are not accepted in bodies");
            }
            d.skipComment();
        } else if (rootSeen) {
            throw XmlScanner.malformed("content after the root element");
        } else {
            rootSeen = true;
            return startTag();
        }
        return null;
    }

    /** Inside the root at {@code <!}: skips a comment, or scans a CDATA section (true); a declaration is refused. */
    private boolean markupDeclaration() throws MappingException {
        if (doc.startsWith("<!--")) {
            doc.skipComment();
            return false;
        }
        if (doc.startsWith("<![CDATA[")) {
            text.scanCdata();
            return true;
        }
        throw new MappingException(Reason.FORBIDDEN_XML, "DTDs are not accepted in bodies");
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
        return tag.namespace;
    }

    /** Local name of the current START's element. */
    public String localName() {
        return tag.localName();
    }

    /** Whether the current START's element is {@code {ns}local}; compares in place, no string made. */
    public boolean is(String ns, String local) {
        return tag.is(ns, local);
    }

    /** The {@code xml:lang} in scope at the current START ("" if none). */
    public String lang() {
        String lang = open.lang(eventDepth);
        return lang == null ? "" : lang;
    }

    /** Attributes of the current START, {@code xmlns} declarations and {@code xml:lang} excluded. */
    public int attributeCount() {
        return attributes.count;
    }

    public String attributeLocalName(int i) {
        return attributes.localName(i);
    }

    public String attributeNamespace(int i) {
        return attributes.namespace(i);
    }

    /** The value of attribute {@code i}, entities resolved and whitespace normalised (XML 1.0 §3.3.3). */
    public String attributeValue(int i) throws MappingException {
        return attributes.value(i);
    }

    /**
     * The value of the attribute with this local name on the current START, or {@code null}. When two
     * namespaces share a local name ({@code type} and {@code xsi:type}) the later attribute wins.
     */
    public String attribute(String local) throws MappingException {
        return attributes.valueOf(local);
    }

    /**
     * Whether the current START has the attribute {@code local} with the value {@code expected}; compares in place
     * (no string made) when the value holds no reference or whitespace to normalise.
     */
    public boolean attributeEquals(String local, String expected) throws MappingException {
        return attributes.hasValue(local, expected);
    }

    /** The current TEXT as a string (references resolved, line ends normalised). */
    public String text() throws MappingException {
        return text.text();
    }

    /** Whether the current TEXT is whitespace outside CDATA (indentation, usually). */
    public boolean isWhitespace() {
        return text.space;
    }

    /**
     * From a START, reads to its END and returns the element's own character data the way
     * {@link XmlElement#text()} has it (children are read and checked, their text is not included).
     */
    public String elementText() throws MappingException {
        requireStart("elementText");
        int d = eventDepth;
        ElementText own = new ElementText();
        while (true) {
            Event e = next();
            if (e == Event.END && eventDepth == d) {
                return own.result(this);
            }
            if (e == Event.TEXT && eventDepth == d) {
                own.add(this);
            } else if (e == Event.START && eventDepth == d + 1) {
                own.childSeen();
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
        String childText = null;
        boolean seen = false;
        int d = eventDepth;
        while (nextChild(d)) {
            if (!seen && is(ns, local)) {
                seen = true;
                childText = elementText();
            }
        }
        return childText;
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

    private Event startTag() throws MappingException {
        if (++elements > limits.maxElements()) {
            throw new MappingException(Reason.TOO_LARGE, "more than " + limits.maxElements() + " elements");
        }
        int d = depth + 1;
        tag.read(d);
        depth = d;
        eventDepth = d;
        selfClosedPending = tag.selfClosed;
        return event = Event.START;
    }

    private Event end() {
        int d = depth;
        eventDepth = d;
        scope.count = open.mark(d);
        depth = d - 1;
        attributes.count = 0;
        return event = Event.END;
    }

    private Event textEvent() {
        eventDepth = depth;
        return event = Event.TEXT;
    }

    /** For {@link ElementText}: s[start, end) with CR and CRLF as line feeds (XML 1.0 §2.11). */
    String normalisedLineEnds(int start, int end) {
        return doc.normalisedLineEnds(start, end);
    }

    int textStart() {
        return text.start;
    }

    int textEnd() {
        return text.end;
    }
}
