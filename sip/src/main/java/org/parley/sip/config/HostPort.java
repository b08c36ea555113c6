package org.parley.sip.config;

import java.util.Locale;
import java.util.Objects;

/** A host name or IP literal and a port. */
public record HostPort(String host, int port) {

    public HostPort {
        Objects.requireNonNull(host, "host");
        host = host.toLowerCase(Locale.ROOT);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Parses {@code host:port}; the port defaults to {@code defaultPort}. */
    public static HostPort parse(String text, int defaultPort) {
        String t = text.strip();
        int colon = t.lastIndexOf(':');
        if (colon > 0 && t.indexOf(':') == colon) {
            return new HostPort(t.substring(0, colon), Integer.parseInt(t.substring(colon + 1)));
        }
        return new HostPort(t, defaultPort);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
