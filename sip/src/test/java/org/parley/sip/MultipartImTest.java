package org.parley.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.presence.model.ChatMessage;
import org.parley.sip.testing.RawSipOverTls;
import org.parley.sip.testing.RecordingInbound;

/**
 * Lync and other SIP clients send IM bodies as {@code multipart/alternative} (text/plain, text/html, sometimes
 * text/rtf) and {@code multipart/related} (RFC 2046 §5.1, RFC 2387): Parley takes the text/plain part, else the
 * text/html one, page mode and in an IM session, and says so in its SDP; a multipart with neither is 415.
 */
class MultipartImTest {

    private static final RecordingInbound inbound = new RecordingInbound();
    private static RawSipOverTls sip;

    /**
     * Shaped as [MS-CONFIM] §4.2.1 describes a Lync client's IM to the IM MCU: multipart/alternative, each part with its
     * Content-Type and Content-Transfer-Encoding, the text/plain part UTF-8 with the opaque msgr parameter (unpadded base64
     * of "X-MMS-IM-Format: FN=MS%20Shell%20Dlg%202; EF=; CO=0; CS=0; PF=0" and line breaks in UTF-16LE, as Lync writes
     * it), then the same text as HTML. (Its example body is not reproduced here.)
     */
    private static final String LYNC_ALTERNATIVE = "--bound1\r\n"
            + "Content-Type: text/plain; charset=UTF-8; msgr=WAAtAE0ATQBTAC0ASQBNAC0ARgBvAHIAbQBhAHQAOgAgAEYATgA9AE0AUwAlADIAMABTAGgAZQBsAGwAJQAyADAARABsAGcAJQAyADAAMgA7ACAARQBGAD0AOwAgAEMATwA9ADAAOwAgAEMAUwA9ADAAOwAgAFAARgA9ADAACgANAAoADQA\r\n"
            + "Content-Transfer-Encoding: 7bit\r\n"
            + "\r\n"
            + "Grüße aus Lync\r\n"
            + "--bound1\r\n"
            + "Content-Type: text/html; charset=UTF-8\r\n"
            + "Content-Transfer-Encoding: 7bit\r\n"
            + "\r\n"
            + "<div style=\"font-family:Segoe UI\">Grüße aus <b>Lync</b></div>\r\n"
            + "--bound1--\r\n";

    @BeforeAll
    static void start() throws Exception {
        sip = RawSipOverTls.start(inbound.sides());
    }

    @AfterAll
    static void stop() {
        if (sip != null) {
            sip.close();
        }
    }

    @BeforeEach
    void clear() {
        inbound.messages.clear();
        inbound.refusals.clear();
    }

