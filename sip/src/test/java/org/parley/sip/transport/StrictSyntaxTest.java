package org.parley.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrictSyntaxTest {

    private static final String LYNC_NOTIFY = "NOTIFY sip:gw.contoso.com:5061;transport=tls SIP/2.0\r\n"
            + "Via: SIP/2.0/TLS 10.0.0.5:5061;branch=z9hG4bK1;ms-received-port=5061\r\n"
            + "From: \"Alice, Smith (Sales)\" <sip:alice@contoso.com>;tag=ab12;epid=0123456789\r\n"
            + "To: <sip:juliet@xmpp.test>;tag=cd34\r\n"
            + "Call-ID: 9f8e7d\r\n"
            + "CSeq: 12 NOTIFY\r\n"
            + "Contact: <sip:fe1.contoso.com:5061;transport=tls;ms-fe=fe1.contoso.com>;+sip.instance=\"<urn:uuid:1>\", Bob <sip:b@x.com>\r\n"
            + "Max-Forwards: 70\r\n"
            + "Content-Type: application/msrtc-event-categories+xml\r\n"
            + "Content-Length: 12\r\n\r\n";

    @Test
    void realWorldRequestsAreClean() {
        assertThat(StrictSyntax.inspect(LYNC_NOTIFY).violation()).isNull();
        assertThat(StrictSyntax.inspect("REGISTER sip:x.com SIP/2.0\r\nVia: SIP/2.0/TLS h;branch=z9hG4bK2\r\nf: sip:a@x.com;tag=1\r\n"
                + "t: sip:a@x.com\r\ni: c\r\nCSeq: 1 REGISTER\r\nm: *\r\nl: 0\r\n\r\n").violation()).isNull();
        assertThat(StrictSyntax.inspect("SIP/2.0 200  OK\r\nTo: a\r\nTo: b\r\n\r\n").violation()).as("responses are JAIN-SIP's").isNull();
    }

    @Test
    void aQuestionMarkInTheUserPartIsNoHeader() {
        // RFC 4475 §3.1.1.2: user-unreserved allows '?'; only a '?' after the host starts headers
        String line = "NOTIFY sip:crazy?,/;;*:&it+has=1@gw.contoso.com SIP/2.0";
        assertThat(StrictSyntax.inspect(LYNC_NOTIFY.replaceFirst("^[^\r]*", java.util.regex.Matcher.quoteReplacement(line))).violation()).isNull();
    }

    @Test
    void foldedHeadersAreReadAsOne() {
        String folded = LYNC_NOTIFY.replace("To: <sip:juliet@xmpp.test>;tag=cd34\r\n", "To:\r\n   <sip:juliet@xmpp.test>\r\n\t;tag=cd34\r\n");
        assertThat(StrictSyntax.inspect(folded).violation()).isNull();
        String foldedBadName = LYNC_NOTIFY.replace("To: <sip:juliet@xmpp.test>;tag=cd34\r\n", "To: Capulet,\r\n  Juliet <sip:juliet@xmpp.test>\r\n");
        assertThat(StrictSyntax.inspect(foldedBadName).violation().reason()).as("checked after unfolding").contains("must be tokens or a quoted string");
        String foldedTwice = folded.replace("Call-ID: 9f8e7d\r\n", "Call-ID: 9f8e7d\r\nTo:\r\n <sip:romeo@xmpp.test>\r\n");
        assertThat(StrictSyntax.inspect(foldedTwice).violation().reason()).startsWith("several To headers");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "several spaces       | NOTIFY  sip:gw.contoso.com SIP/2.0                  | 400 | true",
        "trailing space       | NOTIFY sip:gw.contoso.com SIP/2.0                   | 400 | true",
        "angle brackets       | NOTIFY <sip:gw.contoso.com> SIP/2.0                 | 400 | true",
        "space inside the URI | NOTIFY sip:gw.contoso.com; lr SIP/2.0               | 400 | true",
        "other version        | NOTIFY sip:gw.contoso.com SIP/3.0                   | 505 | false",
        "headers in the URI   | NOTIFY sip:gw@contoso.com?Route=%3Csip:x%3E SIP/2.0 | 400 | true",
    })
    void requestLines(String what, String line, int status, boolean repaired) {
        String requestLine = what.equals("trailing space") ? line + " " : line;
        StrictSyntax.Verdict v = StrictSyntax.inspect(LYNC_NOTIFY.replaceFirst("^[^\r]*", requestLine));
        assertThat(v.violation().status()).isEqualTo(status);
        assertThat(v.violation().original()).startsWith(requestLine + "\r\nVia: ");
        assertThat(v.repairedHead() != null).isEqualTo(repaired);
        if (repaired) {
            assertThat(v.repairedHead()).startsWith("NOTIFY sip:invalid.invalid SIP/2.0\r\nVia: ").endsWith("Content-Length: 12\r\n\r\n");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "two To                  | To: <sip:other@x.com>                         | several To headers",
        "compact and long        | i: 9f8e7d-2                                   | several Call-ID headers",
        "two Content-Length      | l: 12                                         | several Content-Length headers",
        "two Content-Type        | c: text/plain                                 | several Content-Type headers",
        "unquoted comma          | Reply-To: Bell, Alexander <sip:a@x.com>       | must be tokens or a quoted string",
        "space inside <>         | Contact: < sip:a@x.com >                      | whitespace inside <sip:a@x.com>",
        "? outside <>            | Contact: sip:a@x.com?Route=%3Csip:b%3E        | must be enclosed in <>",
    })
    void headers(String what, String extra, String problem) {
        StrictSyntax.Verdict v = StrictSyntax.inspect(LYNC_NOTIFY.replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\n" + extra + "\r\n"));
        assertThat(v.violation().status()).isEqualTo(400);
        assertThat(v.violation().reason()).contains(problem);
        assertThat(v.violation().beforeTheListener()).isFalse();
        assertThat(v.repairedHead()).isNull();
    }

    @Test
    void missingFromToOrCallIdGetPlaceholdersSoTheRequestCanBeAnswered() {
        StrictSyntax.Verdict v = StrictSyntax.inspect(LYNC_NOTIFY.replace("Call-ID: 9f8e7d\r\n", "").replace("To: <sip:juliet@xmpp.test>;tag=cd34\r\n", ""));
        assertThat(v.violation().status()).isEqualTo(400);
        assertThat(v.violation().reason()).startsWith("no To, Call-ID header");
        assertThat(v.violation().beforeTheListener()).isFalse();
        assertThat(v.violation().original()).doesNotContain("missing.invalid");
        assertThat(v.repairedHead()).contains("\r\nTo: <sip:unknown.invalid>\r\n", "\r\nCall-ID: missing.invalid\r\n");
    }

    @Test
    void withoutViaOrCSeqNothingCanBeAnswered() {
        StrictSyntax.Violation missing = StrictSyntax.inspect(LYNC_NOTIFY.replaceAll("Via: [^\r]*\r\n", "")).violation();
        assertThat(missing.status()).isZero();
        assertThat(missing.reason()).startsWith("no Via header");
        assertThat(missing.beforeTheListener()).isTrue();
    }

    /**
     * JAIN-SIP would answer a CSeq whose method is not the Request-Line's by the Via (to nobody, on a stream): the
     * CSeq is given the Request-Line's method so Parley's listener answers, after its method check (RFC 4475 §3.1.2.18).
     */
    @Test
    void aForeignCSeqMethodIsRepairedForParleysListenerToAnswerAfterTheMethodCheck() {
        StrictSyntax.Verdict v = StrictSyntax.inspect(LYNC_NOTIFY.replace("CSeq: 12 NOTIFY", "CSeq: 12 INVITE"));
        assertThat(v.violation().status()).isEqualTo(400);
        assertThat(v.violation().beforeTheListener()).isFalse();
        assertThat(v.violation().methodFirst()).isTrue();
        assertThat(v.violation().original()).contains("CSeq: 12 INVITE");
        assertThat(v.repairedHead()).contains("\r\nCSeq: 12 NOTIFY\r\n");
    }

    /** RFC 4475 §3.1.2.3: a Content-Length that is no length loses the stream's framing: 400, then the connection closes. */
    @Test
    void aContentLengthThatIsNoLengthIsAnsweredAndClosesTheConnection() {
        StrictSyntax.Verdict v = StrictSyntax.inspect(LYNC_NOTIFY.replace("Content-Length: 12", "Content-Length: -999"));
        assertThat(v.violation().status()).isEqualTo(400);
        assertThat(v.violation().reason()).contains("-999 is not a length");
        assertThat(v.violation().closesConnection()).isTrue();
        assertThat(v.repairedHead()).contains("\r\nContent-Length: 0\r\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "Via: SIP/2.0/TLS 10.0.0.5:5061;;,;,,               | Via: SIP/2.0/TLS 10.0.0.5:5061",
        "CSeq: 36893488147419103232 NOTIFY                  | CSeq: 1 NOTIFY",
        "To: \"Mr. J. User <sip:juliet@xmpp.test>;tag=cd34  | To: <sip:unparseable.invalid>;tag=cd34",
        "From: \"Alice <sip:alice@contoso.com>             | From: <sip:unparseable.invalid>",
    })
    void anUnparseableHeaderIsStoodInForWithWhatAResponseCanCopy(String broken, String standIn) {
        String name = broken.substring(0, broken.indexOf(':'));
        String head = LYNC_NOTIFY.replaceFirst("(?m)^" + name + ": [^\r]*", java.util.regex.Matcher.quoteReplacement(broken));
        String repaired = StrictSyntax.repairHeader(head, broken);
        assertThat(repaired).contains("\r\n" + standIn + "\r\n").doesNotContain(broken);
        assertThat(repaired.lines().count()).isEqualTo(head.lines().count());
        assertThat(StrictSyntax.repairHeader(head, "Content-Type: text/")).as("no stand-in for other headers").isNull();
    }
}
