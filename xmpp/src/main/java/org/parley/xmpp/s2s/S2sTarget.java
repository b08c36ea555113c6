package org.parley.xmpp.s2s;

/** Where a partner domain's s2s service listens. */
public record S2sTarget(String host, int port) {

    public S2sTarget {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
