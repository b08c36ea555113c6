package org.parley.presence.model;

/** RFC 6120 §8.3.2 error types. */
public enum ErrorType {
    AUTH, CANCEL, CONTINUE, MODIFY, WAIT;

    public String xmppName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
