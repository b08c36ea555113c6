package org.parley.xmpp.s2s;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which partner domains may federate with Parley, like Lync's XMPP federated-partner list: an
 * explicit deny list wins, then the allow list, then the default for domains on neither.
 *
 * @param allowed       partners always allowed
 * @param denied        partners always refused
 * @param allowUnknown  whether domains on neither list may federate
 */
public record PartnerPolicy(Set<String> allowed, Set<String> denied, boolean allowUnknown) {

    public PartnerPolicy {
        allowed = lower(allowed);
        denied = lower(denied);
    }

    /** Open federation: everyone but the denied. */
    public static PartnerPolicy open(Set<String> denied) {
        return new PartnerPolicy(Set.of(), denied, true);
    }

    /** Closed federation: only the listed partners. */
    public static PartnerPolicy only(Set<String> allowed) {
        return new PartnerPolicy(allowed, Set.of(), false);
    }

    public boolean permits(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (denied.contains(d)) {
            return false;
        }
        return allowed.contains(d) || allowUnknown;
    }

    private static Set<String> lower(Set<String> domains) {
        return domains == null ? Set.of() : domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }
}
