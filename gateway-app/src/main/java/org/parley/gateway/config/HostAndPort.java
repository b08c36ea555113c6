package org.parley.gateway.config;

/** A {@code host:port} value from the configuration, with an error that names the property. */
public record HostAndPort(String host, int port) {

    public static HostAndPort parse(String text, String property) {
        int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException(property + ": '" + text + "' is not host:port (e.g. lyncpool.contoso.com:5061)");
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return new HostAndPort(text.substring(0, colon), port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + ": '" + text + "' has no valid port (1-65535)");
        }
    }
}
