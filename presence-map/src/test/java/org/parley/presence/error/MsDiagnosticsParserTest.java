package org.parley.presence.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.parley.presence.MappingException;
import org.parley.presence.model.MsDiagnostics;

/**
 * The {@code ms-diagnostics} forms front ends send: [MS-OCER] §2.2.1.1 ({@code ErrorId SEMI reason-param *(SEMI generic-param)})
 * and the OCS 2007 documentation's {@code <ErrorId>[.<Sub Error Code>]}.
 */
class MsDiagnosticsParserTest {

    @Test
    void aSubCodeAfterTheErrorIdIsKeptAndTheReasonStillRead() throws MappingException {
        MsDiagnostics d = MsDiagnosticsParser.parse("1003.11;reason=\"User does not exist\";source=\"fe1.contoso.com\"", false);

        assertThat(d.code()).isEqualTo(1003);
        assertThat(d.subCode()).isEqualTo(11);
        assertThat(d.reason()).isEqualTo("User does not exist");
        assertThat(d.parameters()).containsEntry("source", "fe1.contoso.com");
        assertThat(d.describe()).isEqualTo("User does not exist (ms-diagnostics 1003.11)");
    }

    @Test
    void withoutASubCodeNothingChanges() throws MappingException {
        MsDiagnostics d = MsDiagnosticsParser.parse("1003;reason=\"User does not exist\"", false);

        assertThat(d.code()).isEqualTo(1003);
        assertThat(d.subCode()).isNull();
        assertThat(d.describe()).isEqualTo("User does not exist (ms-diagnostics 1003)");
    }

    @Test
    void aSubCodeWithSpacesBeforeTheParametersAndNoParametersAtAll() throws MappingException {
        assertThat(MsDiagnosticsParser.parse(" 52001.3 ; reason=\"Client is not enabled\"", true).subCode()).isEqualTo(3);
        MsDiagnostics bare = MsDiagnosticsParser.parse("2.1", false);
        assertThat(bare.code()).isEqualTo(2);
        assertThat(bare.subCode()).isEqualTo(1);
        assertThat(bare.reason()).isNull();
    }

    @Test
    void aDotWithoutDigitsOrASecondSubCodeIsNotAnErrorId() {
        assertThatThrownBy(() -> MsDiagnosticsParser.parse("1003.;reason=\"x\"", false)).isInstanceOf(MappingException.class);
        assertThatThrownBy(() -> MsDiagnosticsParser.parse("1003.1.2;reason=\"x\"", false)).isInstanceOf(MappingException.class);
        assertThatThrownBy(() -> MsDiagnosticsParser.parse("1003.1234567890;reason=\"x\"", false)).isInstanceOf(MappingException.class);
    }

    @Test
    void aQuotedReasonWithAnEscapedQuoteAndSemicolonsInsideIsOneValue() throws MappingException {
        MsDiagnostics d = MsDiagnosticsParser.parse(
                "1003.11;reason=\"User \\\"bob\\\" does not exist; check the address\";TargetUri=\"bob@contoso.com\"", false);

        assertThat(d.reason()).isEqualTo("User \"bob\" does not exist; check the address");
        assertThat(d.parameters()).containsEntry("TargetUri", "bob@contoso.com").hasSize(2);
    }

    @Test
    void unknownParametersAreKeptInOrderWhateverTheirForm() throws MappingException {
        MsDiagnostics d = MsDiagnosticsParser.parse("1003.11;reason=\"User does not exist\";HRESULT=\"0xC3E93C09(SIP_E_REASON_DECLINE)\";"
                + "x-future=token-value;flag;source=\"fe1.contoso.com\"", false);

        assertThat(d.parameters().keySet()).containsExactly("reason", "HRESULT", "x-future", "flag", "source");
        assertThat(d.parameters()).containsEntry("x-future", "token-value").containsEntry("flag", "")
                .containsEntry("HRESULT", "0xC3E93C09(SIP_E_REASON_DECLINE)");
    }

    @Test
    void thePublicVariantIsMarked() throws MappingException {
        MsDiagnostics d = MsDiagnosticsParser.parse("1003.11;reason=\"User does not exist\"", true);

        assertThat(d.publicVariant()).isTrue();
        assertThat(d.subCode()).isEqualTo(11);
    }
}
