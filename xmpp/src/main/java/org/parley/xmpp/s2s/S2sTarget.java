package org.parley.xmpp.s2s;

/**
 * Where a partner domain's s2s service listens.
 *
 * @param directTls TLS from the first byte (XEP-0368, {@code _xmpps-server._tcp}) instead of STARTTLS
 */
public record S2sTarget(String host, int port, boolean directTls) {

    public S2sTarget {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** A STARTTLS target. */
    public S2sTarget(String host, int port) {
        this(host, port, false);
    }

    @Override
    public String toString() {
        return host + ":" + port + (directTls ? " (direct TLS)" : "");
    }
}
