package org.parley.sip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.sip.testing.RawSipOverTls;

/**
 * RFC 3261 §8.2.3 / §21.4.13: a body Parley cannot take is answered 415 with {@code Accept} listing what it does
 * take — page mode and in an IM session alike — so the sender can fall back.
 */
class UnsupportedBodyTest {

    private static RawSipOverTls sip;

    @BeforeAll
    static void start() throws Exception {
        sip = RawSipOverTls.start();
    }

    @AfterAll
    static void stop() {
        if (sip != null) {
            sip.close();
        }
    }

    private static String withBody(String request, String contentType, String body) {
        return request.replace("Content-Length: 0\r\n\r\n", "Content-Type: " + contentType + "\r\nContent-Length: "
                + body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "\r\n\r\n" + body);
    }

    private static void assertAcceptsWhatParleyTakes(String response) {
        assertThat(response).startsWith("SIP/2.0 415");
        String accept = String.join(", ", response.lines().filter(l -> l.startsWith("Accept:")).map(l -> l.substring(7).strip()).toList());
        assertThat(accept).contains("text/plain").contains("text/html").contains("application/im-iscomposing+xml");
    }

    @Test
    void aPageModeMessageWithABodyParleyCannotTakeIs415WithAccept() throws Exception {
        try (RawSipOverTls.Connection c = sip.connect()) {
            String message = withBody(sip.request("MESSAGE", "sip:juliet@xmpp.test", "TLS 127.0.0.1:5071", "pm415")
                    .replace("To: <sip:gw@contoso.com>", "To: <sip:juliet@xmpp.test>"), "application/octet-stream", "\u0001\u0002");
            assertAcceptsWhatParleyTakes(c.send(message).finalResponse());
        }
    }

    /** §8.2.3: a content coding Parley does not read is 415 with Accept-Encoding naming what it does (identity). */
    @Test
    void aBodyInAContentCodingParleyDoesNotReadIs415WithAcceptEncoding() throws Exception {
        try (RawSipOverTls.Connection c = sip.connect()) {
            String message = withBody(sip.request("MESSAGE", "sip:juliet@xmpp.test", "TLS 127.0.0.1:5071", "gz415")
                    .replace("To: <sip:gw@contoso.com>", "To: <sip:juliet@xmpp.test>"), "text/plain", "\u001f\u008b")
                    .replace("Content-Type: text/plain", "Content-Type: text/plain\r\nContent-Encoding: gzip");
            String answer = c.send(message).finalResponse();
            assertThat(answer).startsWith("SIP/2.0 415");
            assertThat(answer.lines().filter(l -> l.startsWith("Accept-Encoding:")).map(l -> l.substring(16).strip())).containsExactly("identity");
        }
    }

    @Test
    void aMessageInAnImSessionWithABodyParleyCannotTakeIs415WithAccept() throws Exception {
        try (RawSipOverTls.Connection c = sip.connect()) {
            String sdp = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=session\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                    + "m=message 5061 sip null\r\na=accept-types:text/plain\r\n";
            String invite = withBody(sip.request("INVITE", "sip:juliet@xmpp.test", "TLS 127.0.0.1:5071", "is415")
                    .replace("To: <sip:gw@contoso.com>", "To: <sip:juliet@xmpp.test>")
                    .replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nContact: <sip:fe1@127.0.0.1:5071;transport=tls>\r\n"),
                    "application/sdp", sdp);
            String ok = c.send(invite).finalResponse();
            assertThat(ok).startsWith("SIP/2.0 200");
            String toWithTag = ok.lines().filter(l -> l.startsWith("To:")).findFirst().orElseThrow().substring(3).strip();
            c.send("ACK sip:gw@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:5071;branch=z9hG4bK-is415ack\r\nMax-Forwards: 70\r\n"
                    + "From: <sip:fe1@contoso.com>;tag=is415\r\nTo: " + toWithTag + "\r\nCall-ID: is415@fe1.contoso.com\r\n"
                    + "CSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n");
            String inSession = withBody("MESSAGE sip:gw@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:5071;branch=z9hG4bK-is415m\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:fe1@contoso.com>;tag=is415\r\nTo: " + toWithTag + "\r\n"
                    + "Call-ID: is415@fe1.contoso.com\r\nCSeq: 2 MESSAGE\r\nContent-Length: 0\r\n\r\n", "application/octet-stream", "\u0001");
            assertAcceptsWhatParleyTakes(c.send(inSession).finalResponse());
        }
    }
}
