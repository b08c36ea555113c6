package org.parley.sip.lync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.presence.model.Address;
import org.parley.presence.model.Availability;
import org.parley.presence.model.PresenceUpdate;
import org.parley.sip.config.SipTimers;
import org.parley.sip.testing.LyncRig;
import org.parley.sip.testing.SipText;

/**
 * The front-end simulator pinned by Microsoft's own example messages (src/test/resources/lync-golden, each file
 * citing its section): what the simulator sends, taken off the wire, has the dialect the specification's example
 * has — the same extension headers and option tags, the same parameters, the same body structure. Values that
 * name one instance (addresses, tags, Call-IDs, versions) are not compared.
 */
class LyncGoldenTranscriptTest {

    private static LyncRig rig;

    @BeforeAll
    static void start() throws Exception {
        rig = new LyncRig(SipTimers.defaults(), Set.of("alice"));
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void aLyncWatchersSubscribeIsTheOneOfMsPres4_11() throws Exception {
        Address juliet = Address.sip("juliet", "xmpp.test");
        rig.inbound.states.put(juliet, new PresenceUpdate(juliet, null, Availability.AVAILABLE, 0, List.of(), null, null));
        rig.inbound.requestWires.clear();
        assertThat(rig.frontEnd.subscribeAsLyncWatcher("sip:alice@contoso.com", "sip:juliet@xmpp.test", rig.parleyPort)
                .getStatusCode()).as("Proxy-Require is for proxies: Parley, a UAS, ignores it").isEqualTo(200);
        SipText sent = received("SUBSCRIBE");
        SipText spec = SipText.resource("/lync-golden/MS-PRES-4.11-msrtc-subscribe-request.txt");

        assertThat(sent.method()).isEqualTo(spec.method());
        for (String header : List.of("Event", "Supported", "Proxy-Require")) {
            assertThat(sent.tokens(header)).as(header).isEqualTo(spec.tokens(header));
        }
        assertThat(sent.tokens("Accept")).as("Accept: the spec's presence types, and the categories Lync prefers")
                .containsAll(spec.tokens("Accept"))
                .containsAll(SipText.resource("/lync-golden/MS-PRES-2.2.2.4.1-category-subscribe-request.txt").tokens("Accept"));
        assertThat(SipText.parameterNames(sent.first("From"))).containsAll(SipText.parameterNames(spec.first("From"))); // tag, epid
        assertThat(sent.first("User-Agent")).isNotBlank();
        assertGruuContact(sent);
    }

    @Test
    void aBatchedCategorySubscribeIsTheOneOfMsPres2_2_2_4_1AndParleyRefusesIt() throws Exception {
        rig.inbound.requestWires.clear();
        Response answer = rig.frontEnd.subscribeBatched("sip:bob@contoso.com", List.of("sip:alice@contoso.com", "sip:juliet@xmpp.test"),
                rig.parleyPort);
        SipText sent = received("SUBSCRIBE");
        SipText spec = SipText.resource("/lync-golden/MS-PRES-2.2.2.4.1-category-subscribe-request.txt");

        assertThat(sent.startLine()).as("addressed to the watcher itself").startsWith("SUBSCRIBE sip:bob@contoso.com ");
        for (String header : List.of("Event", "Accept", "Supported", "Proxy-Require", "Require", "Content-Type")) {
            assertThat(sent.tokens(header)).as(header).isEqualTo(spec.tokens(header));
        }
        assertThat(SipText.parameterNames(sent.first("From"))).containsAll(SipText.parameterNames(spec.first("From")));
        assertGruuContact(sent);
        assertThat(elements(sent.body())).as("the batchSub document's structure")
                .containsExactlyElementsOf(elements(spec.body()).stream()
                        .filter(e -> !Set.of("context", "subscriptionContext", "watcher", "contactList").contains(e)).toList());
        assertThat(sent.body()).contains("xmlns=\"http://schemas.microsoft.com/2006/01/sip/batch-subscribe\"")
                .contains("xmlns=\"http://schemas.microsoft.com/2006/09/sip/categorylist\"");

        // Parley does not serve batched subscriptions: 420 naming the extension, so the front end falls back
        assertThat(answer.getStatusCode()).isEqualTo(420);
        assertThat(answer.getHeader("Unsupported").toString()).contains("adhoclist");
    }

    @Test
    void aFrontEndsRefusalHasTheShapeOfMsPres4_14_3_1() throws Exception {
        rig.frontEnd.refuseUnknownPresentities(true);
        try {
            SipText answer = SipText.parse(askFrontEnd(subscribe("carol", "g-refusal")));
            SipText spec = SipText.resource("/lync-golden/MS-PRES-4.14.3.1-contacts-subscribe-488-ms-diagnostics-response.txt");

            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.headers().keySet()).as("every header of the spec's answer but its authentication")
                    .containsAll(spec.headers().keySet().stream().filter(h -> !h.equals("authentication-info")).toList());
            Pattern diagnostics = Pattern.compile("^(\\d+(?:\\.\\d+)?);(.*)$");
            Matcher got = diagnostics.matcher(answer.first("ms-diagnostics"));
            assertThat(got.matches()).as(answer.first("ms-diagnostics")).isTrue();
            assertThat(diagnostics.matcher(spec.first("ms-diagnostics")).matches()).isTrue();
            assertThat(SipText.parameterNames(answer.first("ms-diagnostics")))
                    .containsAll(SipText.parameterNames(spec.first("ms-diagnostics"))); // reason, source
            assertThat(SipText.parameterNames(answer.first("Via"))).containsAll(SipText.parameterNames(spec.first("Via")));
        } finally {
            rig.frontEnd.refuseUnknownPresentities(false);
        }
    }

