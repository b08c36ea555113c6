package org.parley.presence.address;

import java.net.IDN;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Collection;
import java.util.Locale;
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
            normalised.add(normaliseDomain(d));
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
        String domain = normaliseDomain(bare.substring(at + 1));
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
        String user = percentDecode(uri.substring(colon + 1, password >= 0 && password < at ? password : at), text);
        int headers = uri.indexOf('?', at + 1);
        int end = headers >= 0 ? headers : uri.length();
        int semicolon = uri.indexOf(';', at + 1);
        int hostEnd = semicolon >= 0 && semicolon < end ? semicolon : end;
        String host = stripPort(uri.substring(at + 1, hostEnd));
        String instance = hostEnd < end ? instanceFromParameters(uri.substring(hostEnd + 1, end), text) : null;
        if (user.isEmpty()) {
            throw new MappingException(Reason.MALFORMED_ADDRESS, "SIP URI '" + printable(text) + "' has an empty user part");
        }
        return Address.sip(user, normaliseDomain(host), instance);
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
        return isLowerCaseLdhDomain(host) ? Address.sip(text.substring(4, at), host, null) : null;
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
                        instance = percentDecode(value, text);
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
    public String formatSipUri(Address address) {
        requireScheme(address, Address.Scheme.SIP);
        StringBuilder b = new StringBuilder(32).append("sip:");
        percentEncodeUser(address.user(), b);
        b.append('@').append(address.domain());
        if (address.hasInstance()) {
            String instance = address.instance();
            if (instance.startsWith("epid:")) {
                b.append(";opaque=user:").append(instance).append(";gruu");
            } else {
                b.append(";gr=");
                percentEncodeParam(instance, b);
            }
        }
        return b.toString();
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

    static String normaliseDomain(String raw) throws MappingException {
        String d = raw.strip();
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (d.isEmpty()) {
            throw new MappingException(Reason.MALFORMED_ADDRESS, "empty domain");
        }
        if (isLowerCaseLdhDomain(d)) {
            return d; // what the checks below would return unchanged, found in one pass
        }
        String ascii;
        try {
            // LDH-only names are already A-labels: skip the (costly) IDNA conversion for them.
            ascii = isLdh(d) ? d.toLowerCase(Locale.ROOT) : IDN.toASCII(d, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new MappingException(Reason.MALFORMED_ADDRESS, "domain '" + printable(d) + "' is not a valid domain name");
        }
        if (ascii.isEmpty() || ascii.length() > 253) {
            throw new MappingException(Reason.MALFORMED_ADDRESS, "domain '" + printable(d) + "' has an invalid length");
        }
        for (int labelStart = 0; labelStart <= ascii.length(); ) {
            int dot = ascii.indexOf('.', labelStart);
            int labelEnd = dot < 0 ? ascii.length() : dot;
            if (labelEnd == labelStart || labelEnd - labelStart > 63) {
                throw new MappingException(Reason.MALFORMED_ADDRESS, "domain '" + printable(d) + "' has an empty or too long label");
            }
            labelStart = labelEnd + 1;
        }
        return ascii;
    }

    /**
     * Lower-case letters, digits, hyphens and dots, no label empty, longer than 63 or starting or ending in a
     * hyphen, at most 253 characters: a domain {@link #normaliseDomain} keeps as it is.
     */
    private static boolean isLowerCaseLdhDomain(String d) {
        int n = d.length();
        if (n == 0 || n > 253) {
            return false;
        }
        char prev = '.';
        int labelStart = 0;
        for (int i = 0; i < n; i++) {
            char c = d.charAt(i);
            if (c == '.') {
                if (prev == '.' || prev == '-' || i - labelStart > 63) {
                    return false;
                }
                labelStart = i + 1;
            } else if (c == '-') {
                if (prev == '.') {
                    return false;
                }
            } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
            prev = c;
        }
        return prev != '-' && prev != '.' && n - labelStart <= 63;
    }

    /** Letters, digits, hyphens and dots, with no label starting or ending in a hyphen. */
    private static boolean isLdh(String d) {
        char prev = '.';
        for (int i = 0; i < d.length(); i++) {
            char c = d.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || (c == '-' && prev != '.') || (c == '.' && prev != '-' && prev != '.');
            if (!ok) {
                return false;
            }
            prev = c;
        }
        return prev != '-' && prev != '.';
    }

    private static String stripPort(String hostport) throws MappingException {
        String h = hostport.strip();
        if (h.startsWith("[")) {
            throw new MappingException(Reason.UNSUPPORTED_ADDRESS, "IP-literal host '" + printable(h) + "' cannot be an XMPP domain");
        }
        int colon = h.indexOf(':');
        return colon >= 0 ? h.substring(0, colon) : h;
    }

    private static String percentDecode(String s, String whole) throws MappingException {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteBuffer bytes = ByteBuffer.allocate(s.length() * 4);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new MappingException(Reason.MALFORMED_ADDRESS, "truncated %-escape in '" + printable(whole) + "'");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new MappingException(Reason.MALFORMED_ADDRESS, "invalid %-escape in '" + printable(whole) + "'");
                }
                bytes.put((byte) (hi * 16 + lo));
                i += 2;
            } else {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        bytes.flip();
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new MappingException(Reason.MALFORMED_ADDRESS, "%-escapes in '" + printable(whole) + "' are not UTF-8");
        }
    }

    /** RFC 3261 user = 1*( unreserved / escaped / user-unreserved ). */
    private static void percentEncodeUser(String user, StringBuilder out) {
        // ';' and '?' are legal in a user part but trip up many parsers: always escape them.
        encode(user, out, "-_.!~*'()&=+$,/");
    }

    private static void percentEncodeParam(String value, StringBuilder out) {
        encode(value, out, "-_.!~*'()[]/:&+$");
    }

    private static void encode(String s, StringBuilder out, String allowedMarks) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || (c < 0x80 && allowedMarks.indexOf(c) >= 0);
            if (plain) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
    }

    /** Input echoed in messages is cut and stripped of controls so errors stay one readable line. */
    static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        StringBuilder b = new StringBuilder(cut.length());
        cut.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                b.append('?');
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }
}
