package org.parley.sip.im;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.parley.presence.MappingException;

/** Which text an IM body gives the XMPP side, and what it leaves out. */
class ImTextTest {

    private static ImText read(String type, String boundary, String body) throws MappingException {
        return ImText.read(type, null, boundary, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aLyncAlternativeGivesItsPlainPartAndLosesNothing() throws MappingException {
        ImText t = read("multipart/alternative", "9a8b7c6d", MultipartBodyTest.LYNC);

        assertThat(t.plain()).isEqualTo("Lunch at noon?");
        assertThat(t.html()).isNull();
        assertThat(t.leftOut()).containsExactly("text/html");
        assertThat(t.lost()).isFalse();
        assertThat(t.note("multipart/alternative")).isNull();
    }

    @Test
    void withoutAPlainPartTheHtmlPartIsReadAsHtml() throws MappingException {
        ImText t = read("Multipart/Alternative", "\"a b\"", "--a b\r\nContent-Type: text/rtf\r\n\r\n{\\rtf1 x}\r\n"
                + "--a b\r\nContent-Type: text/html;charset=UTF-8\r\n\r\n<p>x &amp; y</p>\r\n--a b--\r\n");

        assertThat(t.plain()).isEqualTo("x & y");
        assertThat(t.html()).isEqualTo("<p>x &amp; y</p>");
        assertThat(t.leftOut()).containsExactly("text/rtf");
    }

    @Test
    void aRelatedBodyLosesItsPicturesAndSaysSo() throws MappingException {
        ImText t = read("multipart/related", "r", "--r\r\nContent-Type: text/html\r\n\r\n<img src=\"cid:1\"/>look\r\n"
                + "--r\r\nContent-Type: image/gif\r\nContent-Transfer-Encoding: base64\r\n\r\nR0lGODlh\r\n--r--");

        assertThat(t.plain()).isEqualTo("look");
        assertThat(t.lost()).isTrue();
        assertThat(t.note("multipart/related")).contains("text/html").contains("image/gif");
    }

    @Test
    void anAlternativeInsideARelatedBodyIsRead() throws MappingException {
        ImText t = read("multipart/related", "outer", "--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n"
                + "--inner\r\nContent-Type: text/plain\r\n\r\nhi\r\n--inner\r\nContent-Type: text/html\r\n\r\n<b>hi</b>\r\n--inner--\r\n"
                + "--outer\r\nContent-Type: image/png\r\n\r\nPNG\r\n--outer--\r\n");

        assertThat(t.plain()).isEqualTo("hi");
        assertThat(t.leftOut()).containsExactly("image/png", "text/html");
        assertThat(t.lost()).isTrue();
    }

    @Test
    void aMultipartWithoutTextIsUnsupportedAndNamesItsParts() {
        assertThatThrownBy(() -> read("multipart/alternative", "b", "--b\r\nContent-Type: text/rtf\r\n\r\nx\r\n"
                + "--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: x-unknown\r\n\r\ny\r\n--b--"))
                .isInstanceOfSatisfying(MappingException.class, e -> {
                    assertThat(e.reason()).isEqualTo(MappingException.Reason.UNSUPPORTED_BODY);
                    assertThat(e.getMessage()).contains("text/rtf").contains("text/plain").contains("accepted: ");
                });
    }

    @Test
    void singlePartTypesReadAsBeforeAndOthersAreUnsupported() throws MappingException {
        assertThat(ImText.read("text/plain", "iso-8859-1", null, "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1)).plain()).isEqualTo("café");
        assertThat(read("text/html", null, "<b>b</b>").html()).isEqualTo("<b>b</b>");
        assertThatThrownBy(() -> read("multipart/mixed", "b", "--b\r\n\r\nx\r\n--b--")).isInstanceOfSatisfying(MappingException.class,
                e -> assertThat(e.reason()).isEqualTo(MappingException.Reason.UNSUPPORTED_BODY));
        assertThatThrownBy(() -> read("", null, "x")).isInstanceOf(MappingException.class);
    }
}
