package org.parley.sip.im;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.presence.MappingException;

/** RFC 2046 §5.1 multipart bodies as SIP clients send them, CRLF or not, with and without the trimmings. */
class MultipartBodyTest {

    /**
     * Shaped as [MS-CONFIM] §4.2.1 describes a Lync client's IM (its example body is not reproduced here): two
     * alternatives, each with Content-Type and Content-Transfer-Encoding, the text/plain one UTF-8 with Lync's opaque
     * {@code msgr} parameter (unpadded base64 of "X-MMS-IM-Format: FN=MS%20Shell%20Dlg%202; EF=; CO=0; CS=0; PF=0"
     * and line breaks in UTF-16LE, as Lync writes it).
     */
    static final String LYNC = "--9a8b7c6d\r\n"
            + "Content-Type: text/plain; charset=UTF-8; msgr=WAAtAE0ATQBTAC0ASQBNAC0ARgBvAHIAbQBhAHQAOgAgAEYATgA9AE0AUwAlADIAMABTAGgAZQBsAGwAJQAyADAARABsAGcAJQAyADAAMgA7ACAARQBGAD0AOwAgAEMATwA9ADAAOwAgAEMAUwA9ADAAOwAgAFAARgA9ADAACgANAAoADQA\r\n"
            + "Content-Transfer-Encoding: 7bit\r\n"
            + "\r\n"
            + "Lunch at noon?\r\n"
            + "--9a8b7c6d\r\n"
            + "Content-Type: text/html; charset=UTF-8\r\n"
            + "Content-Transfer-Encoding: 7bit\r\n"
            + "\r\n"
            + "<div style=\"font-family:MS Shell Dlg 2;\">Lunch at <b>noon</b>?</div>\r\n"
            + "--9a8b7c6d--\r\n";

    private static List<MultipartBody.Part> parse(String boundary, String body) throws MappingException {
        return MultipartBody.parse(boundary, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(MultipartBody.Part p) {
        return new String(p.content(), StandardCharsets.UTF_8);
    }

    @Test
    void aLyncAlternativeSplitsIntoItsTwoRenderings() throws MappingException {
        List<MultipartBody.Part> parts = parse("9a8b7c6d", LYNC);

        assertThat(parts).extracting(MultipartBody.Part::type).containsExactly("text/plain", "text/html");
        assertThat(parts.get(0).charset()).isEqualTo("UTF-8");
        assertThat(parts.get(0).parameters()).containsKey("msgr");
        assertThat(text(parts.get(0))).isEqualTo("Lunch at noon?");
        assertThat(text(parts.get(1))).isEqualTo("<div style=\"font-family:MS Shell Dlg 2;\">Lunch at <b>noon</b>?</div>");
    }

    @Test
    void bareLineFeedsAPreambleAnEpilogueAndTransportPaddingAreTolerated() throws MappingException {
        List<MultipartBody.Part> parts = parse("b", "preamble line\n--b  \nContent-Type: text/plain\n\nline 1\nline 2\n--b--\t\nepilogue\n");

        assertThat(parts).hasSize(1);
        assertThat(text(parts.get(0))).isEqualTo("line 1\nline 2");
    }

    @Test
    void aLineThatOnlyStartsWithTheBoundaryIsContent() throws MappingException {
        List<MultipartBody.Part> parts = parse("b", "--b\r\n\r\n--bee is not a delimiter\r\n--b--");

        assertThat(text(parts.get(0))).isEqualTo("--bee is not a delimiter");
    }

    @Test
    void aPartWithoutHeadersIsPlainTextAndAMissingCloseDelimiterEndsAtTheEnd() throws MappingException {
        List<MultipartBody.Part> parts = parse("x", "--x\r\n\r\nfirst\r\n--x\r\nContent-Type: text/html\r\n\r\n<i>second</i>");

        assertThat(parts).extracting(MultipartBody.Part::type).containsExactly("text/plain", "text/html");
        assertThat(text(parts.get(0))).isEqualTo("first");
        assertThat(text(parts.get(1))).isEqualTo("<i>second</i>");
    }

    @Test
    void quotedParametersFoldedHeadersAndCaseAreRead() throws MappingException {
        List<MultipartBody.Part> parts = parse("q", "--q\r\nCONTENT-TYPE: Text/Plain;\r\n\tcharset=\"iso-8859-1\"; name=\"a;b\"\r\n\r\nx\r\n--q--");

        assertThat(parts.get(0).type()).isEqualTo("text/plain");
        assertThat(parts.get(0).charset()).isEqualTo("iso-8859-1");
        assertThat(parts.get(0).parameters()).containsEntry("name", "a;b");
    }

    @Test
    void base64AndQuotedPrintableAreDecodedAnUnknownEncodingIsUnreadable() throws MappingException {
        List<MultipartBody.Part> parts = parse("e", "--e\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\nSGVsbG8g\r\nd29ybGQ=\r\n"
                + "--e\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: Quoted-Printable\r\n\r\ncaf=C3=A9 au =\r\nlait\r\n"
                + "--e\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644\r\n--e--");

        assertThat(text(parts.get(0))).isEqualTo("Hello world");
        assertThat(text(parts.get(1))).isEqualTo("café au lait");
        assertThat(parts.get(2).content()).isNull();
    }

    @Test
    void withoutBoundaryOrWithoutAnyDelimitedPartItIsMalformed() {
        assertThatThrownBy(() -> parse(null, "--b\r\n\r\nx\r\n--b--")).isInstanceOfSatisfying(MappingException.class,
                e -> assertThat(e.reason()).isEqualTo(MappingException.Reason.MALFORMED_BODY));
        assertThatThrownBy(() -> parse("b", "no delimiter here")).isInstanceOfSatisfying(MappingException.class,
                e -> assertThat(e.reason()).isEqualTo(MappingException.Reason.MALFORMED_BODY));
        assertThatThrownBy(() -> parse("x".repeat(71), "")).isInstanceOf(MappingException.class);
    }

    @Test
    void tooManyPartsIsTooLarge() {
        String body = "--p\r\n\r\nx\r\n".repeat(MultipartBody.MAX_PARTS + 1) + "--p--";
        assertThatThrownBy(() -> parse("p", body)).isInstanceOfSatisfying(MappingException.class,
                e -> assertThat(e.reason()).isEqualTo(MappingException.Reason.TOO_LARGE));
    }
}
