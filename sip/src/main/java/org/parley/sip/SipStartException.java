package org.parley.sip;

/** The SIP endpoint could not start; the message says which setting or port is at fault. */
public final class SipStartException extends Exception {

    private static final long serialVersionUID = 1L;

    public SipStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
