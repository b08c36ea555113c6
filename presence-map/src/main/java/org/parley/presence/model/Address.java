package org.parley.presence.model;

import java.util.Objects;

/**
 * A user address on one side of the gateway, already validated and normalised by
 * {@code org.parley.presence.address.AddressMapper}.
 *
 * @param scheme   which protocol the address belongs to
 * @param user     XMPP localpart (XEP-0106 escaped, case-folded) or SIP user part (decoded, case kept)
 * @param domain   lower-case domain (ASCII or U-label as received)
 * @param instance XMPP resource or SIP GRUU / endpoint id; {@code null} for a bare address
 */
public record Address(Scheme scheme, String user, String domain, String instance) implements java.io.Serializable {

    public enum Scheme { XMPP, SIP }

    public Address {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(domain, "domain");
        if (instance != null && instance.isEmpty()) {
            instance = null;
        }
    }

    public static Address xmpp(String user, String domain) {
        return new Address(Scheme.XMPP, user, domain, null);
    }

    public static Address xmpp(String user, String domain, String resource) {
        return new Address(Scheme.XMPP, user, domain, resource);
    }

    public static Address sip(String user, String domain) {
        return new Address(Scheme.SIP, user, domain, null);
    }

    public static Address sip(String user, String domain, String instance) {
        return new Address(Scheme.SIP, user, domain, instance);
    }

    public boolean hasInstance() {
        return instance != null;
    }

    /** The same address without resource / endpoint. */
    public Address bare() {
        return instance == null ? this : new Address(scheme, user, domain, null);
    }

    public Address withInstance(String newInstance) {
        return new Address(scheme, user, domain, newInstance);
    }

    /** {@code alice@contoso.com} without scheme or instance: the key both sides share. */
    public String userAtDomain() {
        return user + "@" + domain;
    }

    @Override
    public String toString() {
        String base = (scheme == Scheme.XMPP ? "xmpp:" : "sip:") + userAtDomain();
        return instance == null ? base : base + "/" + instance;
    }
}