    private static String withBody(String request, String contentType, String body) {
        return request.replace("Content-Length: 0\r\n\r\n", "Content-Type: " + contentType + "\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body);
    }

    private static String pageMode(String branch, String contentType, String body) {
        return withBody(sip.request("MESSAGE", "sip:juliet@xmpp.test", "TLS 127.0.0.1:5071", branch)
                .replace("To: <sip:gw@contoso.com>", "To: <sip:juliet@xmpp.test>"), contentType, body);
    }

    @Test
    void aLyncMultipartAlternativeReachesTheXmppSideAsItsPlainTextPart() throws Exception {
        try (RawSipOverTls.Connection c = sip.connect()) {
            assertThat(c.send(pageMode("mpa1", "multipart/alternative;boundary=bound1", LYNC_ALTERNATIVE)).finalStatus()).isEqualTo(200);
        }
        ChatMessage m = inbound.messages.poll(5, TimeUnit.SECONDS);
        assertThat(m).isNotNull();
        assertThat(m.body()).isEqualTo("Grüße aus Lync");
        assertThat(m.htmlBody()).isNull();
    }

    @Test
    void withoutAPlainPartTheHtmlPartIsTakenAsAnHtmlBodyIs() throws Exception {
        String body = "This preamble is for MIME-unaware readers.\n"
                + "--=_alt 2\n"
                + "Content-Type: text/rtf\n"
                + "\n"
                + "{\\rtf1\\ansi Hello \\b there\\b0}\n"
                + "--=_alt 2\n"
                + "Content-Type: text/html; charset=\"iso-8859-1\"\n"
                + "\n"
                + "Hello <b>there</b> &amp; caf\u00e9\n"
                + "--=_alt 2--\n";
        try (RawSipOverTls.Connection c = sip.connect()) {
            // the body in ISO-8859-1, as its html part declares
            byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
            String head = pageMode("mpa2", "multipart/alternative; boundary=\"=_alt 2\"", "")
                    .replace("Content-Length: 0", "Content-Length: " + bytes.length);
            java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
            wire.write(head.getBytes(StandardCharsets.UTF_8));
            wire.write(bytes);
            assertThat(c.send(wire.toByteArray()).finalStatus()).isEqualTo(200);
        }
        ChatMessage m = inbound.messages.poll(5, TimeUnit.SECONDS);
        assertThat(m).isNotNull();
        assertThat(m.body()).isEqualTo("Hello there & café");
        assertThat(m.htmlBody()).isEqualTo("Hello <b>there</b> &amp; café");
    }

    @Test
    void aMultipartWithNoTextPartIs415WithAcceptAndTheTraceHearsWhatItHad() throws Exception {
        String body = "--b3\r\nContent-Type: text/rtf\r\n\r\n{\\rtf1 hi}\r\n--b3\r\nContent-Type: application/x-ms-ims-ink\r\n\r\nAAAA\r\n--b3--\r\n";
        String response;
        try (RawSipOverTls.Connection c = sip.connect()) {
            response = c.send(pageMode("mpa3", "multipart/alternative;boundary=b3", body)).finalResponse();
        }
        assertThat(response).startsWith("SIP/2.0 415");
        String accept = String.join(", ", response.lines().filter(l -> l.startsWith("Accept:")).map(l -> l.substring(7).strip()).toList());
        assertThat(accept).contains("text/plain").contains("text/html").contains("multipart/alternative").contains("multipart/related");
        SipRefusal refusal = inbound.refusals.poll(5, TimeUnit.SECONDS);
        assertThat(refusal).isNotNull();
        assertThat(refusal.status()).isEqualTo(415);
        assertThat(refusal.reason()).contains("text/rtf").contains("application/x-ms-ims-ink");
        assertThat(inbound.messages.poll(1, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void inAnImSessionAMultipartRelatedIsTakenAndTheSdpAnswerSaysMultipartIsAccepted() throws Exception {
        try (RawSipOverTls.Connection c = sip.connect()) {
            String sdp = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=session\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                    + "m=message 5061 sip null\r\na=accept-types:text/plain text/html multipart/alternative\r\n";
            String invite = withBody(sip.request("INVITE", "sip:juliet@xmpp.test", "TLS 127.0.0.1:5071", "mpr")
                    .replace("To: <sip:gw@contoso.com>", "To: <sip:juliet@xmpp.test>")
                    .replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nContact: <sip:fe1@127.0.0.1:5071;transport=tls>\r\n"),
                    "application/sdp", sdp);
            c.send(invite);
            String ok = c.finalResponse();
            assertThat(ok).startsWith("SIP/2.0 200");
            String answer = c.body(ok);
            assertThat(answer.lines().filter(l -> l.startsWith("a=accept-types:")).findFirst().orElse(""))
                    .contains("text/plain").contains("text/html").contains("multipart/alternative").contains("multipart/related");
            String toWithTag = ok.lines().filter(l -> l.startsWith("To:")).findFirst().orElseThrow().substring(3).strip();
            c.send("ACK sip:gw@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:5071;branch=z9hG4bK-mprack\r\nMax-Forwards: 70\r\n"
                    + "From: <sip:fe1@contoso.com>;tag=mpr\r\nTo: " + toWithTag + "\r\nCall-ID: mpr@fe1.contoso.com\r\n"
                    + "CSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n");
            String related = "--rel\r\nContent-Type: text/html;charset=UTF-8\r\nContent-ID: <root>\r\n\r\n<p>see <img src=\"cid:pic\"/> this</p>\r\n"
                    + "--rel\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\nContent-ID: <pic>\r\n\r\niVBORw0KGgo=\r\n--rel--\r\n";
            String inSession = withBody("MESSAGE sip:gw@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:5071;branch=z9hG4bK-mprm\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:fe1@contoso.com>;tag=mpr\r\nTo: " + toWithTag + "\r\n"
                    + "Call-ID: mpr@fe1.contoso.com\r\nCSeq: 2 MESSAGE\r\nContent-Length: 0\r\n\r\n",
                    "multipart/related;type=\"text/html\";boundary=rel", related);
            assertThat(c.send(inSession).finalStatus()).isEqualTo(200);
        }
        ChatMessage m = inbound.messages.poll(5, TimeUnit.SECONDS);
        assertThat(m).isNotNull();
        assertThat(m.body()).isEqualTo("see  this");
        assertThat(m.htmlBody()).startsWith("<p>see");
        SipRefusal note = inbound.refusals.poll(5, TimeUnit.SECONDS);
        assertThat(note).as("the trace hears that the picture was left out").isNotNull();
        assertThat(note.status()).isEqualTo(200);
        assertThat(note.reason()).contains("image/png");
    }
}
