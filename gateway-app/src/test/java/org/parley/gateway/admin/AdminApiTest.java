package org.parley.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.gateway.ParleyApplication;
import org.parley.gateway.trace.TranslationRecord;
import org.parley.gateway.trace.TranslationTrace;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.PresenceUpdate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The admin API over real HTTP: authentication, filters, redaction, lookups. */
@org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability
@SpringBootTest(classes = ParleyApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AdminApiTest {

    private static final String TOKEN = "test-admin-token-0123456789";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Path data = Files.createTempDirectory("parley-admin-test");
        registry.add("parley.data-dir", data::toString);
        int sipPort = org.parley.sip.testing.FreePorts.next();
        int s2sPort = org.parley.sip.testing.FreePorts.next();
        registry.add("parley.lync.listen-port", () -> sipPort);
        registry.add("parley.xmpp.s2s.port", () -> s2sPort);
        registry.add("parley.admin.token", () -> TOKEN);
        registry.add("parley.lync.dialect", () -> "rfc");
        registry.add("parley.xmpp.s2s.partners[xmpp.test].tls", () -> "required");
    }

    @Autowired
    private TestRestTemplate http;

    @Autowired
    private TranslationTrace trace;

    private long seeded;

    @BeforeEach
    void seed() {
        if (trace.find(r -> !r.kind().equals("keep-alive"), 1).isEmpty()) {
            trace.begin("xmpp→sip", ChatMessage.text(Address.xmpp("juliet", "xmpp.test", "balcony"), Address.xmpp("alice", "contoso.com"),
                    "m1", "the secret plans")).decision("page mode").done(TranslationRecord.Outcome.DELIVERED, null);
            trace.begin("sip→xmpp", PresenceUpdate.of(Address.sip("alice", "contoso.com"), org.parley.presence.model.Availability.AWAY))
                    .done(TranslationRecord.Outcome.FAILED, "remote-server-not-found");
        }
        seeded = trace.find(r -> !r.kind().equals("keep-alive"), 1).get(0).id();
    }

    private ResponseEntity<String> get(String path, String token) {
        HttpHeaders h = new HttpHeaders();
        if (token != null) {
            h.setBearerAuth(token);
        }
        return http.exchange(path, HttpMethod.GET, new HttpEntity<>(h), String.class);
    }

    @Test
    void withoutATokenTheAnswerIs401AndAWrongTokenIs403() {
        ResponseEntity<String> none = get("/admin/api/translations", null);
        assertThat(none.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(none.getHeaders().getFirst("WWW-Authenticate")).startsWith("Bearer");
        assertThat(get("/admin/api/translations", "wrong").getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(get("/admin/api/translations", TOKEN).getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void healthNeedsNoToken() {
        assertThat(get("/actuator/health/liveness", null).getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void translationsAreFilteredAndBodiesRedacted() {
        String all = get("/admin/api/translations", TOKEN).getBody();
        assertThat(all).contains("juliet@xmpp.test").contains("[redacted 16 chars]").doesNotContain("secret plans");

        String failed = get("/admin/api/translations?outcome=failed", TOKEN).getBody();
        assertThat(failed).contains("remote-server-not-found").doesNotContain("juliet");

        assertThat(get("/admin/api/translations?direction=xmpp-sip&kind=message", TOKEN).getBody()).contains("page mode");
        assertThat(get("/admin/api/translations?user=nobody", TOKEN).getBody()).isEqualTo("[]");
        assertThat(get("/admin/api/translations?since=2999-01-01T00:00:00Z", TOKEN).getBody()).isEqualTo("[]");
        assertThat(get("/admin/api/translations?outcome=maybe", TOKEN).getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    }

    @Test
    void prometheusCountsTranslationsPerPartnerDirectionAndOutcome() {
        String metrics = get("/actuator/prometheus", null).getBody();
        assertThat(metrics).contains("parley_translations_total{direction=\"xmpp-sip\",kind=\"message\",outcome=\"delivered\",partner=\"xmpp.test\"}")
                .contains("parley_translation_errors_total{condition=\"remote-server-not-found\"")
                .contains("parley_translation_latency_seconds_bucket");
    }

    private ResponseEntity<String> translate(String protocol, String raw) {
        HttpHeaders h = new HttpHeaders();
        h.setBearerAuth(TOKEN);
        h.setContentType(org.springframework.http.MediaType.APPLICATION_JSON);
        java.util.Map<String, String> body = java.util.Map.of("protocol", protocol, "raw", raw);
        return http.exchange("/admin/api/translate", HttpMethod.POST, new HttpEntity<>(body, h), String.class);
    }

    @Test
    void aDryRunShowsWhatWouldBeSentAndSendsNothing() {
        // (OPTIONS keep-alives toward the absent front end are recorded in the background: not counted)
        int before = trace.find(r -> !r.kind().equals("keep-alive"), 10_000).size();

        ResponseEntity<String> im = translate("xmpp",
                "<message from='juliet@xmpp.test/balcony' to='alice@contoso.com' type='chat' id='d1'><body>top secret</body></message>");
        assertThat(im.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(im.getBody()).contains("\"outcome\":\"DELIVERED\"").contains("MESSAGE sip:alice@contoso.com")
                .contains("\"side\":\"sip\"").doesNotContain("top secret");

        ResponseEntity<String> presence = translate("sip", "PUBLISH sip:alice@contoso.com SIP/2.0\n"
                + "Via: SIP/2.0/TLS 127.0.0.1:5062;branch=z9hG4bK-1\nFrom: <sip:alice@contoso.com>;tag=1\nTo: <sip:alice@contoso.com>\n"
                + "Call-ID: dry-1\nCSeq: 1 PUBLISH\nMax-Forwards: 70\nEvent: presence\nContent-Type: application/pidf+xml\n\n"
                + "<?xml version='1.0'?><presence xmlns='urn:ietf:params:xml:ns:pidf' entity='sip:alice@contoso.com'><tuple id='t'>"
                + "<status><basic>open</basic></status><note>In a meeting</note></tuple></presence>");
        assertThat(presence.getBody()).contains("\"side\":\"xmpp\"").contains("In a meeting");

        ResponseEntity<String> subscribe = translate("xmpp", "<presence from='juliet@xmpp.test' to='alice@contoso.com' type='subscribe'/>");
        assertThat(subscribe.getBody()).contains("SUBSCRIBE sip:alice@contoso.com").contains("APPROVE");

        ResponseEntity<String> garbage = translate("sip", "this is not SIP");
        assertThat(garbage.getBody()).contains("\"outcome\":\"REJECTED\"").contains("not a SIP request");
        assertThat(translate("carrier-pigeon", "coo").getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);

        assertThat(trace.find(r -> !r.kind().equals("keep-alive"), 10_000)).as("a dry run leaves no trace of its own").hasSize(before);
        assertThat(get("/admin/api/subscriptions", TOKEN).getBody()).as("and no relationship").contains("\"relationships\":[]");
    }

    @Test
    void oneTranslationByIdAnd404ForUnknownIds() {
        assertThat(get("/admin/api/translations/" + seeded, TOKEN).getBody()).contains("\"id\":" + seeded);
        assertThat(get("/admin/api/translations/999999", TOKEN).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void sessionsAndSubscriptionsDescribeBothSides() {
        String sessions = get("/admin/api/sessions", TOKEN).getBody();
        assertThat(sessions).contains("\"frontEnds\"").contains("127.0.0.1:5062").contains("\"listeningPorts\"");
        assertThat(get("/admin/api/subscriptions", TOKEN).getBody()).contains("\"relationships\":[]");
    }

    @Test
    void aSingleGatewayAnswersAsAClusterOfOne() {
        assertThat(get("/admin/api/cluster", null).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        String cluster = get("/admin/api/cluster", TOKEN).getBody();
        assertThat(cluster).contains("\"clustered\":false").contains("\"member\":\"this gateway\"").contains("\"members\":1");
    }
    @Test
    void aUserSearchCoversRefusalsThatHaveNoAddressee() {
        // a stream refused before any stanza: the trace knows the peer, not whom it wanted to reach
        trace.refusal("xmpp→sip", "stream", "mallory.example", null, null, null, false, "<stream:error/>", "not-well-formed: bad XML");

        ResponseEntity<String> byPeer = get("/admin/api/translations?user=MALLORY", TOKEN);
        assertThat(byPeer.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(byPeer.getBody()).contains("not-well-formed: bad XML");
        ResponseEntity<String> other = get("/admin/api/translations?user=alice", TOKEN);
        assertThat(other.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(other.getBody()).contains("alice@contoso.com").doesNotContain("mallory");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "/admin/api/translations?direction=bogus    | direction must be xmpp-sip or sip-xmpp, not 'bogus'",
        "/admin/api/translations?direction=         | direction must be xmpp-sip or sip-xmpp, not ''",
        "/admin/api/translations?kind=bogus         | kind must be one of message, presence",
        "/admin/api/translations?outcome=maybe      | outcome must be DELIVERED, REJECTED or FAILED, not 'maybe'",
        "/admin/api/translations?since=yesterday    | since must be an ISO-8601 instant",
        "/admin/api/translations?limit=0            | limit must be a whole number from 1 to 10000, not '0'",
        "/admin/api/translations?limit=10001        | limit must be a whole number from 1 to 10000, not '10001'",
        "/admin/api/translations?limit=ten          | limit must be a whole number from 1 to 10000, not 'ten'",
        "/admin/api/translations?limit=99999999999999999999 | limit must be a whole number from 1 to 10000",
        "/admin/api/translations?usr=alice          | unknown parameter 'usr'",
        "/admin/api/translations?kind=message&kind=presence | kind is given twice",
        "/admin/api/translations/forty-two          | the id must be a whole number from 1, not 'forty-two'",
        "/admin/api/translations/-3                 | the id must be a whole number from 1, not '-3'",
        "/admin/api/translations/99999999999999999999 | the id must be a whole number from 1",
    })
    void everyBadQueryValueIs400WithTheReasonInTheBody(String path, String reason) {
        ResponseEntity<String> answer = get(path, TOKEN);
        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(answer.getHeaders().getContentType().isCompatibleWith(org.springframework.http.MediaType.APPLICATION_JSON)).isTrue();
        assertThat(answer.getBody()).contains("\"status\":400").contains("\"reason\":\"" + reason);
    }

    @Test
    void aDryRunWithABodyThatIsNotJsonIs400WithTheReason() {
        HttpHeaders h = new HttpHeaders();
        h.setBearerAuth(TOKEN);
        h.setContentType(org.springframework.http.MediaType.APPLICATION_JSON);
        ResponseEntity<String> answer = http.exchange("/admin/api/translate", HttpMethod.POST, new HttpEntity<>("{\"protocol\": \"sip\", raw", h),
                String.class);
        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(answer.getBody()).contains("\"reason\":\"send {\\\"protocol\\\"");
        assertThat(translate("carrier-pigeon", "coo").getBody()).contains("\"reason\":\"protocol must be 'xmpp' or 'sip'");
    }
}
