package org.parley.presence.xml;

import java.util.Arrays;
import org.parley.presence.MappingException;
import org.parley.presence.MappingException.Reason;

/**
 * Parses untrusted bodies (PIDF, msrtc categories, single stanzas) with the strict {@link XmlReader}:
 * into an {@link XmlElement} tree ({@link #parse}), or straight through a reader for a codec that
 * needs only a few values ({@link #read}).
 *
 * <p>Why not the JDK's StAX: creating one {@code XMLStreamReader} per body costs ≈ 10 µs (it
 * allocates its entity manager and buffers each time), which alone exceeded the 5 µs budget of a
 * whole presence translation. The reader does only what bodies need and refuses the rest: no DTD
 * (so no entity can be declared: billion laughs and external entities cannot happen), only the
 * predefined entities and character references, length, depth and element count capped
 * ({@link XmlLimits}), well-formedness checked. Every failure is a {@link MappingException}.
 * Instances are immutable and thread-safe.
 */
public final class SafeXmlParser {

    /** Documents up to this many characters are copied into a reused per-thread buffer. */
    private static final int REUSED_BUFFER_CHARS = 16 * 1024;

    /** What a codec does with a reader positioned before the root element. */
    @FunctionalInterface
    public interface Reading<T> {
        T read(XmlReader reader) throws MappingException;
    }

    private final XmlLimits limits;
    /**
     * One scratch buffer per thread and parser: copying the document into a fresh {@code char[]} was
     * 40 % of a categories parse's allocation. Bounded (at most {@link #REUSED_BUFFER_CHARS} chars per
     * thread); larger documents, and a read nested in another read on the same thread, get a buffer
     * of their own.
     */
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    public SafeXmlParser() {
        this(XmlLimits.DEFAULT);
    }

    public SafeXmlParser(XmlLimits limits) {
        this.limits = limits;
    }

    public XmlLimits limits() {
        return limits;
    }

    /** The whole document as a tree. */
    public XmlElement parse(String xml) throws MappingException {
        return read(xml, SafeXmlParser::tree);
    }

    /**
     * Hands a reader over {@code xml} to {@code reading}; the reader is valid only during the call.
     * Whatever {@code reading} leaves unread is read afterwards, so a document that is not
     * well-formed is refused (as malformed) even when the codec stopped early or failed first.
     */
    public <T> T read(String xml, Reading<T> reading) throws MappingException {
        return read(xml, null, reading);
    }

    /**
     * As {@link #read(String, Reading)} for a fragment cut from a larger document: {@code inheritedDefaultNamespace}
     * is the default namespace in scope where it stood ({@code null}: none), as a stanza read from an XMPP stream
     * inherits the stream's {@code jabber:server}. Prefixes the fragment does not declare stay unbound.
     */
    public <T> T read(String xml, String inheritedDefaultNamespace, Reading<T> reading) throws MappingException {
        if (xml == null || xml.isBlank()) {
            throw new MappingException(Reason.MALFORMED_BODY, "empty XML body");
        }
        if (xml.length() > limits.maxChars()) {
            throw new MappingException(Reason.TOO_LARGE,
                    "XML body of " + xml.length() + " characters exceeds the limit of " + limits.maxChars());
        }
        int length = xml.length();
        Scratch own = scratch.get();
        char[] buffer;
        boolean borrowed = !own.busy && length <= REUSED_BUFFER_CHARS;
        if (borrowed) {
            if (own.chars.length < length) {
                own.chars = new char[Math.min(REUSED_BUFFER_CHARS, Math.max(length, own.chars.length * 2))];
            }
            buffer = own.chars;
            own.busy = true;
        } else {
            buffer = new char[length];
        }
        xml.getChars(0, length, buffer, 0);
        XmlReader reader;
        if (borrowed) {
            reader = own.reader;
            reader.reset(xml, buffer, limits);
        } else {
            reader = new XmlReader(xml, buffer, limits);
        }
        if (inheritedDefaultNamespace != null) {
            reader.inheritDefaultNamespace(inheritedDefaultNamespace);
        }
        try {
            T result;
            try {
                result = reading.read(reader);
            } catch (MappingException codecError) {
                // A body that is not well-formed is refused as such, whatever the codec objected to first
                // (400 malformed, not 415 unsupported): the same answer the tree parser gives.
                reader.finish();
                throw codecError;
            }
            reader.finish();
            return result;
        } finally {
            if (borrowed) {
                reader.clear();
                own.busy = false;
            }
        }
    }

    /** A thread's reusable document buffer and reader, and whether a read on that thread is using them. */
    private static final class Scratch {
        char[] chars = new char[2048];
        final XmlReader reader = new XmlReader("", chars, XmlLimits.DEFAULT);
        boolean busy;
    }

    /** Builds the tree of the whole document, iteratively (the depth is capped by the reader, not the stack). */
    private static XmlElement tree(XmlReader reader) throws MappingException {
        Frame[] frames = new Frame[8];
        XmlElement root = null;
        while (true) {
            XmlReader.Event event = reader.next();
            int depth = reader.depth();
            switch (event) {
                case START -> {
                    if (depth == frames.length) {
                        frames = Arrays.copyOf(frames, depth * 2);
                    }
                    Frame frame = frames[depth];
                    if (frame == null) {
                        frame = new Frame();
                        frames[depth] = frame;
                    }
                    frame.open(reader);
                    if (depth > 1) {
                        frames[depth - 1].text.childSeen();
                    }
                }
                case TEXT -> frames[depth].text.add(reader);
                case END -> {
                    XmlElement done = frames[depth].build(reader);
                    if (depth == 1) {
                        root = done;
                    } else {
                        frames[depth - 1].addChild(done);
                    }
                }
                case END_DOCUMENT -> {
                    return root;
                }
                default -> throw new IllegalStateException(event.toString());
            }
        }
    }

    /** An open element of the tree being built; one per depth, reused by the next sibling after {@link #build}. */
    private static final class Frame {
        String namespace;
        String localName;
        String lang;
        String[] attributeNames;
        String[] attributeValues;
        XmlElement[] children;
        int childCount;
        final ElementText text = new ElementText();

        void open(XmlReader reader) throws MappingException {
            namespace = reader.namespace();
            localName = reader.localName();
            lang = reader.lang();
            int count = reader.attributeCount();
            if (count == 0) {
                attributeNames = NO_STRINGS;
                attributeValues = NO_STRINGS;
            } else {
                attributeNames = new String[count];
                attributeValues = new String[count];
                for (int i = 0; i < count; i++) {
                    attributeNames[i] = reader.attributeLocalName(i);
                    attributeValues[i] = reader.attributeValue(i);
                }
            }
            children = null;
            childCount = 0;
            text.reset();
        }

        void addChild(XmlElement child) {
            if (children == null) {
                children = new XmlElement[4];
            } else if (childCount == children.length) {
                children = Arrays.copyOf(children, childCount * 2);
            }
            children[childCount++] = child;
        }

        XmlElement build(XmlReader reader) {
            XmlElement[] exact = childCount == 0 ? XmlElement.NO_CHILDREN
                    : childCount == children.length ? children : Arrays.copyOf(children, childCount);
            XmlElement element = new XmlElement(namespace, localName, attributeNames, attributeValues, lang, exact,
                    text.result(reader));
            children = null;
            return element;
        }
    }

    private static final String[] NO_STRINGS = new String[0];
}
