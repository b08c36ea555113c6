package org.parley.sip.lync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.presence.model.Address;
import org.parley.presence.model.Availability;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.model.Receipt;
import org.parley.presence.model.SubscriptionAction;
import org.parley.presence.model.SubscriptionEvent;
import org.parley.sip.SipEndpoint;
import org.parley.sip.config.SipTimers;
import org.parley.sip.testing.LyncFrontEndSimulator;
import org.parley.sip.testing.LyncRig;
import org.parley.sip.testing.RecordingInbound;

/**
 * Every request Parley sends toward Lync reaches the front end, in a dialog or not, whether or not the front end
 * record-routed: with the route set when there is one, with the front end as outbound proxy when there is none.
 * The simulator's Contacts are GRUUs ({@code sip:alice@contoso.com;opaque=user:epid:…;gruu}) whose host is the SIP
 * domain: a request sent to one without a front end as next hop never arrives, and one that arrives without the
 * front end's Record-Route on top (when it record-routed) is answered 481 and counted as misrouted.
 */
class RoutingTowardLyncTest {

    private static final Address JULIET = Address.sip("juliet", "xmpp.test");
    private static final Address ALICE = Address.sip("alice", "contoso.com");

    private static LyncRig rig;
    private static SipEndpoint parley;
    private static LyncFrontEndSimulator frontEnd;
    private static RecordingInbound recorder;
    private static int parleyPort;
    private static int fePort;

