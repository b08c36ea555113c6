package org.parley.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.gateway.testing.AssembledGateway;
import org.parley.sip.testing.LyncFrontEndSimulator;
import org.parley.sip.testing.LyncFrontEndSimulator.Received;

/**
 * Presence is private, through the assembled gateway (Router + the real sip and xmpp modules, the Lync front-end
 * simulator on mutual TLS): a Lync watcher sees only what the XMPP user allowed that watcher to see (RFC 6121 §3, §4.4;
 * RFC 6665 §4.2.2), one resource going away leaves the others' state, the first state arrives both ways, and refusals
 * are answered once, of the right kind, with the front end's reason.
 */
class PresenceAuthorizationTest {

    private static final String MEETING = "<categories xmlns=\"http://schemas.microsoft.com/2006/09/sip/categories\" uri=\"sip:alice@contoso.com\">"
            + "<category name=\"state\" instance=\"0\" publishTime=\"2026-01-02T03:00:00.000\" container=\"300\" version=\"7\" expireType=\"static\">"
            + "<state xmlns=\"http://schemas.microsoft.com/2006/09/sip/state\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" manual=\"false\" xsi:type=\"aggregateState\">"
            + "<availability>6500</availability><activity token=\"in-a-meeting\" minAvailability=\"6500\" maxAvailability=\"8999\"/></state></category>"
            + "<category name=\"note\" instance=\"0\" publishTime=\"2026-01-02T02:00:00.000\" container=\"300\" version=\"2\" expireType=\"static\">"
            + "<note xmlns=\"http://schemas.microsoft.com/2006/09/sip/note\"><body type=\"personal\" uri=\"\">Quarterly review</body></note></category></categories>";

    private static AssembledGateway gw;
    /** Everything the front end received (NOTIFYs to watchers, Parley's SUBSCRIBEs), in order. */
    private static final List<Received> seen = new ArrayList<>();

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

    /** Reads what reaches the front end until nothing more came for {@code quietMillis}. */
    private static void drain(long quietMillis) throws InterruptedException {
        Received r;
        while ((r = gw.frontEnd.await(0)) != null || (r = pollFor(quietMillis)) != null) {
            synchronized (seen) {
                seen.add(r);
            }
        }
    }

