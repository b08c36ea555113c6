package org.parley.xmpp.s2s;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which partner domains may federate with Parley and how they must authenticate, like Lync's XMPP
 * federated-partner list: an explicit deny list wins, then the configured partners (and their
 * additional domains), then the rules for unknown partners ({@code null}: unknown partners are
 * refused).
 *
 * @param partners       rules by partner domain
 * @param denied         partners always refused
 * @param unknownPartners rules for domains on neither list, or {@code null} to refuse them
 */
public record PartnerPolicy(Map<String, PartnerRules> partners, Set<String> denied, PartnerRules unknownPartners) {

    public PartnerPolicy {
        partners = partners == null ? Map.of()
                : partners.entrySet().stream().collect(Collectors.toUnmodifiableMap(e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue));
        denied = denied == null ? Set.of() : denied.stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** Open federation with default rules: everyone but the denied. */
    public static PartnerPolicy open(Set<String> denied) {
        return new PartnerPolicy(Map.of(), denied, PartnerRules.DEFAULT);
    }

    /** Closed federation: only the listed partners, with default rules. */
    public static PartnerPolicy only(Set<String> allowed) {
        return new PartnerPolicy(allowed.stream().collect(Collectors.toMap(d -> d, d -> PartnerRules.DEFAULT)), Set.of(), null);
    }

    /** The same policy with every partner (and unknown partners) held to {@code rules}. */
    public static PartnerPolicy everyone(PartnerRules rules) {
        return new PartnerPolicy(Map.of(), Set.of(), rules);
    }

    public boolean permits(String domain) {
        return rulesFor(domain).isPresent();
    }

    /** The rules that apply to {@code domain}, or empty when it may not federate at all. */
    public Optional<PartnerRules> rulesFor(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (denied.contains(d)) {
            return Optional.empty();
        }
        PartnerRules direct = partners.get(d);
        if (direct != null) {
            return Optional.of(direct);
        }
        for (PartnerRules r : partners.values()) {
            if (r.additionalDomains().contains(d)) {
                return Optional.of(r);
            }
        }
        return Optional.ofNullable(unknownPartners);
    }
}