    @Test
    void aFrontEndsAnswerMarksTheViaAsMsPres4_8_1Shows() throws Exception {
        SipText answer = SipText.parse(askFrontEnd(subscribe("alice", "g-ok")));
        SipText spec = SipText.resource("/lync-golden/MS-PRES-4.8.1-setsubscribers-response.txt");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(SipText.parameterNames(answer.first("Via"))).as("ms-received-port, ms-received-cid")
                .containsAll(SipText.parameterNames(spec.first("Via")));
        assertThat(SipText.parameterNames(answer.first("To"))).contains("tag");
    }

    private static void assertGruuContact(SipText sent) {
        String specContact = SipText.resource("/lync-golden/MS-PRES-2.2.2.4.1-category-subscribe-request.txt").first("Contact");
        assertThat(specContact).matches("<sip:[^;>]+;opaque=user:epid:[^;>]+;gruu>");
        assertThat(sent.first("Contact")).as("a GRUU, as [MS-PRES] §2.2.2.4.1's client has").matches("<sip:[^;>]+;opaque=user:epid:[^;>]+;gruu>");
    }

    private static SipText received(String method) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            String wire = rig.inbound.requestWires.poll(1, TimeUnit.SECONDS);
            if (wire != null && wire.startsWith(method + " ")) {
                return SipText.parse(wire);
            }
        }
        throw new AssertionError("Parley received no " + method);
    }

    /** Element names of an XML document in document order (a structure to compare, not a parser). */
    private static List<String> elements(String xml) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("<([A-Za-z][\\w.-]*)").matcher(xml);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** A SUBSCRIBE as Parley sends one to the front end. */
    private static String subscribe(String user, String callId) {
        return "SUBSCRIBE sip:" + user + "@contoso.com SIP/2.0\r\n"
                + "Via: SIP/2.0/TLS 127.0.0.1:" + rig.parleyPort + ";branch=z9hG4bK-" + callId + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:juliet@xmpp.test>;tag=" + callId + "\r\n"
                + "To: <sip:" + user + "@contoso.com>\r\n"
                + "Call-ID: " + callId + "@gw.contoso.com\r\n"
                + "CSeq: 1 SUBSCRIBE\r\n"
                + "Contact: <sip:127.0.0.1:" + rig.parleyPort + ";transport=tls>\r\n"
                + "Event: presence\r\n"
                + "Accept: application/msrtc-event-categories+xml\r\n"
                + "Expires: 60\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** Sends one request to the front end over mutual TLS as the gateway and returns its final answer as text. */
    private static String askFrontEnd(String request) throws Exception {
        try (SSLSocket socket = (SSLSocket) rig.gatewayTls.sslContext(r -> { }).getSocketFactory().createSocket("127.0.0.1", rig.frontEndPort)) {
            socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            while (true) {
                String message = readMessage(in);
                if (!message.startsWith("SIP/2.0 1")) {
                    return message;
                }
            }
        }
    }

    private static String readMessage(InputStream in) throws Exception {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.UTF_8).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("connection closed after " + head.toString(StandardCharsets.UTF_8));
            }
            if (head.size() == 0 && (b == '\r' || b == '\n')) {
                continue; // keep-alive CRLFs between messages
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.UTF_8);
        Matcher length = Pattern.compile("(?im)^(?:Content-Length|l)\\s*:\\s*(\\d+)").matcher(text);
        int n = length.find() ? Integer.parseInt(length.group(1)) : 0;
        return text + new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }
}
