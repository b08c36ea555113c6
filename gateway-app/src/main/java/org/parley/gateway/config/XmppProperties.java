package org.parley.gateway.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The XMPP side: server-to-server federation and/or an XEP-0114 component link.
 *
 * @param s2s       federation listener, outbound streams and partner policy
 * @param component the component link to an internal XMPP server (off unless {@code enabled})
 * @param domains   XMPP domains SIP users may address (besides the configured partners and routes),
 *                  e.g. the internal XMPP server's domain in component mode
 * @param rateLimit per-partner rate limits
 */
public record XmppProperties(@DefaultValue @Valid S2s s2s, @DefaultValue @Valid Component component, List<String> domains,
                             @DefaultValue @Valid RateLimit rateLimit) {

    /**
     * Per-partner limits (Lync's ThrottleAsServer analogue): stanzas a second each XMPP partner domain
     * may send through the gateway, and that may be sent to it from the Lync side; 0 turns them off.
     *
     * @param perPartnerPerSecond sustained rate per partner domain
     * @param burst               how many may come at once before the rate applies
     */
    public record RateLimit(@DefaultValue("1000") @Min(0) double perPartnerPerSecond, @DefaultValue("2000") @Min(0) double burst) {
    }

    public XmppProperties {
        domains = domains == null ? List.of() : List.copyOf(domains);
    }

    /** The same configuration with {@code s2s.partners} replaced. */
    public XmppProperties withPartners(Map<String, Partner> partners) {
        return new XmppProperties(new S2s(s2s.enabled, s2s.listenAddress, s2s.port, s2s.directTlsPort, s2s.unknownPartners, partners,
                s2s.denied, s2s.routes, s2s.dialbackSecret), component, domains, rateLimit);
    }

    /**
     * @param enabled         serve s2s federation
     * @param listenAddress   address the s2s listener binds
     * @param port            STARTTLS port (5269)
     * @param directTlsPort   XEP-0368 direct TLS port (5270), 0 for none
     * @param unknownPartners {@code allow} (with default rules) or {@code refuse} partners not listed
     * @param partners        per-partner rules by domain
     * @param denied          partners always refused
     * @param routes          static routes, partner domain → host:port, no DNS needed
     * @param dialbackSecret  shared secret for dialback keys (set the same value on every pool member); empty: random per process
     */
    public record S2s(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("127.0.0.1") @NotBlank String listenAddress,
            @DefaultValue("5269") @Min(1) @Max(65535) int port,
            @DefaultValue("0") @Min(0) @Max(65535) int directTlsPort,
            @DefaultValue("allow") String unknownPartners,
            Map<String, Partner> partners,
            List<String> denied,
            Map<String, String> routes,
            @DefaultValue("") String dialbackSecret) {

        public S2s {
            if (!unknownPartners.equals("allow") && !unknownPartners.equals("refuse")) {
                throw new IllegalArgumentException("parley.xmpp.s2s.unknown-partners must be 'allow' or 'refuse', not '" + unknownPartners + "'");
            }
            partners = partners == null ? Map.of() : Map.copyOf(partners);
            denied = denied == null ? List.of() : List.copyOf(denied);
            routes = routes == null ? Map.of() : Map.copyOf(routes);
            routes.forEach((domain, target) -> HostAndPort.parse(target, "parley.xmpp.s2s.routes." + domain));
        }
    }

    /**
     * Lync's XMPP federated-partner settings for one partner.
     *
     * @param tls               {@code required} or {@code optional}
     * @param saslExternal      {@code required} or {@code allowed}
     * @param dialback          whether dialback is accepted
     * @param additionalDomains further domains the partner's servers speak for
     * @param type              Lync's partner type ({@code -PartnerType}): {@code federated} (the default),
     *                          {@code public-verified} or {@code public-unverified} — a public unverified partner's users
     *                          reach a Lync user only once that user has added them (Lync's spellings are accepted too)
     * @param pin               SHA-256 pins (base64) of the keys of the partner's certificates, trusted without a CA:
     *                          for a partner with a self-signed certificate; one or a list (a key rollover lists both)
     */
    public record Partner(@DefaultValue("required") String tls, @DefaultValue("allowed") String saslExternal,
                          @DefaultValue("true") boolean dialback, List<String> additionalDomains,
                          @DefaultValue("federated") String type, List<String> pin) {
        public Partner {
            org.parley.gateway.routing.PartnerTypes.Type.parse(type, "a partner's type");
            if (!tls.equals("required") && !tls.equals("optional")) {
                throw new IllegalArgumentException("a partner's tls must be 'required' or 'optional', not '" + tls + "'");
            }
            if (!saslExternal.equals("required") && !saslExternal.equals("allowed")) {
                throw new IllegalArgumentException("a partner's sasl-external must be 'required' or 'allowed', not '" + saslExternal + "'");
            }
            if (saslExternal.equals("required") && tls.equals("optional")) {
                throw new IllegalArgumentException("a partner with sasl-external: required needs tls: required (EXTERNAL runs over TLS)");
            }
            additionalDomains = additionalDomains == null ? List.of() : List.copyOf(additionalDomains);
            pin = pin == null ? List.of() : pin.stream().map(p -> org.parley.xmpp.s2s.KeyPins.parse(p, "a partner's pin")).toList();
        }
    }

    /**
     * @param enabled  connect as an external component
     * @param host     the XMPP server's component port host
     * @param port     its component port
     * @param secret   the shared component secret
     */
    public record Component(@DefaultValue("false") boolean enabled, @DefaultValue("127.0.0.1") String host,
                            @DefaultValue("5347") int port, @DefaultValue("") String secret) {
        public Component {
            if (enabled && secret.isBlank()) {
                throw new IllegalArgumentException("parley.xmpp.component.secret must be set when the component link is enabled");
            }
        }
    }
}
