package org.parley.presence.address;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The ASCII fast paths of {@link Precis} and {@link JidEscaping} against the rules written out by hand
 * (RFC 7622 §3.3.1 and §3.4, XEP-0106 §4), character by character.
 */
class PrecisAsciiTest {

    private static final String FORBIDDEN_IN_LOCALPART = "\"&'/:<>@ ";

    @Test
    void everyAsciiCharacterInALocalpartIsJudgedByRfc7622() {
        for (char c = 0; c < 0x80; c++) {
            String localpart = "a" + c + "b";
            boolean forbidden = c < 0x20 || c == 0x7F || FORBIDDEN_IN_LOCALPART.indexOf(c) >= 0;
            String problem = Precis.localpartProblem(localpart);
            if (forbidden) {
                assertThat(problem).as("U+%04X", (int) c)
                        .isEqualTo(String.format("character U+%04X is not allowed in a JID localpart", (int) c));
            } else {
                assertThat(problem).as("U+%04X", (int) c).isNull();
            }
        }
    }

    @Test
    void everyAsciiCharacterInAResourcepartIsJudgedByRfc7622() {
        for (char c = 0; c < 0x80; c++) {
            boolean forbidden = c < 0x20 || c == 0x7F;
            String problem = Precis.resourceProblem("r" + c);
            if (forbidden) {
                assertThat(problem).as("U+%04X", (int) c).startsWith("character U+");
            } else {
                assertThat(problem).as("U+%04X", (int) c).isNull();
            }
        }
    }

    @Test
    void lengthAndNonAsciiStillGoThroughTheFullChecks() {
        assertThat(Precis.localpartProblem("a".repeat(1023))).isNull();
        assertThat(Precis.localpartProblem("a".repeat(1024))).isEqualTo("localpart longer than 1023 octets");
        assertThat(Precis.localpartProblem("é".repeat(512))).isEqualTo("localpart longer than 1023 octets");
        assertThat(Precis.localpartProblem("café")).isNull();
        assertThat(Precis.localpartProblem("a\u00A0b")).isEqualTo("character U+00A0 is not allowed in a JID localpart");
        assertThat(Precis.localpartProblem("")).isEqualTo("empty localpart");
        assertThat(Precis.resourceProblem("r".repeat(1024))).isEqualTo("resourcepart longer than 1023 octets");
        assertThat(Precis.resourceProblem("")).isEqualTo("empty resourcepart");
    }

    @Test
    void escapingWritesEachOfTheTenCharactersAndLeavesEveryOtherAsciiCharacterAlone() {
        String ten = " \"&'/:<>@";
        String[] codes = {"\\20", "\\22", "\\26", "\\27", "\\2f", "\\3a", "\\3c", "\\3e", "\\40"};
        for (int i = 0; i < ten.length(); i++) {
            assertThat(JidEscaping.escape("a" + ten.charAt(i) + "b")).isEqualTo("a" + codes[i] + "b");
        }
        assertThat(JidEscaping.escape("a\\5cb")).as("a backslash that starts an escape code").isEqualTo("a\\5c5cb");
        assertThat(JidEscaping.escape("a\\b")).as("a backslash that does not").isEqualTo("a\\b");
        for (char c = 0; c < 0x80; c++) {
            if (ten.indexOf(c) < 0 && c != '\\') {
                String s = "x" + c + "y";
                assertThat(JidEscaping.escape(s)).as("U+%04X", (int) c).isSameAs(s);
            }
        }
        assertThat(JidEscaping.escape("ünïcødé")).isEqualTo("ünïcødé");
    }
}
