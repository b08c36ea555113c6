package org.parley.xmpp.s2s;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How one federation partner must authenticate, like a Lync XMPP federated-partner entry.
 *
 * @param tlsRequired          streams must be encrypted (STARTTLS or direct TLS); when false a
 *                             partner that cannot do TLS may still use dialback over plain TCP
 * @param saslExternalRequired only SASL EXTERNAL (a certificate valid for the domain) is accepted
 * @param dialbackAllowed      Server Dialback (XEP-0220) is accepted when EXTERNAL is not possible
 * @param additionalDomains    further domains the partner's servers speak for (same rules, may be
 *                             multiplexed over one stream)
 * @param pins                 keys of the partner's certificates ({@link KeyPins}) trusted without a CA: for partners
 *                             with self-signed certificates; empty: only the CA bundle
 */
public record PartnerRules(boolean tlsRequired, boolean saslExternalRequired, boolean dialbackAllowed, Set<String> additionalDomains,
                           Set<String> pins) {

    public PartnerRules(boolean tlsRequired, boolean saslExternalRequired, boolean dialbackAllowed, Set<String> additionalDomains) {
        this(tlsRequired, saslExternalRequired, dialbackAllowed, additionalDomains, Set.of());
    }

    /** TLS required, SASL EXTERNAL preferred, dialback as fallback: what most federations run. */
    public static final PartnerRules DEFAULT = new PartnerRules(true, false, true, Set.of());

    /** Only a certificate valid for the domain, over TLS. */
    public static final PartnerRules CERTIFICATE_ONLY = new PartnerRules(true, true, false, Set.of());

    /** Old partners: plain TCP allowed, dialback allowed. */
    public static final PartnerRules LEGACY = new PartnerRules(false, false, true, Set.of());

    public PartnerRules {
        additionalDomains = additionalDomains == null ? Set.of()
                : additionalDomains.stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        pins = pins == null ? Set.of() : Set.copyOf(pins);
        if (saslExternalRequired && !tlsRequired) {
            throw new IllegalArgumentException("SASL EXTERNAL needs TLS: a partner that must use EXTERNAL must also require TLS");
        }
        if (!dialbackAllowed && !saslExternalRequired) {
            // nothing is lost by saying so: without dialback, EXTERNAL is the only way in
            saslExternalRequired = true;
        }
    }

    public PartnerRules withAdditionalDomains(Set<String> domains) {
        return new PartnerRules(tlsRequired, saslExternalRequired, dialbackAllowed, domains, pins);
    }

    public PartnerRules withPins(Set<String> keys) {
        return new PartnerRules(tlsRequired, saslExternalRequired, dialbackAllowed, additionalDomains, keys);
    }
}
