package org.parley.presence.xml;

/**
 * A tiny streaming XML writer for the bodies Parley renders. It escapes every attribute value and
 * text node; element names and namespaces come from code, never from input.
 */
public final class XmlWriter {

    private final StringBuilder out;
    private boolean tagOpen;

    public XmlWriter() {
        this(1024);
    }

    /**
     * A writer whose buffer starts at {@code expectedChars}, the size the caller's bodies usually have (a larger
     * body grows it): a 1 KB buffer for a 250-character presence was
     * nearly a third of a translation's allocation.
     */
    public XmlWriter(int expectedChars) {
        this.out = new StringBuilder(expectedChars);
    }

    public XmlWriter declaration() {
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        return this;
    }

    public XmlWriter start(String name) {
        closeTag();
        out.append('<').append(name);
        tagOpen = true;
        return this;
    }

    /** Writes an attribute on the element just started; {@code null} values are skipped. */
    public XmlWriter attribute(String name, String value) {
        if (!tagOpen) {
            throw new IllegalStateException("attribute outside a start tag: " + name);
        }
        if (value != null) {
            out.append(' ').append(name).append("=\"");
            escape(value, true);
            out.append('"');
        }
        return this;
    }

    /**
     * Writes an attribute whose value is fixed by the code (a namespace URI, a constant token) as it
     * is, like element names: escaping a constant on every render cost more than anything else in
     * rendering a body. Never pass input here; {@link #attribute} is for anything that varies.
     */
    public XmlWriter fixedAttribute(String name, String value) {
        if (!tagOpen) {
            throw new IllegalStateException("attribute outside a start tag: " + name);
        }
        out.append(' ').append(name).append("=\"").append(value).append('"');
        return this;
    }

    /** An attribute with a number value: digits need no escaping, and none goes through a string first. */
    public XmlWriter attribute(String name, int value) {
        if (!tagOpen) {
            throw new IllegalStateException("attribute outside a start tag: " + name);
        }
        out.append(' ').append(name).append("=\"").append(value).append('"');
        return this;
    }

    /**
     * Starts an element whose start tag, up to the attributes that vary, is a constant of the code
     * ({@code <lync-state xmlns="urn:parley:lync-state:0"}), in one copy; more attributes may follow. Like
     * {@link #fixedAttribute}: never pass input here, nothing is escaped.
     */
    public XmlWriter startFixed(String fixedStartTag) {
        closeTag();
        out.append(fixedStartTag);
        tagOpen = true;
        return this;
    }

    /**
     * Writes a whole element that is a constant of the code ({@code <show>dnd</show>}) in one copy instead of the
     * half-dozen pieces {@link #element} appends. Never pass input here, nothing is escaped.
     */
    public XmlWriter fixedMarkup(String markup) {
        closeTag();
        out.append(markup);
        return this;
    }

    public XmlWriter text(String value) {
        closeTag();
        if (value != null) {
            escape(value, false);
        }
        return this;
    }

    /** Closes the current element; writes {@code <x/>} when it has no content. */
    public XmlWriter end(String name) {
        if (tagOpen) {
            out.append("/>");
            tagOpen = false;
        } else {
            out.append("</").append(name).append('>');
        }
        return this;
    }

    /** Convenience: {@code <name>text</name>}. */
    public XmlWriter element(String name, String text) {
        start(name);
        text(text);
        return end(name);
    }

    @Override
    public String toString() {
        closeTag();
        return out.toString();
    }

    private void closeTag() {
        if (tagOpen) {
            out.append('>');
            tagOpen = false;
        }
    }

    private void escape(String s, boolean attribute) {
        int clean = cleanPrefix(s);
        if (clean == s.length()) {
            out.append(s); // the common case: nothing to escape, one bulk copy
            return;
        }
        out.append(s, 0, clean);
        for (int i = clean; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append(attribute ? "&quot;" : "\"");
                case '\n' -> out.append(attribute ? "&#10;" : "\n");
                case '\r' -> out.append("&#13;");
                case '\t' -> out.append(attribute ? "&#9;" : "\t");
                default -> {
                    // Characters XML 1.0 cannot carry at all are dropped rather than emitted broken.
                    if (c >= 0x20 || c == '\t') {
                        if (Character.isSurrogate(c) && !validSurrogatePair(s, i)) {
                            continue;
                        }
                        if (c == 0xFFFE || c == 0xFFFF) {
                            continue;
                        }
                        out.append(c);
                    }
                }
            }
        }
    }

    /** Length of the leading run that needs no escaping (printable ASCII and BMP text outside the surrogates). */
    private static int cleanPrefix(String s) {
        int i = 0;
        for (int n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '"' || (c >= 0xD800 && (c <= 0xDFFF || c >= 0xFFFE))) {
                break;
            }
        }
        return i;
    }

    private static boolean validSurrogatePair(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
