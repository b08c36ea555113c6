package org.parley.xmpp.s2s;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.parley.xmpp.stream.StreamLimits;

/**
 * One s2s listening port.
 *
 * @param directTls        TLS from the first byte (XEP-0368, conventionally port 5270) instead of STARTTLS (5269)
 * @param localDomains     the domains Parley serves (the Lync SIP domains)
 * @param negotiationTimeout how long a partner may take for each negotiation step
 * @param maxDialbackRequests dialback keys one stream may present (each costs a connection to the partner)
 * @param idleTimeout      an authenticated stream with no traffic at all (not even whitespace
 *                         keep-alives) for this long is closed cleanly; the partner reopens on demand
 */
public record S2sListenerConfig(String bindAddress, int port, boolean directTls, Set<String> localDomains, StreamLimits limits,
                                Duration negotiationTimeout, int maxDialbackRequests, Duration idleTimeout) {

    public S2sListenerConfig {
        localDomains = localDomains.stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        if (localDomains.isEmpty()) {
            throw new IllegalArgumentException("an s2s listener needs at least one local domain");
        }
    }

    /** STARTTLS listener with default limits. */
    public static S2sListenerConfig starttls(String bindAddress, int port, Set<String> localDomains) {
        return new S2sListenerConfig(bindAddress, port, false, localDomains, StreamLimits.DEFAULT, Duration.ofSeconds(30), 10,
                Duration.ofMinutes(10));
    }

    public S2sListenerConfig withDirectTls() {
        return new S2sListenerConfig(bindAddress, port, true, localDomains, limits, negotiationTimeout, maxDialbackRequests, idleTimeout);
    }

    public S2sListenerConfig withIdleTimeout(Duration idle) {
        return new S2sListenerConfig(bindAddress, port, directTls, localDomains, limits, negotiationTimeout, maxDialbackRequests, idle);
    }
}