    @BeforeAll
    static void start() throws Exception {
        // subscriptions of 3 s: Parley refreshes each after a second, so a refresh is seen at once; sessions idle out in 2 s
        rig = new LyncRig(new SipTimers(Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofMillis(100),
                Duration.ofSeconds(10), Duration.ofSeconds(2)), Set.of("alice"));
        parley = rig.parley;
        frontEnd = rig.frontEnd;
        recorder = rig.inbound;
        parleyPort = rig.parleyPort;
        fePort = rig.frontEndPort;
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @AfterEach
    void nothingWentAroundTheFrontEnd() {
        assertThat(frontEnd.misrouted()).as("in-dialog requests that did not come through the front end").isEmpty();
        assertThat(frontEnd.outOfOrder()).as("in-dialog requests whose CSeq did not rise (RFC 3261 §12.2.1.1)").isEmpty();
    }

    @ParameterizedTest(name = "front end record-routes: {0}")
    @ValueSource(booleans = {true, false})
    void aPageModeMessageGoesToTheFrontEnd(boolean recordRoute) throws Exception {
        frontEnd.recordRoute(recordRoute);
        drain();
        assertThat(parley.messaging().send(ChatMessage.text(JULIET, ALICE, "p-" + recordRoute, "page mode"))
                .get(10, TimeUnit.SECONDS)).isInstanceOf(Receipt.class);
        LyncFrontEndSimulator.Received message = awaitRequest(r -> r.method().equals("MESSAGE"));
        assertThat(message.routes()).hasSize(1).allSatisfy(route -> assertThat(route).contains("127.0.0.1:" + fePort).contains(";lr"));
    }

    @ParameterizedTest(name = "front end record-routes: {0}")
    @ValueSource(booleans = {true, false})
    void anImSessionParleyOpensKeepsItsAckMessagesAndByeOnTheFrontEnd(boolean recordRoute) throws Exception {
        frontEnd.recordRoute(recordRoute);
        drain();
        assertThat(parley.sendMessage(ChatMessage.text(JULIET, ALICE, "i1-" + recordRoute, "first")).get(10, TimeUnit.SECONDS))
                .isInstanceOf(Receipt.class);
        assertThat(parley.sendMessage(ChatMessage.text(JULIET, ALICE, "i2-" + recordRoute, "second")).get(10, TimeUnit.SECONDS))
                .isInstanceOf(Receipt.class);
        String session = awaitRequest(r -> r.method().equals("INVITE")).callId();
        // the session idles out after 2 s: Parley hangs up with BYE
        List<LyncFrontEndSimulator.Received> inDialog = new ArrayList<>();
        for (String method : List.of("ACK", "MESSAGE", "MESSAGE", "BYE")) {
            inDialog.add(awaitRequest(r -> r.method().equals(method) && r.callId().equals(session)));
        }
        assertThat(inDialog).allSatisfy(r -> assertThroughTheFrontEnd(r, recordRoute));
    }

    @ParameterizedTest(name = "front end record-routes: {0}")
    @ValueSource(booleans = {true, false})
    void aReplyInASessionTheLyncUserOpenedGoesThroughTheFrontEnd(boolean recordRoute) throws Exception {
        frontEnd.recordRoute(recordRoute);
        assertThat(frontEnd.startImSession("sip:alice@contoso.com", "sip:romeo@xmpp.test", parleyPort, "ping",
                "m=message 5061 sip null").getStatusCode()).isEqualTo(200);
        drain();
        assertThat(parley.sendMessage(ChatMessage.text(Address.sip("romeo", "xmpp.test"), ALICE, "r-" + recordRoute, "pong"))
                .get(10, TimeUnit.SECONDS)).isInstanceOf(Receipt.class);
        LyncFrontEndSimulator.Received reply = awaitRequest(r -> r.method().equals("MESSAGE") && r.callId().equals(frontEnd.imCallId()));
        assertThat(reply.body()).isEqualTo("pong");
        assertThroughTheFrontEnd(reply, recordRoute);
        assertThat(frontEnd.inSession("BYE", null, null, null).getStatusCode()).isEqualTo(200);
    }

    @ParameterizedTest(name = "front end record-routes: {0}")
    @ValueSource(booleans = {true, false})
    void parleysSubscriptionIsRefreshedAndEndedThroughTheFrontEnd(boolean recordRoute) throws Exception {
        frontEnd.recordRoute(recordRoute);
        drain();
        assertThat(parley.subscriber().subscribe(JULIET, ALICE).get(10, TimeUnit.SECONDS))
                .isEqualTo(new SubscriptionEvent(ALICE, JULIET, SubscriptionAction.APPROVE));
        String dialog = awaitRequest(r -> r.method().equals("SUBSCRIBE") && r.toTag() == null).callId();
        LyncFrontEndSimulator.Received refresh = awaitRequest(r -> r.method().equals("SUBSCRIBE") && r.callId().equals(dialog));
        assertThroughTheFrontEnd(refresh, recordRoute);

        // Expires: 0 is built like a refresh; whichever of the two comes next, it takes the same way
        parley.subscriber().unsubscribe(JULIET, ALICE);
        drain();
        assertThat(parley.subscriber().isSubscribed(JULIET, ALICE)).isFalse();
    }

    @ParameterizedTest(name = "front end record-routes: {0}")
    @ValueSource(booleans = {true, false})
    void aLyncWatchersNotifiesGoThroughTheFrontEnd(boolean recordRoute) throws Exception {
        frontEnd.recordRoute(recordRoute);
        drain();
        Address watched = Address.sip("juliet" + recordRoute, "xmpp.test");
        recorder.states.put(watched, new PresenceUpdate(watched, null, Availability.AVAILABLE, 0, List.of(), null, null));
        assertThat(frontEnd.subscribeAsLyncWatcher("sip:alice@contoso.com", "sip:" + watched.userAtDomain(), parleyPort)
                .getStatusCode()).isEqualTo(200);
        String watch = frontEnd.lastWatchCallId();
        LyncFrontEndSimulator.Received first = awaitRequest(r -> r.method().endsWith("NOTIFY") && r.callId().equals(watch));
        assertThroughTheFrontEnd(first, recordRoute);

        assertThat(frontEnd.refreshWatch(watch, 0).getStatusCode()).isEqualTo(200);
        LyncFrontEndSimulator.Received last = awaitRequest(r -> r.method().endsWith("NOTIFY") && r.callId().equals(watch)
                && r.subscriptionState() != null && r.subscriptionState().startsWith("terminated"));
        assertThroughTheFrontEnd(last, recordRoute);
    }

    private static void assertThroughTheFrontEnd(LyncFrontEndSimulator.Received r, boolean recordRoute) {
        assertThat(r.requestUri()).as(r.method() + " is addressed to the endpoint's GRUU").contains(";gruu");
        if (recordRoute) {
            assertThat(r.routes()).as(r.method() + " follows the route set").containsExactly(frontEnd.recordRouteUri());
        } else {
            assertThat(r.routes()).as(r.method() + " has the front end as outbound proxy").hasSize(1)
                    .allSatisfy(route -> assertThat(route).contains("127.0.0.1:" + fePort).contains(";lr"));
        }
    }

    private static LyncFrontEndSimulator.Received awaitRequest(Predicate<LyncFrontEndSimulator.Received> wanted) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            LyncFrontEndSimulator.Received r = frontEnd.await(1);
            if (r != null && wanted.test(r)) {
                return r;
            }
        }
        throw new AssertionError("the front end did not receive the expected request; misrouted: " + frontEnd.misrouted());
    }

    private static void drain() throws InterruptedException {
        while (frontEnd.await(0) != null) {
            // earlier tests' requests
        }
    }
}
