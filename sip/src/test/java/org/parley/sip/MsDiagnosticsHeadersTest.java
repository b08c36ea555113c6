package org.parley.sip;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.message.MessageFactoryImpl;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;
import org.parley.presence.model.MsDiagnostics;

/**
 * Which diagnostic header of a response Parley reads: {@code ms-diagnostics} before {@code ms-diagnostics-public} (as
 * UCMA's DiagnosticInformation does, [MS-OCER] §2.2.1.2: the public one is the reduced copy for outside the
 * enterprise), and the public one when the first cannot be read.
 */
class MsDiagnosticsHeadersTest {

    private static Response response(String... headerLines) throws Exception {
        StringBuilder text = new StringBuilder("SIP/2.0 404 Not Found\r\nVia: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK-1\r\n"
                + "From: <sip:juliet@xmpp.test>;tag=1\r\nTo: <sip:bob@contoso.com>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 MESSAGE\r\n");
        for (String line : headerLines) {
            text.append(line).append("\r\n");
        }
        return new MessageFactoryImpl().createResponse(text.append("Content-Length: 0\r\n\r\n").toString());
    }

    @Test
    void whenBothArePresentMsDiagnosticsWinsInWhateverOrderTheyCame() throws Exception {
        MsDiagnostics d = MsDiagnosticsHeaders.of(response(
                "ms-diagnostics-public: 1003;reason=\"User does not exist\"",
                "ms-diagnostics: 1003.11;reason=\"User does not exist in the directory\";source=\"fe1.contoso.com\""));

        assertThat(d.publicVariant()).isFalse();
        assertThat(d.subCode()).isEqualTo(11);
        assertThat(d.reason()).isEqualTo("User does not exist in the directory");
    }

    @Test
    void anUnreadableMsDiagnosticsFallsBackToThePublicOne() throws Exception {
        MsDiagnostics d = MsDiagnosticsHeaders.of(response(
                "ms-diagnostics: ;reason=\"no id\"",
                "ms-diagnostics-public: 1003;reason=\"User does not exist\""));

        assertThat(d).isNotNull();
        assertThat(d.publicVariant()).isTrue();
        assertThat(d.reason()).isEqualTo("User does not exist");
    }

    @Test
    void thePublicOneAloneIsRead() throws Exception {
        MsDiagnostics d = MsDiagnosticsHeaders.of(response("Ms-Diagnostics-Public: 4005;reason=\"Destination URI either not enabled for SIP or does not exist\""));

        assertThat(d.publicVariant()).isTrue();
        assertThat(d.code()).isEqualTo(4005);
    }

    @Test
    void aQuotedReasonWithAnEscapedQuoteAndACommaSurvivesTheSipParser() throws Exception {
        MsDiagnostics d = MsDiagnosticsHeaders.of(response(
                "ms-diagnostics: 1003.11;reason=\"User \\\"bob\\\" does not exist, check the address\";x-unknown=1;source=\"fe1.contoso.com\""));

        assertThat(d.reason()).isEqualTo("User \"bob\" does not exist, check the address");
        assertThat(d.parameters()).containsEntry("x-unknown", "1").containsEntry("source", "fe1.contoso.com");
    }

    @Test
    void neitherReadableIsNone() throws Exception {
        assertThat(MsDiagnosticsHeaders.of(response("ms-diagnostics: garbage", "ms-diagnostics-public: also garbage"))).isNull();
        assertThat(MsDiagnosticsHeaders.of(response())).isNull();
    }
}
