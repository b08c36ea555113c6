package org.parley.presence.model;

/**
 * The text of a record as its generated {@code toString()} writes it ({@code Name[a=1, b=x]}), built with a
 * {@link StringBuilder}. JDK 17 generates record {@code toString()} with {@code String.format}, and the gateway's trace
 * renders every event it translates: that formatting was an eighth of the CPU of a SIP → XMPP message
 * (docs/performance.md). The models override {@code toString()} with this; {@code RecordTextTest} holds each to the
 * generated form.
 */
final class RecordText {

    private final StringBuilder text;
    private boolean first = true;

    RecordText(String recordName) {
        text = new StringBuilder(160).append(recordName).append('[');
    }

    RecordText add(String component, Object value) {
        separate(component);
        text.append(value);
        return this;
    }

    RecordText add(String component, int value) {
        separate(component);
        text.append(value);
        return this;
    }

    RecordText add(String component, boolean value) {
        separate(component);
        text.append(value);
        return this;
    }

    private void separate(String component) {
        if (!first) {
            text.append(", ");
        }
        first = false;
        text.append(component).append('=');
    }

    @Override
    public String toString() {
        return text.append(']').toString();
    }
}
