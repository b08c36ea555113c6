package org.parley.sip.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.Availability;
import org.parley.presence.model.LocalizedText;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.model.SubscriptionAction;
import org.parley.presence.model.SubscriptionEvent;
import org.parley.sip.SipEndpoint;
import org.parley.sip.config.HostPort;
import org.parley.sip.config.SipEndpointConfig;
import org.parley.sip.config.SipTransport;
import org.parley.sip.testing.FreePorts;
import org.parley.sip.testing.RecordingInbound;
import org.parley.sip.testing.TestPki;
import org.parley.sip.testing.TestSipUserAgent;
import org.parley.sip.tls.TlsMaterial;

/**
 * A watcher's answer to a NOTIFY decides whether its subscription lives on (RFC 6665 §4.2.2): 481 or 408 ends the
 * dialog, and so does no answer at all within the request timeout (Timer F). Over mutual TLS against a watcher that
 * subscribes to Parley directly.
 */
class NotifyAnswersTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(1500);
    private static final Address JULIET = Address.sip("juliet", "xmpp.test");
    private static final Address ALICE = Address.sip("alice", "contoso.com");

    private final RecordingInbound recorder = new RecordingInbound();
    private SipEndpoint parley;
    private TestSipUserAgent alice;

    @BeforeEach
    void start() throws Exception {
        TestPki pki = new TestPki();
        TestPki.Issued ca = pki.newCa("Notify CA");
        TestPki.Issued gw = pki.newLeaf(ca, "gw.contoso.com", "gw1.contoso.com");
        TestPki.Issued fe = pki.newLeaf(ca, "fe1.contoso.com");
        int parleyPort = FreePorts.next();
        int alicePort = FreePorts.next();
        SipEndpointConfig config = new SipEndpointConfig("gw.contoso.com", "127.0.0.1", "127.0.0.1", parleyPort, SipTransport.TLS,
                new TlsMaterial(List.of(gw.certificate()), gw.keys().getPrivate(), List.of(ca.certificate()), Set.of("fe1.contoso.com")),
                List.of(new HostPort("127.0.0.1", alicePort)), Duration.ofSeconds(2), REQUEST_TIMEOUT, Duration.ofSeconds(30),
                Set.of("xmpp.test"), null, null);
        parley = new SipEndpoint(config, AddressMapper.forDomains(List.of("xmpp.test", "contoso.com")), recorder.sides(),
                Clock.systemUTC(), line -> { });
        parley.start();
        alice = new TestSipUserAgent("alice", "contoso.com", alicePort,
                new TlsMaterial(List.of(fe.certificate()), fe.keys().getPrivate(), List.of(ca.certificate()), Set.of("gw.contoso.com")),
                "127.0.0.1", parleyPort);
        recorder.states.put(JULIET, state("on the balcony"));
        assertThat(alice.subscribe("sip:juliet@xmpp.test", 60, "application/pidf+xml").getStatusCode()).isEqualTo(200);
        assertThat(alice.awaitNotify(10)).as("the first NOTIFY").isNotNull();
        assertThat(parley.notifier().size()).isEqualTo(1);
        recorder.subscriptionEvents.clear();
    }

    @AfterEach
    void stop() {
        if (alice != null) {
            alice.close();
        }
        if (parley != null) {
            parley.close();
        }
    }

    @Test
    void aWatcherThatAnswers481HasItsSubscriptionEnded() throws Exception {
        alice.answerNotifiesWith(481);

        parley.notifier().publish(state("gone in").withTo(ALICE));

        assertThat(alice.awaitNotify(10)).as("the NOTIFY the watcher refuses").isNotNull();
        assertThat(recorder.subscriptionEvents.poll(10, TimeUnit.SECONDS))
                .isEqualTo(new SubscriptionEvent(ALICE, JULIET, SubscriptionAction.CANCEL));
        assertThat(parley.notifier().size()).isZero();
    }

    @Test
    void aWatcherThatNeverAnswersHasItsSubscriptionEndedOnceTheRequestTimeoutHasPassed() throws Exception {
        alice.answerNotifiesWith(0);

        parley.notifier().publish(state("asleep").withTo(ALICE));

        assertThat(alice.awaitNotify(10)).as("the NOTIFY nobody answers").isNotNull();
        long received = System.nanoTime();
        assertThat(recorder.subscriptionEvents.poll(10, TimeUnit.SECONDS))
                .isEqualTo(new SubscriptionEvent(ALICE, JULIET, SubscriptionAction.CANCEL));
        assertThat(Duration.ofNanos(System.nanoTime() - received)).as("Timer F, not before")
                .isGreaterThanOrEqualTo(REQUEST_TIMEOUT.minusMillis(200));
        assertThat(parley.notifier().size()).isZero();
    }

    @Test
    void aWatcherThatCannotBeReachedHasItsSubscriptionEnded() throws Exception {
        alice.close(); // its side is gone: the NOTIFY cannot be sent (RFC 3261 §8.1.3.1, a transport error)
        alice = null;
        Thread.sleep(1000); // Parley's reader sees the connection close, so the NOTIFY needs a new one, which is refused

        parley.notifier().publish(state("unreachable").withTo(ALICE));

        assertThat(recorder.subscriptionEvents.poll(REQUEST_TIMEOUT.toMillis() - 300, TimeUnit.MILLISECONDS))
                .as("at once, not after Timer F").isEqualTo(new SubscriptionEvent(ALICE, JULIET, SubscriptionAction.CANCEL));
        assertThat(parley.notifier().size()).isZero();
    }

    @Test
    void aWatcherThatAnswers200KeepsItsSubscription() throws Exception {
        parley.notifier().publish(state("reading").withTo(ALICE));

        assertThat(alice.awaitNotify(10).body()).contains("reading");
        assertThat(recorder.subscriptionEvents.poll(REQUEST_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS)).isNull();
        assertThat(parley.notifier().size()).isEqualTo(1);
    }

    private static PresenceUpdate state(String note) {
        return new PresenceUpdate(JULIET, null, Availability.AVAILABLE, 0, List.of(LocalizedText.of(note)), null, null);
    }
}
