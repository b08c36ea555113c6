package org.parley.presence.address;

import static org.parley.presence.address.EchoedInput.printable;

import java.util.Locale;
import org.parley.presence.MappingException;
import org.parley.presence.MappingException.Reason;
import org.parley.presence.model.Address;

/**
 * SIP and SIPS URIs (RFC 3261 §19.1) as addresses: the user part, the host as a domain, and the endpoint a GRUU or
 * Lync's {@code opaque=user:epid:...} names; {@code tel:} URIs and {@code user=phone} are refused (RFC 7247 §5.2).
 * Reads what Lync and SIP servers send; writes {@code sip:user@domain} with what RFC 3261 does not allow unescaped
 * %-escaped.
 */
final class SipUris {

    private SipUris() {
    }

    /**
     * Parses a {@code sip:}/{@code sips:} URI, optionally inside a name-addr ({@code "Bob" <sip:...>}).
     * The user part is percent-decoded; password, port and headers are dropped.
     */
    static Address parse(String text) throws MappingException {
        if (text == null || text.isBlank()) {
            throw new MappingException(Reason.MALFORMED_ADDRESS, "empty SIP URI");
        }
        Address plain = plainSipUri(text);
        if (plain != null) {
            return plain;
        }
        String uri = text.strip();
        int lt = uri.indexOf('<');
        if (lt >= 0) {
            int gt = uri.indexOf('>', lt);
            if (gt < 0) {
                throw new MappingException(Reason.MALFORMED_ADDRESS, "unterminated '<' in '" + printable(text) + "'");
            }
            uri = uri.substring(lt + 1, gt).strip();
        }
        // Positions in uri, not substrings: every presence from the front end parses one of these, and cutting
        // the URI into pieces that are thrown away again was a tenth of a categories translation.
        int colon = uri.indexOf(':');
        if (colon <= 0) {
            throw new MappingException(Reason.MALFORMED_ADDRESS, "'" + printable(text) + "' is not a URI");
        }
        requireSipScheme(uri, colon, text);
        // '@' cannot appear unescaped in userinfo, while '?' and ';' can (RFC 3261 user-unreserved):
        // split at the first '@', then cut headers off the host part only.
        int at = uri.indexOf('@', colon + 1);
        if (at <= colon + 1) {
            throw new MappingException(Reason.MALFORMED_ADDRESS, "SIP URI '" + printable(text) + "' has no user part");
        }
        int password = uri.indexOf(':', colon + 1);
        String user = PercentEncoding.decode(uri.substring(colon + 1, password >= 0 && password < at ? password : at), text);
        int headers = uri.indexOf('?', at + 1);
        int end = headers >= 0 ? headers : uri.length();
        int semicolon = uri.indexOf(';', at + 1);
        int hostEnd = semicolon >= 0 && semicolon < end ? semicolon : end;
        String host = stripPort(uri.substring(at + 1, hostEnd));
        String instance = hostEnd < end ? instanceFromParameters(uri.substring(hostEnd + 1, end), text) : null;
        if (user.isEmpty()) {
            throw new MappingException(Reason.MALFORMED_ADDRESS, "SIP URI '" + printable(text) + "' has an empty user part");
        }
        return Address.sip(user, DomainNames.normalise(host), instance);
    }

    /**
     * The usual form, {@code sip:user@domain} with nothing to decode, strip or cut off and a lower-case LDH domain
     * (every presence from the front end names its presentity so), read in one pass; {@code null} for anything
     * else, which the general parse below reads. For the strings it accepts, both give the same address.
     */
    private static Address plainSipUri(String text) {
        int n = text.length();
        if (n < 7 || !text.startsWith("sip:")) {
            return null;
        }
        int at = -1;
        for (int i = 4; i < n; i++) {
            char c = text.charAt(i);
            if (c == '@') {
                at = i;
                break;
            }
            if (c <= ' ' || c == ':' || c == '%' || c == ';' || c == '?' || c == '<' || c == '>') {
                return null;
            }
        }
        if (at <= 4) {
            return null;
        }
        String host = text.substring(at + 1);
        return DomainNames.isLowerCaseLdh(host) ? Address.sip(text.substring(4, at), host, null) : null;
    }

