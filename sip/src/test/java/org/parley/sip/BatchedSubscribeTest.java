package org.parley.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.presence.model.Address;
import org.parley.presence.model.Availability;
import org.parley.presence.model.PresenceUpdate;
import org.parley.sip.testing.RawSipOverTls;
import org.parley.sip.testing.RecordingInbound;

/**
 * A Lync watcher's batched SUBSCRIBE ([MS-PRES] §2.2.2.4.1, [MS-SIP] §3.3.4.1: the Request-URI is the watcher's own
 * address, the resources are in the body) is something Parley does not serve as a notifier: it is refused 420 with
 * {@code Unsupported: adhoclist} (RFC 3261 §8.2.2.3), so the front end falls back to one SUBSCRIBE per contact,
 * rather than accepted and read as a subscription to the watcher itself.
 */
class BatchedSubscribeTest {

    private static final RecordingInbound inbound = new RecordingInbound();
    private static RawSipOverTls sip;

    /** Resources behind the gateway and the categories a Lync client asks for, in the body's [MS-PRES] §2.2.2.4.1 form. */
    private static final String BATCH = "<batchSub xmlns=\"http://schemas.microsoft.com/2006/01/sip/batch-subscribe\" "
            + "uri=\"sip:alice@contoso.com\" name=\"\"><action name=\"subscribe\" id=\"1234\"><adhocList>"
            + "<resource uri=\"sip:juliet@xmpp.test\"/><resource uri=\"sip:romeo@xmpp.test\"/></adhocList>"
            + "<categoryList xmlns=\"http://schemas.microsoft.com/2006/09/sip/categorylist\"><category name=\"state\"/>"
            + "<category name=\"note\"/></categoryList></action></batchSub>";

    @BeforeAll
    static void start() throws Exception {
        sip = RawSipOverTls.start(inbound.sides());
        Address juliet = Address.sip("juliet", "xmpp.test");
        inbound.states.put(juliet, new PresenceUpdate(juliet, null, Availability.AVAILABLE, 0, List.of(), null, null));
    }

    @AfterAll
    static void stop() {
        if (sip != null) {
            sip.close();
        }
    }

    private static String subscribe(String requestUri, String branch, String extraHeaders, String contentType, String body) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        return "SUBSCRIBE " + requestUri + " SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:5071;branch=z9hG4bK-" + branch + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:alice@contoso.com>;tag=" + branch + "\r\nTo: <" + requestUri + ">\r\n"
                + "Call-ID: " + branch + "@fe1.contoso.com\r\nCSeq: 1 SUBSCRIBE\r\nContact: <sip:fe1.contoso.com:5071;transport=tls>\r\n"
                + "Event: presence\r\nExpires: 3600\r\nAccept: application/msrtc-event-categories+xml, application/rlmi+xml, multipart/related\r\n"
                + "Supported: ms-benotify\r\nSupported: ms-piggyback-first-notify\r\n" + extraHeaders
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + "Content-Length: " + bytes.length + "\r\n\r\n" + (body == null ? "" : body);
    }

    private static List<String> unsupported(String response) {
        return response.lines().filter(l -> l.regionMatches(true, 0, "Unsupported:", 0, 12))
                .flatMap(l -> java.util.Arrays.stream(l.substring(12).split(","))).map(String::strip).toList();
    }

    @Test
    void aBatchedSubscribeIs420WithUnsupportedAdhoclist() throws Exception {
        try (RawSipOverTls.Connection c = sip.connect()) {
            String r = c.send(subscribe("sip:alice@contoso.com", "batch1", "Require: adhoclist, categoryList\r\nSupported: eventlist\r\n",
                    "application/msrtc-adrl-categorylist+xml", BATCH)).finalResponse();
            assertThat(r).startsWith("SIP/2.0 420");
            assertThat(unsupported(r)).anySatisfy(tag -> assertThat(tag).isEqualToIgnoringCase("adhoclist"));
        }
        assertThat(inbound.subscriptionEvents).as("not read as a subscription to the watcher's own address")
                .noneSatisfy(e -> assertThat(e.to()).isEqualTo(Address.sip("alice", "contoso.com")));
    }

    @Test
    void aResourceListBodyWithoutRequireIsRefusedTheSameWay() throws Exception {
        try (RawSipOverTls.Connection c = sip.connect()) {
            String r = c.send(subscribe("sip:alice@contoso.com", "batch2", "", "application/msrtc-adrl-categorylist+xml", BATCH))
                    .finalResponse();
            assertThat(r).startsWith("SIP/2.0 420");
            assertThat(unsupported(r)).containsExactly("adhoclist");
        }
    }

    @Test
    void theOlderAdrlBodyOfMsSipIsRefusedTheSameWay() throws Exception {
        String adrl = "<adrl xmlns=\"http://schemas.microsoft.com/2006/01/sip/adrl\" uri=\"sip:alice@contoso.com\" name=\"x\">"
                + "<create xmlns=\"\"><resource uri=\"sip:juliet@xmpp.test\"/></create></adrl>";
        try (RawSipOverTls.Connection c = sip.connect()) {
            String r = c.send(subscribe("sip:alice@contoso.com", "batch3", "Require: adhoclist\r\n", "application/adrl+xml", adrl))
                    .finalResponse();
            assertThat(r).startsWith("SIP/2.0 420");
            assertThat(unsupported(r)).containsExactly("adhoclist");
        }
    }

    @Test
    void aPlainSubscribeToAUserBehindTheGatewayStillWorks() throws Exception {
        try (RawSipOverTls.Connection c = sip.connect()) {
            String r = c.send(subscribe("sip:juliet@xmpp.test", "plain1", "", null, null)).finalResponse();
            assertThat(r).startsWith("SIP/2.0 200");
        }
    }

    @Test
    void optionsNoLongerClaimsAdhoclist() throws Exception {
        try (RawSipOverTls.Connection c = sip.connect()) {
            String r = c.send(sip.request("OPTIONS", "sip:127.0.0.1:" + sip.port(), "TLS 127.0.0.1:5071", "optb")).finalResponse();
            assertThat(r).startsWith("SIP/2.0 200");
            String supported = String.join(",", r.lines().filter(l -> l.startsWith("Supported:")).map(l -> l.substring(10)).toList());
            assertThat(supported).contains("ms-benotify").doesNotContainIgnoringCase("adhoclist");
        }
    }
}
