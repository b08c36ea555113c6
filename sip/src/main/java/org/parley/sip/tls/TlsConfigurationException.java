package org.parley.sip.tls;

/** A TLS file or setting that cannot be used; the message names the file and the fix. */
public final class TlsConfigurationException extends Exception {

    private static final long serialVersionUID = 1L;

    public TlsConfigurationException(String message) {
        super(message);
    }

    public TlsConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