    /** The scheme is {@code sip} or {@code sips} in any case; {@code tel:} and every other scheme are refused. */
    private static void requireSipScheme(String uri, int colon, String text) throws MappingException {
        boolean sip = (colon == 3 || colon == 4) && isLetter(uri, 0, 's') && isLetter(uri, 1, 'i') && isLetter(uri, 2, 'p')
                && (colon == 3 || isLetter(uri, 3, 's'));
        if (sip) {
            return;
        }
        String scheme = uri.substring(0, colon).toLowerCase(Locale.ROOT);
        if (scheme.equals("tel")) {
            throw new MappingException(Reason.UNSUPPORTED_ADDRESS,
                    "tel: URI '" + printable(text) + "' has no XMPP equivalent");
        }
        throw new MappingException(Reason.UNSUPPORTED_ADDRESS, "URI scheme '" + printable(scheme) + "' is not sip or sips");
    }

    /** ASCII letter {@code lower} in either case: the scheme's case rule (RFC 3261 §19.1.4), without locale surprises. */
    private static boolean isLetter(String s, int i, char lower) {
        char c = s.charAt(i);
        return c == lower || c == lower - ('a' - 'A');
    }

    /**
     * The endpoint a URI's parameters name ({@code ;gr=}, or Lync's {@code ;opaque=user:epid:…;gruu}), or
     * {@code null}; {@code ;user=phone} is refused. Routing parameters (transport, lr, maddr, ...) are not identity.
     */
    private static String instanceFromParameters(String parameters, String text) throws MappingException {
        String instance = null;
        boolean opaqueGruu = false;
        String opaqueEpid = null;
        for (String p : parameters.split(";", -1)) {
            int eq = p.indexOf('=');
            String name = (eq < 0 ? p : p.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : p.substring(eq + 1).strip();
            switch (name) {
                case "user" -> {
                    if ("phone".equalsIgnoreCase(value)) {
                        throw new MappingException(Reason.UNSUPPORTED_ADDRESS,
                                "SIP URI '" + printable(text) + "' is a telephone number (user=phone); it has no XMPP equivalent");
                    }
                }
                case "gr" -> {
                    if (value != null && !value.isEmpty()) {
                        instance = PercentEncoding.decode(value, text);
                    }
                }
                case "opaque" -> {
                    if (value != null && value.startsWith("user:epid:")) {
                        opaqueEpid = value.substring("user:".length());
                    }
                }
                case "gruu" -> opaqueGruu = true;
                default -> {
                    // transport, lr, maddr, ...: routing, not identity
                }
            }
        }
        return instance == null && opaqueEpid != null && opaqueGruu ? opaqueEpid : instance;
    }

    /** Formats {@code sip:user@domain}, percent-encoding what RFC 3261 does not allow unescaped. */
    static String format(Address address) {
        StringBuilder b = new StringBuilder(32).append("sip:");
        PercentEncoding.encodeUser(address.user(), b);
        b.append('@').append(address.domain());
        if (address.hasInstance()) {
            String instance = address.instance();
            if (instance.startsWith("epid:")) {
                b.append(";opaque=user:").append(instance).append(";gruu");
            } else {
                b.append(";gr=");
                PercentEncoding.encodeParam(instance, b);
            }
        }
        return b.toString();
    }

    private static String stripPort(String hostport) throws MappingException {
        String h = hostport.strip();
        if (h.startsWith("[")) {
            throw new MappingException(Reason.UNSUPPORTED_ADDRESS, "IP-literal host '" + printable(h) + "' cannot be an XMPP domain");
        }
        int colon = h.indexOf(':');
        return colon >= 0 ? h.substring(0, colon) : h;
    }
}
