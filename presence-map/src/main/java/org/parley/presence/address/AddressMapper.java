package org.parley.presence.address;

import static org.parley.presence.address.EchoedInput.printable;

import java.text.Normalizer;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;
import org.parley.presence.MappingException;
import org.parley.presence.MappingException.Reason;
import org.parley.presence.model.Address;

/**
 * Maps addresses between XMPP and SIP following RFC 7247 §5 and RFC 7622.
 *
 * <ul>
 *   <li>{@code user@domain} ⇄ {@code sip:user@domain}: the domain is kept; only configured domains
 *       are mapped (unless the mapper was made for any domain).</li>
 *   <li>Case: a JID localpart is case-insensitive (PRECIS UsernameCaseMapped), a SIP user part is
 *       case-sensitive (RFC 3261 §19.1.4). SIP → XMPP therefore case-folds: {@code sip:Alice@x} and
 *       {@code sip:alice@x} become the same JID. XMPP → SIP emits the folded form. Lync and most
 *       SIP servers compare user parts case-insensitively, so nothing routable is lost.</li>
 *   <li>Characters a localpart forbids ({@code " & ' / : < > @} space, and {@code \} before an
 *       escape code) are XEP-0106 escaped going to XMPP and unescaped going to SIP.</li>
 *   <li>{@code tel:} URIs and {@code sip:...;user=phone} are refused: a telephone number has no
 *       XMPP equivalent (RFC 7247 §5.2 leaves them out of scope).</li>
 *   <li>XMPP resource ⇄ SIP instance: a GRUU's {@code gr} parameter or Lync's
 *       {@code opaque=user:epid:...} endpoint id.</li>
 * </ul>
 * Every failure is a {@link MappingException}; nothing else escapes.
 *
 * <p>This class keeps the configured domains, reads and writes JIDs and maps between the two sides; its parts:
 * {@link SipUris} reads and writes SIP URIs, {@link DomainNames} normalises domains, {@link PercentEncoding} the
 * URI escapes, {@link JidEscaping} XEP-0106, {@link Precis} the localpart and resourcepart rules.
 */
public final class AddressMapper {

    private final Set<String> domains;
    private final boolean anyDomain;

    private AddressMapper(Set<String> domains, boolean anyDomain) {
        this.domains = domains;
        this.anyDomain = anyDomain;
    }

    /** A mapper for the given domains (Lync SIP domains and the XMPP domains federated with them). */
    public static AddressMapper forDomains(Collection<String> domains) throws MappingException {
        Set<String> normalised = new java.util.LinkedHashSet<>();
        for (String d : domains) {
            normalised.add(DomainNames.normalise(d));
        }
        return new AddressMapper(Set.copyOf(normalised), false);
    }

    /** A mapper that accepts every syntactically valid domain (open federation). */
    public static AddressMapper anyDomain() {
        return new AddressMapper(Set.of(), true);
    }

    public Set<String> domains() {
        return domains;
    }

    // ------------------------------------------------------------------ XMPP

    /** Parses and normalises a JID ({@code [local@]domain[/resource]}); a localpart is required. */
    public Address parseJid(String jid) throws MappingException {
        if (jid == null || jid.isEmpty()) {
            throw new MappingException(Reason.MALFORMED_ADDRESS, "empty JID");
        }
        int slash = jid.indexOf('/');
        String bare = slash < 0 ? jid : jid.substring(0, slash);
        String resource = slash < 0 ? null : jid.substring(slash + 1);
        int at = bare.indexOf('@');
        if (at < 0) {
            throw new MappingException(Reason.MALFORMED_ADDRESS, "JID '" + printable(jid) + "' has no localpart");
        }
        if (bare.indexOf('@', at + 1) >= 0) {
            throw new MappingException(Reason.MALFORMED_ADDRESS, "JID '" + printable(jid) + "' has more than one '@'");
        }
        String local = Precis.usernameCaseMapped(bare.substring(0, at));
        String problem = Precis.localpartProblem(local);
        if (problem != null) {
            throw new MappingException(Reason.MALFORMED_ADDRESS, "JID '" + printable(jid) + "': " + problem);
        }
        String domain = DomainNames.normalise(bare.substring(at + 1));
        if (resource != null) {
            if (!Precis.isAscii(resource)) {
                resource = Normalizer.normalize(resource, Normalizer.Form.NFC);
            }
            String rp = Precis.resourceProblem(resource);
            if (rp != null) {
                throw new MappingException(Reason.MALFORMED_ADDRESS, "JID '" + printable(jid) + "': " + rp);
            }
        }
        return Address.xmpp(local, domain, resource);
    }

