package org.parley.xmpp.s2s;

/** A server-to-server stream could not be established; the message names the step and the partner. */
public final class S2sException extends Exception {

    private static final long serialVersionUID = 1L;

    public S2sException(String message) {
        super(message);
    }

    public S2sException(String message, Throwable cause) {
        super(message, cause);
    }
}
