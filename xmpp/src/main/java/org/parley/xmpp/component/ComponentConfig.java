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
 * @param queueCapacity  stanzas kept while the link is down (beyond: resource-constraint)
 * @param queueTimeout   how long a stanza may wait for the link (then: remote-server-timeout)
 */
public record ComponentConfig(String host, int port, String domain, String secret, Duration minBackoff, Duration maxBackoff,
                              int queueCapacity, Duration queueTimeout) {

    public ComponentConfig(String host, int port, String domain, String secret, Duration minBackoff, Duration maxBackoff) {
        this(host, port, domain, secret, minBackoff, maxBackoff, 1000, Duration.ofSeconds(15));
    }


    public ComponentConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(secret, "secret");
        minBackoff = minBackoff == null ? Duration.ofSeconds(1) : minBackoff;
        maxBackoff = maxBackoff == null ? Duration.ofMinutes(1) : maxBackoff;
        queueTimeout = queueTimeout == null ? Duration.ofSeconds(15) : queueTimeout;
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be positive");
        }
    }

    @Override
    public String toString() {
        return "ComponentConfig[" + domain + " @ " + host + ":" + port + ", secret=<redacted>]";
    }
}