    public String formatJid(Address address) {
        requireScheme(address, Address.Scheme.XMPP);
        String bare = address.user() + "@" + address.domain();
        return address.hasInstance() ? bare + "/" + address.instance() : bare;
    }

    // ------------------------------------------------------------------ SIP

    /**
     * Parses a {@code sip:}/{@code sips:} URI, optionally inside a name-addr ({@code "Bob" <sip:...>}).
     * The user part is percent-decoded; password, port and headers are dropped.
     */
    public Address parseSipUri(String text) throws MappingException {
        return SipUris.parse(text);
    }

    /** Formats {@code sip:user@domain}, percent-encoding what RFC 3261 does not allow unescaped. */
    public String formatSipUri(Address address) {
        requireScheme(address, Address.Scheme.SIP);
        return SipUris.format(address);
    }

    // ------------------------------------------------------------------ mapping

    /** XMPP → SIP (RFC 7247 §5.1). */
    public Address toSip(Address xmpp) throws MappingException {
        requireScheme(xmpp, Address.Scheme.XMPP);
        requireDomain(xmpp.domain());
        String user = JidEscaping.unescape(xmpp.user());
        return Address.sip(user, xmpp.domain(), xmpp.instance());
    }

    /** SIP → XMPP (RFC 7247 §5.2). */
    public Address toXmpp(Address sip) throws MappingException {
        requireScheme(sip, Address.Scheme.SIP);
        requireDomain(sip.domain());
        String user = sip.user();
        if (user.startsWith(" ") || user.endsWith(" ")) {
            throw new MappingException(Reason.MALFORMED_ADDRESS,
                    "SIP user part '" + printable(user) + "' begins or ends with a space, which XEP-0106 cannot carry");
        }
        String local;
        if (Precis.isPlainLocalpart(user)) {
            local = user; // nothing to case-fold, escape or refuse: the usual user part, checked in one pass
        } else {
            local = JidEscaping.escape(Precis.usernameCaseMapped(user));
            String problem = Precis.localpartProblem(local);
            if (problem != null) {
                throw new MappingException(Reason.MALFORMED_ADDRESS, "SIP user part '" + printable(user) + "': " + problem);
            }
        }
        String resource = sip.instance();
        if (resource != null && Precis.resourceProblem(resource) != null) {
            resource = null; // an instance id XMPP cannot carry only loses endpoint targeting
        }
        return Address.xmpp(local, sip.domain(), resource);
    }

    /** Convenience: JID text → SIP URI text. */
    public String jidToSipUri(String jid) throws MappingException {
        return formatSipUri(toSip(parseJid(jid)));
    }

    /** Convenience: SIP URI text → JID text. */
    public String sipUriToJid(String uri) throws MappingException {
        return formatJid(toXmpp(parseSipUri(uri)));
    }

    public boolean servesDomain(String domain) {
        return anyDomain || domains.contains(domain);
    }

    // ------------------------------------------------------------------ helpers

    private void requireDomain(String domain) throws MappingException {
        if (!servesDomain(domain)) {
            throw new MappingException(Reason.UNKNOWN_DOMAIN, "domain '" + domain + "' is not configured on this gateway (configured: "
                    + domains.stream().sorted().collect(Collectors.joining(", ")) + ")");
        }
    }

    private static void requireScheme(Address a, Address.Scheme scheme) {
        if (a.scheme() != scheme) {
            throw new IllegalArgumentException("expected a " + scheme + " address, got " + a);
        }
    }
}
