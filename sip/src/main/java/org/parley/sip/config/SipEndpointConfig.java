package org.parley.sip.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.parley.sip.tls.TlsMaterial;

/**
 * Everything the SIP side needs to run as a trusted application.
 *
 * @param poolFqdn          trusted-application pool FQDN (certificate subject; From host of requests Parley originates)
 * @param computerFqdn      this instance's FQDN (Contact host, so in-dialog requests come back here)
 * @param listenAddress     address to bind (127.0.0.1 in tests)
 * @param listenPort        port to bind (5061 in production; 0 is not allowed: Contact needs the real port)
 * @param transport         TLS, or TCP for labs
 * @param tls               identity and trust; required for TLS
 * @param frontEnds         static route: the front-end targets (the pool's addresses once resolved)
 * @param connectTimeout    TCP connect bound per target
 * @param requestTimeout    how long a request may wait for its final response before the target is failed
 * @param targetBackoff     how long a failed target is skipped
 * @param sipDomains        SIP domains Parley answers for as a gateway (the XMPP domains behind it)
 * @param dialect           presence dialect of the front end
 * @param timers            subscription and IM-session timing ({@code null}: {@link SipTimers#defaults()})
 * @param gruu              this instance's GRUU, used as Contact when set (RFC 5627; Lync assigns one
 *                          per trusted-application computer), {@code null} for the plain computer-FQDN Contact
 * @param domainDialects    dialect by SIP domain where it differs from {@code dialect} (e.g. a Lync pool
 *                          for contoso.com and a standard SIP server for another domain behind the same route)
 */
public record SipEndpointConfig(
        String poolFqdn,
        String computerFqdn,
        String listenAddress,
        int listenPort,
        SipTransport transport,
        TlsMaterial tls,
        List<HostPort> frontEnds,
        Duration connectTimeout,
        Duration requestTimeout,
        Duration targetBackoff,
        Set<String> sipDomains,
        SipDialect dialect,
        SipTimers timers,
        String gruu,
        java.util.Map<String, SipDialect> domainDialects) {

    public SipEndpointConfig {
        Objects.requireNonNull(poolFqdn, "poolFqdn");
        Objects.requireNonNull(computerFqdn, "computerFqdn");
        Objects.requireNonNull(listenAddress, "listenAddress");
        Objects.requireNonNull(transport, "transport");
        frontEnds = List.copyOf(frontEnds);
        sipDomains = Set.copyOf(sipDomains);
        if (transport == SipTransport.TLS && tls == null) {
            throw new IllegalArgumentException("transport TLS needs TLS material (certificate, key, CA bundle)");
        }
        if (listenPort < 1 || listenPort > 65535) {
            throw new IllegalArgumentException("listenPort must be a real port, got " + listenPort);
        }
        if (frontEnds.isEmpty()) {
            throw new IllegalArgumentException("at least one front-end target is required");
        }
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(3) : connectTimeout;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(8) : requestTimeout;
        targetBackoff = targetBackoff == null ? Duration.ofSeconds(30) : targetBackoff;
        dialect = dialect == null ? SipDialect.LYNC : dialect;
        timers = timers == null ? SipTimers.defaults() : timers;
        domainDialects = domainDialects == null ? java.util.Map.of() : java.util.Map.copyOf(domainDialects);
        if (gruu != null && !gruu.startsWith("sip:") && !gruu.startsWith("sips:")) {
            throw new IllegalArgumentException("gruu must be a sip: URI, got " + gruu);
        }
    }

    /** Without a GRUU: Contact is {@code sip:computerFqdn:listenPort;transport=...}. */
    public SipEndpointConfig(String poolFqdn, String computerFqdn, String listenAddress, int listenPort, SipTransport transport,
                             TlsMaterial tls, List<HostPort> frontEnds, Duration connectTimeout, Duration requestTimeout,
                             Duration targetBackoff, Set<String> sipDomains, SipDialect dialect, SipTimers timers) {
        this(poolFqdn, computerFqdn, listenAddress, listenPort, transport, tls, frontEnds, connectTimeout, requestTimeout,
                targetBackoff, sipDomains, dialect, timers, null, null);
    }

    /** The dialect spoken for {@code domain} (a SIP user's domain). */
    public SipDialect dialectFor(String domain) {
        return domain == null ? dialect : domainDialects.getOrDefault(domain.toLowerCase(java.util.Locale.ROOT), dialect);
    }

    public SipEndpointConfig withDomainDialects(java.util.Map<String, SipDialect> dialects) {
        return new SipEndpointConfig(poolFqdn, computerFqdn, listenAddress, listenPort, transport, tls, frontEnds, connectTimeout,
                requestTimeout, targetBackoff, sipDomains, dialect, timers, gruu, dialects);
    }

    public SipEndpointConfig withGruu(String newGruu) {
        return new SipEndpointConfig(poolFqdn, computerFqdn, listenAddress, listenPort, transport, tls, frontEnds, connectTimeout,
                requestTimeout, targetBackoff, sipDomains, dialect, timers, newGruu, domainDialects);
    }
}
