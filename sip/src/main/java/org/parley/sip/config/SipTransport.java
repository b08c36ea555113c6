package org.parley.sip.config;

/** Transports Parley speaks toward the front end. TCP only for labs, and only when configured. */
public enum SipTransport {
    TLS, TCP;

    public String jainName() {
        return name();
    }

    public String uriParam() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
