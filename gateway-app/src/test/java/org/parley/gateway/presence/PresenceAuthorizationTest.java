package org.parley.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.gateway.testing.AssembledGateway;
import org.parley.gateway.testing.NotifyLog;
import org.parley.sip.testing.LyncFrontEndSimulator.Received;

/**
 * Presence is private, through the assembled gateway (Router + the real sip and xmpp modules, the Lync front-end
 * simulator on mutual TLS): a Lync watcher sees only what the XMPP user allowed that watcher to see (RFC 6121 §3, §4.4;
 * RFC 6665 §4.2.2), one resource going away leaves the others' state, the first state arrives both ways, and refusals
 * are answered once, of the right kind, with the front end's reason.
 */
class PresenceAuthorizationTest {

    private static final String MEETING = org.parley.sip.testing.LyncCategoryDocuments.MEETING;

    private static AssembledGateway gw;
    /** Everything the front end received (NOTIFYs to watchers, Parley's SUBSCRIBEs), in order. */
    private static NotifyLog log;

    @BeforeAll
    static void start() throws Exception {
        gw = new AssembledGateway(Set.of("alice"));
        log = new NotifyLog(gw.frontEnd);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    private static void drain(long quietMillis) throws InterruptedException {
        log.drain(quietMillis);
    }

    /** NOTIFYs (and BENOTIFYs) Parley sent in one watcher's dialog, waiting until there are at least {@code atLeast}. */
    private static List<Received> notifies(String callId, int atLeast) throws InterruptedException {
        return log.notifies(callId, atLeast, 10);
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
    void aLyncWatcherWhoseUriHasCapitalsIsTheSameWatcherOnBothSides() throws Exception {
        // Lync SIP URIs are often mixed case; XMPP folds case: the approval and presence of john.smith reach his dialog
        String john = watch("John.Smith", "tybalt");
        assertThat(gw.awaitToXmpp(5, "type=\"subscribe\"", "from=\"john.smith@contoso.com\"")).isNotNull();
        gw.fromXmpp("<presence from='tybalt@xmpp.test' to='john.smith@contoso.com' type='subscribed'/>");
        gw.fromXmpp("<presence from='tybalt@xmpp.test/r' to='john.smith@contoso.com'><show>dnd</show><status>duel</status></presence>");
        List<Received> n = notifies(john, 3);
        assertThat(n).hasSize(3);
        assertThat(n.get(1).subscriptionState()).startsWith("active");
        assertThat(n.get(2).body()).contains("duel").contains("<availability>9500</availability>");
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

    /**
     * Found by the model-based test: the NOTIFYs a shutdown sends were lost when the stack closed right after writing
     * them, and those watchers kept dead dialogs. Every dialog open at a restart is told terminated;reason=deactivated.
     */
    @Test
    void everyDialogOpenAtARestartIsToldDeactivated() throws Exception {
        for (int round = 0; round < 3; round++) {
            List<String> open = List.of(watch("v1", "benvolio"), watch("v2", "benvolio"), watch("v3", "friar"));
            for (String callId : open) {
                assertThat(notifies(callId, 1)).hasSize(1);
            }
            gw.restart();
            for (String callId : open) {
                List<Received> n = notifies(callId, 2);
                assertThat(n).as("round %d, dialog %s", round, callId).hasSize(2);
                assertThat(n.get(1).subscriptionState()).startsWith("terminated").contains("deactivated");
            }
        }
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
