package org.parley.gateway.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;
import org.parley.sip.config.SipDialect;
import org.parley.sip.config.SipTransport;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Lync / Skype for Business side: Parley as a trusted application.
 *
 * @param domains        Lync SIP domains; their users are reachable from XMPP as user@domain
 * @param poolFqdn       the trusted application pool FQDN (certificate subject)
 * @param computerFqdn   this computer's FQDN in the pool (certificate SAN; Via and Contact host, so peers send
 *                       in-dialog requests here); empty: the listen address when it is one address (127.0.0.1 on
 *                       the embedded default), else this machine's canonical host name — never {@code localhost},
 *                       which a peer resolves to itself
 * @param frontEnds      the static route's targets, host:port (the front-end pool)
 * @param dialect        {@code lync} (msrtc categories, IM sessions) or {@code rfc} (PIDF, page mode)
 * @param listenAddress  address the SIP listener binds
 * @param listenPort     SIP listener port (5061 for a trusted application)
 * @param transport      {@code tls}; {@code tcp} only for labs
 * @param trustedPeers   certificate names accepted from the front end; empty: the front-end hosts and the Lync domains
 * @param dialects       dialect by SIP domain where it differs from {@code dialect}
 * @param computers      every computer FQDN of the trusted application pool (for {@code parley lync-commands}
 *                       and {@code parley csr}); empty: just {@code computerFqdn}
 * @param registrar      the front-end pool the trusted application pool registers with; empty: the first front end's host
 * @param site           the Lync site id of the trusted application pool
 * @param applicationId  the trusted application's id in the topology
 * @param connectTimeout how long a TCP + TLS connection to one front end may take before the next is tried
 * @param requestTimeout how long a request may wait for its final answer; with connectTimeout, the bound
 *                       within which an IM toward Lync is answered to its XMPP sender when no front end answers
 * @param targetBackoff  how long a front end that failed is skipped (the per-target circuit breaker)
 * @param subscriptionExpires the Expires Parley asks for in its SUBSCRIBEs toward Lync (refreshed at 80 %)
 * @param optionsProbe   how often each front-end target gets an OPTIONS (its answer marks the target healthy, its
 *                       silence backs it off; readiness needs one answer); {@code 0s}: off, then a target is judged
 *                       only by real traffic
 * @param keepAlive      how often a double-CRLF keep-alive (RFC 5626 §4.4.1) goes over each open front-end
 *                       connection, so firewalls and load balancers keep it; {@code 0s}: off
 */
