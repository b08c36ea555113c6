package org.parley.gateway.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.gateway.testing.AssembledGateway;
import org.parley.sip.testing.LyncFrontEndSimulator;

/**
 * The trace's output wire of a translation is, byte for byte, the request the peer received: the front end keeps each
 * request as its bytes arrived (through the same strict parser as Parley's), and the trace must hold that exact text —
 * not a rendering of the model, not JAIN-SIP's object before the stack finished it.
 */
class TraceEqualsTheWireTest {

    private static AssembledGateway gw;

    @BeforeAll
    static void start() throws Exception {
        gw = new AssembledGateway(Set.of("alice", "carol", "dave"));
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void theNotifyOfAWatchDialogIsTracedAsTheFrontEndReceivedIt() throws Exception {
        String sent = stateSentInAWatch("sip:carol@contoso.com", "viola", false, "NOTIFY");
        assertThat(gw.awaitRecord(r -> r.outputWires().contains(sent))).as("a record whose output wire is the NOTIFY received:%n%s", sent)
                .isNotNull();
    }

    @Test
    void theBenotifyOfAWatchDialogIsTracedAsTheFrontEndReceivedIt() throws Exception {
        String sent = stateSentInAWatch("sip:dave@contoso.com", "sebastian", true, "BENOTIFY");
        assertThat(gw.awaitRecord(r -> r.outputWires().contains(sent))).as("a record whose output wire is the BENOTIFY received:%n%s", sent)
                .isNotNull();
    }

    /** A Lync watcher subscribes, the XMPP user approves, then goes away: the request carrying that state, as received. */
    private static String stateSentInAWatch(String watcher, String xmppUser, boolean benotify, String method) throws Exception {
        String jid = xmppUser + "@" + AssembledGateway.XMPP;
        String lync = watcher.substring("sip:".length());
        assertThat(gw.frontEnd.subscribeAsLyncWatcher(watcher, "sip:" + jid, gw.sipPort, benotify).getStatusCode()).isEqualTo(200);
        String watch = gw.frontEnd.lastWatchCallId();
        assertThat(gw.awaitToXmpp(5, "type=\"subscribe\"", "from=\"" + lync + "\"")).isNotNull();
        gw.fromXmpp("<presence from='" + jid + "' to='" + lync + "' type='subscribed'/>");
        // as an XMPP server does (RFC 6121 §3.1.5): the user's presence goes to the contact once the approval is through
        gw.awaitAtFrontEnd(r -> r.callId().equals(watch) && r.subscriptionState() != null && r.subscriptionState().startsWith("active"));
        gw.fromXmpp("<presence from='" + jid + "/court' to='" + lync + "'><show>away</show><status>at court</status></presence>");
        return gw.awaitAtFrontEnd(r -> r.callId().equals(watch) && r.method().equals(method) && r.body().contains("at court")).wire();
    }

    @Test
    void aPageModeMessageIsTracedAsTheFrontEndReceivedIt() throws Exception {
        gw.fromXmpp("<message from='juliet@xmpp.test/balcony' to='alice@" + AssembledGateway.RFC_SIP
                + "' id='p1' type='chat'><body>by any other name</body></message>");
        LyncFrontEndSimulator.Received sent = gw.awaitAtFrontEnd(r -> r.method().equals("MESSAGE") && r.body().equals("by any other name"));
        assertThat(sent.toTag()).as("page mode: outside any dialog").isNull();
        TranslationRecord record = gw.awaitRecord(r -> "p1".equals(r.correlation()) && r.direction().startsWith("xmpp"));
        assertThat(record.outputWires()).containsExactly(sent.wire());
    }

    @Test
    void aMessageInAnImSessionIsTracedAsTheFrontEndReceivedIt() throws Exception {
        gw.fromXmpp("<message from='juliet@xmpp.test/balcony' to='alice@contoso.com' id='s1' type='chat'><body>parting</body></message>");
        LyncFrontEndSimulator.Received sent = gw.awaitAtFrontEnd(r -> r.method().equals("MESSAGE") && r.body().equals("parting"));
        assertThat(sent.toTag()).as("in the session's dialog").isNotNull();
        TranslationRecord record = gw.awaitRecord(r -> "s1".equals(r.correlation()) && r.direction().startsWith("xmpp"));
        assertThat(record.outputWires()).containsExactly(sent.wire());
    }
}
