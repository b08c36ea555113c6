package org.parley.presence.xml;

/**
 * Collects an element's own character data the way {@link XmlElement#text()} exposes it: whitespace
 * between child elements is indentation, not content, so whitespace-only runs become text only when
 * no child element follows them and they are not between children. Whitespace is kept as offsets
 * until it turns out to be content (indentation is the common case and is never materialised).
 */
final class ElementText {

    private boolean childSeen;
    private String text;
    private StringBuilder moreText;
    private int pendingSpaceStart;
    private int pendingSpaceEnd;

    /** Adds the reader's current TEXT event. */
    void add(XmlReader reader) throws org.parley.presence.MappingException {
        if (reader.isWhitespace()) {
            addSpace(reader, reader.textStart(), reader.textEnd());
        } else {
            addText(reader, reader.text());
        }
    }

    void childSeen() {
        if (!childSeen) {
            childSeen = true;
            if (text != null && text.isBlank() && moreText == null) {
                text = null;
            }
            pendingSpaceEnd = pendingSpaceStart;
        }
    }

    String result(XmlReader reader) {
        flushPendingSpace(reader);
        return moreText != null ? moreText.toString() : text == null ? "" : text;
    }

    void reset() {
        childSeen = false;
        text = null;
        moreText = null;
        pendingSpaceStart = 0;
        pendingSpaceEnd = 0;
    }

    private void addSpace(XmlReader reader, int start, int end) {
        if (childSeen) {
            return;
        }
        if (text == null && pendingSpaceEnd == pendingSpaceStart) {
            pendingSpaceStart = start;
            pendingSpaceEnd = end;
            return;
        }
        addText(reader, reader.normalisedLineEnds(start, end));
    }

    private void addText(XmlReader reader, String segment) {
        if (segment.isEmpty() || (childSeen && segment.isBlank())) {
            return;
        }
        flushPendingSpace(reader);
        if (text == null) {
            text = segment;
        } else {
            if (moreText == null) {
                moreText = new StringBuilder(text.length() + segment.length() + 16).append(text);
            }
            moreText.append(segment);
        }
    }

    private void flushPendingSpace(XmlReader reader) {
        if (pendingSpaceEnd > pendingSpaceStart) {
            String space = reader.normalisedLineEnds(pendingSpaceStart, pendingSpaceEnd);
            pendingSpaceEnd = pendingSpaceStart;
            addText(reader, space);
        }
    }
}
