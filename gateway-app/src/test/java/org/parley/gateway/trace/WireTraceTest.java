package org.parley.gateway.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.gateway.testing.AssembledGateway;
import org.parley.sip.testing.LyncFrontEndSimulator;

/**
 * The trace shows what went on the wire, not a rendering of the model: the request Parley sent for a translation
 * (method, Call-ID, Subscription-State as sent) and the SIP request a translation came from, as it arrived.
 */
class WireTraceTest {

    private static AssembledGateway gw;

    @BeforeAll
    static void start() throws Exception {
        gw = new AssembledGateway(Set.of("alice"));
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void presenceToALyncWatcherShowsTheBenotifyThatWasSent() throws Exception {
        assertThat(gw.frontEnd.subscribeAsLyncWatcher("sip:bob@contoso.com", "sip:nurse@xmpp.test", gw.sipPort).getStatusCode())
                .isEqualTo(200);
        String watch = gw.frontEnd.lastWatchCallId();
        assertThat(gw.awaitToXmpp(5, "type=\"subscribe\"", "from=\"bob@contoso.com\"")).isNotNull();
        gw.fromXmpp("<presence from='nurse@xmpp.test' to='bob@contoso.com' type='subscribed'/>");
        gw.fromXmpp("<presence from='nurse@xmpp.test/ward' to='bob@contoso.com'><show>dnd</show><status>rounds</status></presence>");

        LyncFrontEndSimulator.Received sent = gw.awaitAtFrontEnd(r -> r.callId().equals(watch) && r.body().contains("rounds"));
        TranslationRecord record = gw.awaitRecord(r -> r.kind().equals("presence") && r.direction().startsWith("xmpp")
                && r.outputWires().stream().anyMatch(w -> w.contains(watch)));
        String wire = record.outputWires().stream().filter(w -> w.contains(watch)).findFirst().orElseThrow();
        assertThat(wire).as("the method that went on the wire").startsWith(sent.method() + " ")
                .contains("Subscription-State: " + sent.subscriptionState());
    }

    @Test
    void aMessageToLyncShowsTheMessageSentInTheSession() throws Exception {
        gw.fromXmpp("<message from='juliet@xmpp.test/balcony' to='alice@contoso.com' id='w1' type='chat'><body>wherefore</body></message>");
        LyncFrontEndSimulator.Received sent = gw.awaitAtFrontEnd(r -> r.method().equals("MESSAGE") && r.body().equals("wherefore"));
        TranslationRecord record = gw.awaitRecord(r -> "w1".equals(r.correlation()) && r.direction().startsWith("xmpp"));
        assertThat(record.outputWires()).anySatisfy(w -> assertThat(w).startsWith("MESSAGE ")
                .contains("Call-ID: " + sent.callId()).contains("wherefore"));
    }

    @Test
    void anXmppSubscriptionShowsTheSubscribeThatWasSent() throws Exception {
        gw.fromXmpp("<presence from='juliet@xmpp.test' to='alice@contoso.com' type='subscribe'/>");
        TranslationRecord record = gw.awaitRecord(r -> r.kind().equals("subscription") && r.direction().startsWith("xmpp")
                && r.outputWires().stream().anyMatch(w -> w.startsWith("SUBSCRIBE ")));
        String wire = record.outputWires().stream().filter(w -> w.startsWith("SUBSCRIBE ")).findFirst().orElseThrow();
        assertThat(wire).as("the SUBSCRIBE as it went out, not a rendering").contains("From: <sip:juliet@xmpp.test>;tag=")
                .contains("Call-ID: ").contains("CSeq: 1 SUBSCRIBE").contains(";branch=z9hG4bK");
    }

    @Test
    void aMessageFromLyncShowsTheRequestAsItArrived() throws Exception {
        assertThat(gw.frontEnd.startImSession("sip:alice@contoso.com", "sip:juliet@xmpp.test", gw.sipPort, null,
                "m=message 5061 sip null").getStatusCode()).isEqualTo(200);
        assertThat(gw.frontEnd.inSession("MESSAGE", "text", "plain", "thou art").getStatusCode()).isEqualTo(200);
        TranslationRecord record = gw.awaitRecord(r -> r.kind().equals("message") && r.direction().startsWith("sip")
                && r.inputWire() != null && r.inputWire().contains("thou art"));
        assertThat(record.inputWire()).startsWith("MESSAGE sip:").contains("Call-ID: " + gw.frontEnd.imCallId())
                .contains(";epid=").contains(";gruu>").contains("\r\n\r\nthou art");
    }
}