public record LyncProperties(
        @DefaultValue("contoso.com") @NotEmpty(message = "list the Lync SIP domains in parley.lync.domains, e.g. [contoso.com]") List<String> domains,
        @DefaultValue("parley.contoso.com") @NotBlank(message = "set parley.lync.pool-fqdn to the trusted application pool FQDN") String poolFqdn,
        @DefaultValue("") String computerFqdn,
        @DefaultValue("127.0.0.1:5062") @NotEmpty(message = "set parley.lync.front-ends to the front-end pool, e.g. [lyncpool.contoso.com:5061]") List<String> frontEnds,
        @DefaultValue("lync") String dialect,
        @DefaultValue("127.0.0.1") @NotBlank String listenAddress,
        @DefaultValue("5061") @Min(1) @Max(65535) int listenPort,
        @DefaultValue("tls") String transport,
        List<String> trustedPeers,
        java.util.Map<String, String> dialects,
        List<String> computers,
        @DefaultValue("") String registrar,
        @DefaultValue("1") String site,
        @DefaultValue("parley") String applicationId,
        @DefaultValue("3s") java.time.Duration connectTimeout,
        @DefaultValue("8s") java.time.Duration requestTimeout,
        @DefaultValue("30s") java.time.Duration targetBackoff,
        @DefaultValue("1h") java.time.Duration subscriptionExpires,
        @DefaultValue("30s") java.time.Duration optionsProbe,
        @DefaultValue("30s") java.time.Duration keepAlive) {

    public LyncProperties {
        computerFqdn = computerFqdn == null || computerFqdn.isBlank() ? defaultComputerFqdn(listenAddress) : computerFqdn.strip();
        dialectOf(dialect, "parley.lync.dialect");
        transportOf(transport);
        trustedPeers = trustedPeers == null ? List.of() : List.copyOf(trustedPeers);
        computers = computers == null || computers.isEmpty() ? List.of(computerFqdn) : List.copyOf(computers);
        dialects = dialects == null ? java.util.Map.of() : java.util.Map.copyOf(dialects);
        dialects.forEach((domain, d) -> dialectOf(d, "parley.lync.dialects." + domain));
        requireNotNegative(optionsProbe, "parley.lync.options-probe");
        requireNotNegative(keepAlive, "parley.lync.keep-alive");
        for (String target : frontEnds) {
            HostAndPort.parse(target, "parley.lync.front-ends");
        }
    }

    /** The dialect spoken unless {@link #sipDialects()} says otherwise for a domain. */
    public SipDialect sipDialect() {
        return dialectOf(dialect, "parley.lync.dialect");
    }

    /** The dialect of each SIP domain where it differs from {@link #sipDialect()}, by domain. */
    public java.util.Map<String, SipDialect> sipDialects() {
        java.util.Map<String, SipDialect> typed = new java.util.HashMap<>();
        dialects.forEach((domain, d) -> typed.put(domain, dialectOf(d, "parley.lync.dialects." + domain)));
        return java.util.Map.copyOf(typed);
    }

    public SipTransport sipTransport() {
        return transportOf(transport);
    }

    /** The static route's targets. */
    public List<HostAndPort> frontEndTargets() {
        return frontEnds.stream().map(f -> HostAndPort.parse(f, "parley.lync.front-ends")).toList();
    }

    /**
     * The configuration's words for a dialect, read in one place. Spring could bind the enum itself, but its refusal
     * would not say which words are allowed: this one names the property and both words.
     */
    private static SipDialect dialectOf(String value, String property) {
        return switch (value) {
            case "lync" -> SipDialect.LYNC;
            case "rfc" -> SipDialect.RFC;
            default -> throw new IllegalArgumentException(property + " must be 'lync' or 'rfc', not '" + value + "'");
        };
    }

    private static SipTransport transportOf(String value) {
        return switch (value) {
            case "tls" -> SipTransport.TLS;
            case "tcp" -> SipTransport.TCP;
            default -> throw new IllegalArgumentException("parley.lync.transport must be 'tls' (or 'tcp' for labs), not '" + value + "'");
        };
    }

    private static void requireNotNegative(java.time.Duration d, String name) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must be 0s (off) or a positive interval, not " + d);
        }
    }

    /** A name a peer can reach this computer by, when none is configured. */
    static String defaultComputerFqdn(String listenAddress) {
        boolean wildcard = listenAddress.equals("0.0.0.0") || listenAddress.equals("::") || listenAddress.equals("[::]");
        if (listenAddress.equalsIgnoreCase("localhost")) {
            return "127.0.0.1"; // the same machine, but a name a peer resolves to itself
        }
        if (!wildcard) {
            return listenAddress;
        }
        try {
            java.net.InetAddress self = java.net.InetAddress.getLocalHost();
            String canonical = self.getCanonicalHostName();
            if (!self.isLoopbackAddress() && !canonical.equals("localhost")) {
                return canonical;
            }
            // a machine (or container) whose own name maps to loopback: its first routable address instead, IPv4 first
            java.util.List<java.net.InetAddress> routable = new java.util.ArrayList<>();
            for (java.net.NetworkInterface nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp() && !nic.isVirtual() && !nic.isLoopback()) {
                    for (java.net.InetAddress a : java.util.Collections.list(nic.getInetAddresses())) {
                        if (!a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                            routable.add(a);
                        }
                    }
                }
            }
            java.util.Optional<java.net.InetAddress> chosen = routable.stream().filter(a -> a instanceof java.net.Inet4Address).findFirst()
                    .or(() -> routable.stream().findFirst());
            if (chosen.isPresent()) {
                String ip = chosen.get().getHostAddress();
                return ip.contains("%") ? ip.substring(0, ip.indexOf('%')) : ip;
            }
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("parley.lync.computer-fqdn is not set and this machine's name does not resolve ("
                    + e.getMessage() + "): set it to this computer's FQDN in the trusted application pool");
        }
        throw new IllegalArgumentException("parley.lync.computer-fqdn is not set and this machine has only loopback addresses:"
                + " set it to this computer's FQDN in the trusted application pool");
    }
}
