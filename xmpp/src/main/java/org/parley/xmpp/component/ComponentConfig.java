package org.parley.xmpp.component;

import java.time.Duration;
import java.util.Objects;

/**
 * An XEP-0114 external-component link to an internal XMPP server.
 *
 * @param host           server host (its component port listens there)
 * @param port           component port (Prosody: component_ports, usually 5347)
 * @param domain         the component's domain: the Lync SIP domain Parley serves
 * @param secret         shared secret (never logged)
 * @param minBackoff     first reconnect delay
 * @param maxBackoff     reconnect delay cap
 */
public record ComponentConfig(String host, int port, String domain, String secret, Duration minBackoff, Duration maxBackoff) {

    public ComponentConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(secret, "secret");
        minBackoff = minBackoff == null ? Duration.ofSeconds(1) : minBackoff;
        maxBackoff = maxBackoff == null ? Duration.ofMinutes(1) : maxBackoff;
    }

    @Override
    public String toString() {
        return "ComponentConfig[" + domain + " @ " + host + ":" + port + ", secret=<redacted>]";
    }
}
