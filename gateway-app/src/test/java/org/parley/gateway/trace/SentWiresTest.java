package org.parley.gateway.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;

/** The SIP request that carried a translation's output finds that translation's record, and slots do not pile up. */
class SentWiresTest {

    private final Address juliet = Address.sip("juliet", "xmpp.test", null);
    private final Address alice = Address.sip("alice", "lync.test", null);

    private ChatMessage message(int n) {
        return ChatMessage.text(juliet, alice, "m" + n, "hello " + n);
    }

    private static String wire(int n) {
        return "MESSAGE sip:alice@lync.test SIP/2.0\r\nCall-ID: c" + n + "\r\nContent-Length: 0\r\n\r\n";
    }

    @Test
    void aRequestReportedAfterItsTranslationFinishedGoesToItsOwnRecordNotToANewerOneOfThePair() {
        TranslationTrace trace = new TranslationTrace(100, false, Clock.systemUTC());
        ChatMessage first = message(1);
        ChatMessage second = message(2);
        TranslationTrace.Translation one = trace.begin("xmpp→sip", first).outputToSip(first);
        TranslationTrace.Translation two = trace.begin("xmpp→sip", second).outputToSip(second);
        one.done(TranslationRecord.Outcome.DELIVERED, null); // the 200 came back before the sender reported the request
        trace.sent(first, wire(1));
        trace.sent(second, wire(2));
        two.done(TranslationRecord.Outcome.DELIVERED, null);

        assertThat(trace.find(r -> "m1".equals(r.correlation()), 1).get(0).outputWires()).containsExactly(wire(1));
        assertThat(trace.find(r -> "m2".equals(r.correlation()), 1).get(0).outputWires()).containsExactly(wire(2));
    }

    @Test
    void aReportAfterItsTranslationFinishedAndWasFilledNeverLandsInANewerMessagesRecord() {
        TranslationTrace trace = new TranslationTrace(100, false, Clock.systemUTC());
        ChatMessage first = message(1);
        ChatMessage second = message(2);
        TranslationTrace.Translation one = trace.begin("xmpp→sip", first).outputToSip(first);
        trace.sent(first, wire(1));
        one.done(TranslationRecord.Outcome.DELIVERED, null);
        TranslationTrace.Translation two = trace.begin("xmpp→sip", second).outputToSip(second);
        trace.sent(first, wire(3)); // a retry's report, late: the first message's slot is gone
        trace.sent(second, wire(2));
        two.done(TranslationRecord.Outcome.DELIVERED, null);

        assertThat(trace.find(r -> "m2".equals(r.correlation()), 1).get(0).outputWires()).containsExactly(wire(2));
        assertThat(trace.find(r -> "m1".equals(r.correlation()), 1).get(0).outputWires()).containsExactly(wire(1));
    }

    @Test
    void aRetryOnTheNextFrontEndJoinsTheRecordBeforeItFinishes() {
        TranslationTrace trace = new TranslationTrace(100, false, Clock.systemUTC());
        ChatMessage m = message(1);
        TranslationTrace.Translation t = trace.begin("xmpp→sip", m).outputToSip(m);
        trace.sent(m, wire(1));
        trace.sent(m, wire(2)); // no answer from the first front end: the next one is tried
        t.done(TranslationRecord.Outcome.DELIVERED, null);

        assertThat(trace.find(r -> true, 1).get(0).outputWires()).containsExactly(wire(1), wire(2));
    }

    @Test
    void finishedAndSentTranslationsLeaveNoSlotBehindWhicheverCameFirst() {
        TranslationTrace trace = new TranslationTrace(100, false, Clock.systemUTC());
        for (int n = 0; n < 10_000; n++) {
            ChatMessage m = message(n);
            TranslationTrace.Translation t = trace.begin("xmpp→sip", m).outputToSip(m);
            if (n % 2 == 0) {
                trace.sent(m, wire(n));
                t.done(TranslationRecord.Outcome.DELIVERED, null);
            } else {
                t.done(TranslationRecord.Outcome.DELIVERED, null);
                trace.sent(m, wire(n));
            }
        }

        assertThat(trace.waitingForRequests()).isZero();
        assertThat(trace.find(r -> true, 1).get(0).outputWires()).containsExactly(wire(9_999));
    }
}
