package org.parley.gateway.routing;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Lync's XMPP partner types ({@code New-CsXmppAllowedPartner -PartnerType}), per partner domain. What Parley does with
 * them: a {@link Type#PUBLIC_UNVERIFIED} partner's users reach a Lync user — a subscription request or an IM — only once
 * that Lync user has them as a contact (she watches them, or approved them); {@link Type#FEDERATED} and
 * {@link Type#PUBLIC_VERIFIED} partners' users reach anyone.
 *
 * @param byDomain    type per partner domain (and each of its additional domains), lower case
 * @param unlisted    the type of a domain not listed (an unknown partner admitted by {@code unknown-partners: allow})
 */
public record PartnerTypes(Map<String, Type> byDomain, Type unlisted) {

    /** The partner types, as Lync names them. */
    public enum Type {
        FEDERATED("Federated"), PUBLIC_VERIFIED("PublicVerified"), PUBLIC_UNVERIFIED("PublicUnverified");

        private final String lyncName;

        Type(String lyncName) {
            this.lyncName = lyncName;
        }

        /** Lync's name ({@code PublicUnverified}) or its kebab-case form ({@code public-unverified}), any case. */
        public static Type parse(String value, String property) {
            String v = value == null ? "" : value.strip();
            for (Type t : values()) {
                if (t.lyncName.equalsIgnoreCase(v) || t.name().replace('_', '-').equalsIgnoreCase(v)) {
                    return t;
                }
            }
            throw new IllegalArgumentException(property + " must be federated, public-verified or public-unverified (Lync's Federated, "
                    + "PublicVerified, PublicUnverified), not '" + value + "'");
        }

        public String lyncName() {
            return lyncName;
        }
    }

    /** Everyone federated: what Parley did before partner types. */
    public static final PartnerTypes ALL_FEDERATED = new PartnerTypes(Map.of(), Type.FEDERATED);

    public PartnerTypes {
        byDomain = byDomain.entrySet().stream().collect(Collectors.toUnmodifiableMap(e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue));
    }

    public Type of(String domain) {
        return byDomain.getOrDefault(domain.toLowerCase(Locale.ROOT), unlisted);
    }
}
