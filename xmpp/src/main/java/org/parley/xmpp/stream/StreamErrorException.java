package org.parley.xmpp.stream;

/**
 * The stream must be closed with a stream error (RFC 6120 §4.9): the condition to send and a
 * human-readable text for the {@code <text/>} child and the log.
 */
public final class StreamErrorException extends Exception {

    private static final long serialVersionUID = 1L;

    private final StreamErrorCondition condition;

    public StreamErrorException(StreamErrorCondition condition, String text) {
        super(text);
        this.condition = condition;
    }

    public StreamErrorCondition condition() {
        return condition;
    }

    /** The {@code <stream:error/>} element to send before closing the stream. */
    public String toXml() {
        String text = getMessage() == null ? "" : getMessage().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return "<stream:error><" + condition.xmppName() + " xmlns='" + StreamErrorCondition.NAMESPACE + "'/>"
                + "<text xmlns='" + StreamErrorCondition.NAMESPACE + "'>" + text + "</text></stream:error></stream:stream>";
    }
}
