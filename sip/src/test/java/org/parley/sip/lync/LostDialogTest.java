package org.parley.sip.lync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.Receipt;
import org.parley.presence.model.SubscriptionAction;
import org.parley.presence.model.SubscriptionEvent;
import org.parley.sip.config.SipTimers;
import org.parley.sip.testing.LyncFrontEndSimulator;
import org.parley.sip.testing.LyncRig;

/**
 * A front end that lost its dialogs (restart, failover) answers Parley's in-dialog requests 481 (RFC 3261 §12.2.2);
 * Parley starts again — a new IM session that carries the message, a new subscription — and loses nothing.
 */
class LostDialogTest {

    private static final Address JULIET = Address.sip("juliet", "xmpp.test");
    private static final Address ALICE = Address.sip("alice", "contoso.com");

    private static LyncRig rig;

    @BeforeAll
    static void start() throws Exception {
        // subscriptions of 3 s (refreshed after 1 s), re-subscribing 1 s after a loss; sessions idle for a minute
        rig = new LyncRig(new SipTimers(Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofMillis(100),
                Duration.ofSeconds(1), Duration.ofMinutes(1)), Set.of("alice"));
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void aMessageInASessionTheFrontEndLostIsDeliveredInANewSession() throws Exception {
        assertThat(rig.parley.sendMessage(ChatMessage.text(JULIET, ALICE, "l1", "before")).get(10, TimeUnit.SECONDS))
                .isInstanceOf(Receipt.class);
        String firstSession = awaitRequest(r -> r.method().equals("INVITE")).callId();
        awaitRequest(r -> r.method().equals("MESSAGE") && r.body().equals("before"));

        rig.frontEnd.loseDialogs();
        assertThat(rig.parley.sendMessage(ChatMessage.text(JULIET, ALICE, "l2", "after the restart")).get(15, TimeUnit.SECONDS))
                .as("the sender gets a receipt, not an error").isInstanceOf(Receipt.class);
        LyncFrontEndSimulator.Received invite = awaitRequest(r -> r.method().equals("INVITE"));
        assertThat(invite.callId()).as("a new session").isNotEqualTo(firstSession);
        LyncFrontEndSimulator.Received delivered = awaitRequest(r -> r.method().equals("MESSAGE") && r.body().equals("after the restart"));
        assertThat(delivered.callId()).isEqualTo(invite.callId());
    }

    @Test
    void aSubscriptionTheFrontEndLostIsMadeAgain() throws Exception {
        Address bob = Address.sip("bob", "xmpp.test");
        assertThat(rig.parley.subscriber().subscribe(bob, ALICE).get(10, TimeUnit.SECONDS))
                .isEqualTo(new SubscriptionEvent(ALICE, bob, SubscriptionAction.APPROVE));
        String first = awaitRequest(r -> r.method().equals("SUBSCRIBE") && r.toTag() == null).callId();

        rig.frontEnd.loseDialogs();
        // the next refresh is answered 481: Parley subscribes anew, in a new dialog
        LyncFrontEndSimulator.Received again = awaitRequest(r -> r.method().equals("SUBSCRIBE") && r.toTag() == null);
        assertThat(again.callId()).isNotEqualTo(first);
        assertThat(again.body()).contains("sip:alice@contoso.com");
        rig.parley.subscriber().unsubscribe(bob, ALICE);
    }

    private static LyncFrontEndSimulator.Received awaitRequest(Predicate<LyncFrontEndSimulator.Received> wanted) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < until) {
            LyncFrontEndSimulator.Received r = rig.frontEnd.await(1);
            if (r != null && wanted.test(r)) {
                return r;
            }
        }
        throw new AssertionError("the front end did not receive the expected request");
    }
}
