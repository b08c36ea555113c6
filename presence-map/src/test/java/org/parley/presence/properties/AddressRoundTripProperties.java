package org.parley.presence.properties;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.parley.presence.MappingException;
import org.parley.presence.model.Address;

/** Address mapping round trips (RFC 7247 §5 + XEP-0106), over generated user parts. */
class AddressRoundTripProperties {

    private final Fixtures f = new Fixtures();

    /** SIP → XMPP → SIP gives back the user part, case-folded (the documented lossy step). */
    @Property(tries = 2000)
    void sipToXmppToSipKeepsTheFoldedUser(@ForAll("sipUsers") String user) throws MappingException {
        Address sip = Address.sip(user, "contoso.com");
        Address xmpp = f.mapper.toXmpp(sip);
        Address back = f.mapper.toSip(xmpp);
        assertThat(back.user()).isEqualTo(user.toLowerCase(java.util.Locale.ROOT));
        assertThat(back.domain()).isEqualTo("contoso.com");
    }

    /** A JID made by the mapper parses back to itself, and SIP URIs it formats parse back too. */
    @Property(tries = 2000)
    void formattedAddressesParseBack(@ForAll("sipUsers") String user, @ForAll("instances") String instance)
            throws MappingException {
        Address xmpp = f.mapper.toXmpp(Address.sip(user, "xmpp.test", instance));
        assertThat(f.mapper.parseJid(f.mapper.formatJid(xmpp))).isEqualTo(xmpp);

        Address sip = f.mapper.toSip(xmpp);
        assertThat(f.mapper.parseSipUri(f.mapper.formatSipUri(sip))).isEqualTo(sip);
    }

    /** JID → SIP → JID is the identity on normalised JIDs. */
    @Property(tries = 2000)
    void xmppToSipToXmppIsIdentity(@ForAll("sipUsers") String user) throws MappingException {
        Address jid = f.mapper.toXmpp(Address.sip(user, "xmpp.test"));
        assertThat(f.mapper.toXmpp(f.mapper.toSip(jid))).isEqualTo(jid);
    }

    @Provide
    Arbitrary<String> sipUsers() {
        // Lower/upper ASCII, digits, the marks SIP allows and the characters XEP-0106 escapes,
        // a backslash followed by hex digits, and some non-ASCII letters.
        Arbitrary<Character> chars = Arbitraries.of(
                'a', 'B', 'z', '0', '9', '.', '-', '_', '+', '!', '~', '*', '(', ')', '$', ',', ';', '?', '=',
                ' ', '"', '&', '\'', '/', ':', '<', '>', '@', '\\', '2', '0', 'f', 'é', 'ß', 'Ж', '中');
        return chars.list().ofMinSize(1).ofMaxSize(20)
                .map(cs -> {
                    StringBuilder b = new StringBuilder();
                    cs.forEach(b::append);
                    return b.toString();
                })
                .filter(s -> !s.startsWith(" ") && !s.endsWith(" "))
                // 'ß' upper-cases to "SS"; toLowerCase is the fold we test, keep letters whose fold is stable
                .filter(s -> s.toLowerCase(java.util.Locale.ROOT).equals(
                        java.text.Normalizer.normalize(s.toLowerCase(java.util.Locale.ROOT), java.text.Normalizer.Form.NFC)));
    }

    @Provide
    Arbitrary<String> instances() {
        return Arbitraries.oneOf(
                Arbitraries.just(null),
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12),
                Arbitraries.strings().alpha().ofLength(22).map(s -> "epid:" + s));
    }
}