    private static Received pollFor(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            Received r = gw.frontEnd.await(0);
            if (r != null) {
                return r;
            }
            Thread.sleep(10);
        }
        return null;
    }

    /** NOTIFYs (and BENOTIFYs) Parley sent in one watcher's dialog, waiting until there are at least {@code atLeast}. */
    private static List<Received> notifies(String callId, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            drain(100);
            List<Received> mine = new ArrayList<>();
            synchronized (seen) {
                for (Received r : seen) {
                    if (callId.equals(r.callId()) && r.method().endsWith("NOTIFY")) {
                        mine.add(r);
                    }
                }
            }
            if (mine.size() >= atLeast || System.nanoTime() > deadline) {
                return mine;
            }
        }
    }

    private static String watch(String watcher, String xmppUser) throws Exception {
        assertThat(gw.frontEnd.subscribeAsLyncWatcher("sip:" + watcher + "@contoso.com", "sip:" + xmppUser + "@xmpp.test", gw.sipPort)
                .getStatusCode()).isEqualTo(200);
        return gw.frontEnd.lastWatchCallId();
    }

    @Test
    void aWatcherSeesOnlyWhatTheXmppUserApprovedAndADenialEndsThatWatcherAlone() throws Exception {
        String w1 = watch("w1", "romeo");
        String w2 = watch("w2", "romeo");
        assertThat(gw.awaitToXmpp(5, "type=\"subscribe\"", "from=\"w1@contoso.com\"", "to=\"romeo@xmpp.test\"")).isNotNull();
        assertThat(gw.awaitToXmpp(5, "type=\"subscribe\"", "from=\"w2@contoso.com\"", "to=\"romeo@xmpp.test\"")).isNotNull();
        // RFC 6665 §4.2.2: until romeo decides, both dialogs are pending and carry no state
        for (String callId : List.of(w1, w2)) {
            List<Received> first = notifies(callId, 1);
            assertThat(first).hasSize(1);
            assertThat(first.get(0).subscriptionState()).startsWith("pending");
            assertThat(first.get(0).body()).isEmpty();
        }

        gw.fromXmpp("<presence from='romeo@xmpp.test' to='w1@contoso.com' type='subscribed'/>");
        assertThat(notifies(w1, 2).get(1).subscriptionState()).startsWith("active");
        gw.fromXmpp("<presence from='romeo@xmpp.test/pda' to='w1@contoso.com'><show>away</show><status>secret-123</status></presence>");
        // directed presence to a watcher that is still pending: kept for an approval, never NOTIFYed before it
        gw.fromXmpp("<presence from='romeo@xmpp.test/pda' to='w2@contoso.com'><show>dnd</show><status>secret-456</status></presence>");
        Received away = notifies(w1, 3).get(2);
        assertThat(away.subscriptionState()).startsWith("active");
        assertThat(away.body()).contains("<availability>15500</availability>").contains("secret-123");

        gw.fromXmpp("<presence from='romeo@xmpp.test' to='w2@contoso.com' type='unsubscribed'/>");
        List<Received> w2Notifies = notifies(w2, 2);
        assertThat(w2Notifies.get(1).subscriptionState()).startsWith("terminated").contains("reason=rejected");
        assertThat(w2Notifies.get(1).body()).isEmpty();

        gw.fromXmpp("<presence from='romeo@xmpp.test/pda' to='w1@contoso.com'><show>dnd</show><status>busy-789</status></presence>");
        Received busy = notifies(w1, 4).get(3);
        assertThat(busy.body()).contains("busy-789").doesNotContain("18500");
        drain(300);

        List<Received> w1Notifies = notifies(w1, 4);
        assertThat(w1Notifies).as("w1: pending, approved, away, busy — nothing about w2's denial").hasSize(4);
        assertThat(w1Notifies.subList(2, 4)).as("no 'offline' for everyone when w2 is denied").noneMatch(n -> n.body().contains("18500"));
        assertThat(notifies(w2, 2)).as("w2: pending, then rejected, then nothing").hasSize(2)
                .noneMatch(n -> n.body().contains("secret") || n.body().contains("busy") || n.body().contains("availability"));

        // a later SUBSCRIBE from the denied watcher asks romeo again
        String again = watch("w2", "romeo");
        assertThat(gw.awaitToXmpp(5, "type=\"subscribe\"", "from=\"w2@contoso.com\"", "to=\"romeo@xmpp.test\"")).isNotNull();
        assertThat(notifies(again, 1).get(0).subscriptionState()).startsWith("pending");
    }

    @Test
    void oneResourceGoingOfflineLeavesTheOthersState() throws Exception {
        String w3 = watch("w3", "juliet");
        gw.fromXmpp("<presence from='juliet@xmpp.test' to='w3@contoso.com' type='subscribed'/>");
        gw.fromXmpp("<presence from='juliet@xmpp.test/a' to='w3@contoso.com'><status>at my desk</status></presence>");
        gw.fromXmpp("<presence from='juliet@xmpp.test/b' to='w3@contoso.com'><show>dnd</show><status>phone</status></presence>");
        gw.fromXmpp("<presence from='juliet@xmpp.test/b' to='w3@contoso.com' type='unavailable'/>");
        List<Received> n = notifies(w3, 5);
        Received last = n.get(n.size() - 1);
        assertThat(last.body()).as("resource a is still available").contains("<availability>3500</availability>").contains("at my desk")
                .doesNotContain("18500");

        gw.fromXmpp("<presence from='juliet@xmpp.test/a' to='w3@contoso.com' type='unavailable'/>");
        List<Received> after = notifies(w3, 6);
        assertThat(after.get(after.size() - 1).body()).contains("18500");
    }

    @Test
    void thePiggybackedFirstStateReachesTheXmppWatcher() throws Exception {
        gw.frontEnd.setFirstState("alice", MEETING);
        try {
            gw.fromXmpp("<presence from='juliet@xmpp.test' to='alice@contoso.com' type='subscribe'/>");
            assertThat(gw.awaitToXmpp(5, "type=\"subscribed\"", "from=\"alice@contoso.com\"", "to=\"juliet@xmpp.test\"")).isNotNull();
            String first = gw.awaitToXmpp(5, "from=\"alice@contoso.com\"", "Quarterly review");
            assertThat(first).as("the state in the 2xx, without waiting for a NOTIFY").isNotNull().contains("<show>dnd</show>")
                    .contains("to=\"juliet@xmpp.test\"");
        } finally {
            gw.frontEnd.setFirstState("alice", null);
        }
    }

    @Test
    void aRefusedSubscriptionIsAnsweredOnceWithTheFrontEndsReasonInTheTrace() throws Exception {
        gw.fromXmpp("<presence from='juliet@xmpp.test' to='bob@contoso.com' type='subscribe'/>");
        assertThat(gw.awaitToXmpp(5, "type=\"unsubscribed\"", "from=\"bob@contoso.com\"", "to=\"juliet@xmpp.test\"")).isNotNull();
        assertThat(gw.awaitToXmpp(2, "type=\"unsubscribed\"", "from=\"bob@contoso.com\"")).as("exactly one unsubscribed").isNull();
        assertThat(gw.trace().find(r -> r.input().contains("bob@contoso.com") && r.reason() != null && r.reason().contains("4005")
                && r.reason().contains("Destination URI"), 10)).isNotEmpty();
        assertThat(gw.store.find("juliet@xmpp.test", "bob@contoso.com")).isEmpty();
    }

    @Test
    void aSubscriptionRequestParleyCannotTakeIsAnsweredWithAPresenceError() throws Exception {
        // a Lync-side address that has no SIP form: refused before anything is stored, with an error of the stanza's kind
        gw.fromXmpp("<presence from='juliet@xmpp.test' to='carol@elsewhere.test' type='subscribe' id='s9'/>");
        String error = gw.awaitToXmpp(5, "type=\"error\"", "carol@elsewhere.test");
        assertThat(error).isNotNull().startsWith("<presence");
    }

    @Test
    void afterARestartTheApprovedWatchersXmppUserIsProbed() throws Exception {
        watch("w4", "mercutio");
        gw.fromXmpp("<presence from='mercutio@xmpp.test' to='w4@contoso.com' type='subscribed'/>");
        drain(300);
        gw.toXmpp.clear();
        gw.restart();
        assertThat(gw.awaitToXmpp(5, "type=\"probe\"", "from=\"w4@contoso.com\"", "to=\"mercutio@xmpp.test\"")).isNotNull();
    }
}
