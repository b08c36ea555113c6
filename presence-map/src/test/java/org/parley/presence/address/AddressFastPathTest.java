package org.parley.presence.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.parley.presence.MappingException;
import org.parley.presence.MappingException.Reason;

/**
 * The one-pass paths for the usual domain and user part give the answers of the full normalisation: checked at
 * each rule's edges (label and name length, hyphen and dot placement, case, IDNA), and character by character
 * for the localpart.
 */
class AddressFastPathTest {

    @Test
    void domainsAreNormalisedTheSameWithOrWithoutTheOnePassPath() throws MappingException {
        assertThat(DomainNames.normalise("contoso.com")).isEqualTo("contoso.com");
        assertThat(DomainNames.normalise("Contoso.COM")).isEqualTo("contoso.com");
        assertThat(DomainNames.normalise(" contoso.com. ")).isEqualTo("contoso.com");
        assertThat(DomainNames.normalise("a-b.c-9.x1")).isEqualTo("a-b.c-9.x1");
        assertThat(DomainNames.normalise("localhost")).isEqualTo("localhost");
        assertThat(DomainNames.normalise("münchen.de")).isEqualTo("xn--mnchen-3ya.de");
        String label63 = "a".repeat(63);
        assertThat(DomainNames.normalise(label63 + ".com")).isEqualTo(label63 + ".com");
        assertThat(DomainNames.normalise("com." + label63)).isEqualTo("com." + label63);
        String name253 = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);
        assertThat(name253).hasSize(253);
        assertThat(DomainNames.normalise(name253)).isEqualTo(name253);
    }

    @Test
    void domainsBreakingARuleAreRefusedWhicheverPathSeesThemFirst() {
        String label64 = "a".repeat(64);
        String name254 = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(62);
        for (String bad : new String[] {label64 + ".com", "com." + label64, name254, "-a.com", "a-.com", "a.-b.com",
                "a..com", ".a.com", "a_b.com", "a b.com", ".", ""}) {
            assertThatThrownBy(() -> DomainNames.normalise(bad)).as(bad)
                    .isInstanceOfSatisfying(MappingException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_ADDRESS));
        }
    }

    @Test
    void sipUrisInTheUsualFormAndJustOutsideItParseToTheSameAddresses() throws MappingException {
        AddressMapper mapper = AddressMapper.anyDomain();
        String[][] cases = {
            {"sip:alice@contoso.com", "sip:alice@contoso.com"},
            {"sip:Alice@contoso.com", "sip:Alice@contoso.com"},
            {"sip:élodie@example.com", "sip:élodie@example.com"},
            {"sip:a@b", "sip:a@b"},
            {"sip:+14255550100@contoso.com", "sip:+14255550100@contoso.com"},
            {"sip:alice@Contoso.com", "sip:alice@contoso.com"},
            {"sip:alice@contoso.com.", "sip:alice@contoso.com"},
            {"sip:alice@contoso.com:5061", "sip:alice@contoso.com"},
            {"sip:alice@contoso.com;gr=x", "sip:alice@contoso.com/x"},
            {"sip:alice@contoso.com?subject=hi", "sip:alice@contoso.com"},
            {"sip:alice:secret@contoso.com", "sip:alice@contoso.com"},
            {"sip:john%20doe@example.com", "sip:john doe@example.com"},
            {" sip:alice@contoso.com ", "sip:alice@contoso.com"},
            {"<sip:alice@contoso.com>", "sip:alice@contoso.com"},
            {"SIP:alice@contoso.com", "sip:alice@contoso.com"},
            {"sips:alice@contoso.com", "sip:alice@contoso.com"},
        };
        for (String[] c : cases) {
            assertThat(mapper.parseSipUri(c[0])).as(c[0]).hasToString(c[1]);
        }
        for (String bad : new String[] {"sip:@contoso.com", "sip:alice@", "sip:alice", "sip:alice@-contoso.com", "sip:alice@contoso..com",
            "sip:a@b@contoso.com"}) {
            assertThatThrownBy(() -> mapper.parseSipUri(bad)).as(bad).isInstanceOf(MappingException.class);
        }
    }

    @Test
    void aUserPartIsPlainExactlyWhenCaseMappingEscapingAndTheChecksWouldLeaveItAsItIs() {
        for (char c = 0; c < 0x80; c++) {
            String user = "a" + c + "b";
            String full = JidEscaping.escape(Precis.usernameCaseMapped(user));
            boolean unchanged = full.equals(user) && Precis.localpartProblem(full) == null;
            boolean plain = Precis.isPlainLocalpart(user);
            if (plain) {
                assertThat(unchanged).as("U+%04X plain but changed by the full path", (int) c).isTrue();
            }
            boolean expectedPlain = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "!#$%()*+,-.;=?[]^_`{|}~".indexOf(c) >= 0;
            assertThat(plain).as("U+%04X", (int) c).isEqualTo(expectedPlain);
        }
        assertThat(Precis.isPlainLocalpart("alice")).isTrue();
        assertThat(Precis.isPlainLocalpart("Alice")).isFalse();
        assertThat(Precis.isPlainLocalpart("a\\5cb")).isFalse();
        assertThat(Precis.isPlainLocalpart("élodie")).isFalse();
        assertThat(Precis.isPlainLocalpart("")).isFalse();
        assertThat(Precis.isPlainLocalpart("a".repeat(1023))).isTrue();
        assertThat(Precis.isPlainLocalpart("a".repeat(1024))).isFalse();
    }
}
