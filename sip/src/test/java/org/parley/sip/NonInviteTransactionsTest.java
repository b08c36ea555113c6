package org.parley.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sip.SipException;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;

/** Parley's own non-INVITE client transactions over a reliable transport (RFC 3261 §17.1.2). */
class NonInviteTransactionsTest {

    private final MessageFactory messages = new MessageFactoryImpl();
    private final HeaderFactory headers = new HeaderFactoryImpl();
    private final AddressFactory addresses = new AddressFactoryImpl();
    private final List<Request> sent = new CopyOnWriteArrayList<>();

    /** What one request's sender was told, in order. */
    private static final class Told implements NonInviteTransactions.Outcome {
        final BlockingQueue<Object> outcomes = new LinkedBlockingQueue<>();

        @Override
        public void onFinalResponse(Response response) {
            outcomes.add(response.getStatusCode());
        }

        @Override
        public void onNoFinalResponse() {
            outcomes.add("timer F");
        }
    }

    @Test
    void theFinalResponseMatchedByBranchEndsTheTransactionAndALateCopyIsAbsorbed() throws Exception {
        try (NonInviteTransactions t = new NonInviteTransactions(sent::add, Duration.ofSeconds(30), "test-timer-f")) {
            Told first = new Told();
            Told second = new Told();
            t.send(message("first"), first);
            t.send(message("second"), second);
            assertThat(t.size()).isEqualTo(2);
            assertThat(branchOf(sent.get(0))).isNotEqualTo(branchOf(sent.get(1)))
                    .startsWith("z9hG4bK-" + gov.nist.javax.sip.Utils.getSignature());

            assertThat(t.onResponse(answer(sent.get(1), 100))).as("a provisional response is ours").isTrue();
            assertThat(second.outcomes).as("and changes nothing").isEmpty();
            assertThat(t.onResponse(answer(sent.get(1), 404))).isTrue();
            assertThat(t.onResponse(answer(sent.get(1), 404))).as("a retransmitted final response is ours, absorbed").isTrue();
            assertThat(t.onResponse(answer(sent.get(0), 200))).isTrue();

            assertThat(first.outcomes).containsExactly(200);
            assertThat(second.outcomes).containsExactly(404);
            assertThat(t.size()).isZero();
        }
    }

    @Test
    void aResponseToAnotherTransactionIsNotTaken() throws Exception {
        try (NonInviteTransactions t = new NonInviteTransactions(sent::add, Duration.ofSeconds(30), "test-timer-f")) {
            Told told = new Told();
            t.send(message("mine"), told);
            Request foreign = message("an INVITE's");
            ((ViaHeader) foreign.getHeader(ViaHeader.NAME)).setBranch("z9hG4bK-someone-else");
            assertThat(t.onResponse(answer(foreign, 200))).isFalse();
            assertThat(told.outcomes).isEmpty();
            assertThat(t.size()).isEqualTo(1);
        }
    }

    @Test
    void timerFEndsATransactionWithoutAFinalResponseOnceAndAResponseAfterItIsAbsorbed() throws Exception {
        Duration timerF = Duration.ofMillis(300);
        try (NonInviteTransactions t = new NonInviteTransactions(sent::add, timerF, "test-timer-f")) {
            Told told = new Told();
            long start = System.nanoTime();
            t.send(message("unanswered"), told);

            assertThat(told.outcomes.poll(5, TimeUnit.SECONDS)).isEqualTo("timer F");
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(tookMillis).as("not before Timer F, and late by at most one sweep")
                    .isBetween(timerF.toMillis(), timerF.toMillis() + NonInviteTransactions.sweepPeriod(timerF).toMillis() + 500);
            assertThat(t.size()).isZero();

            assertThat(t.onResponse(answer(sent.get(0), 200))).isTrue();
            assertThat(told.outcomes.poll(400, TimeUnit.MILLISECONDS)).as("told once only").isNull();
        }
    }

    @Test
    void aRequestThatCannotLeaveIsNotKeptAndItsSenderHearsAtOnce() {
        try (NonInviteTransactions t = new NonInviteTransactions(request -> {
            throw new SipException("connection refused");
        }, Duration.ofMillis(100), "test-timer-f")) {
            Told told = new Told();
            assertThatThrownBy(() -> t.send(message("nowhere"), told)).isInstanceOf(SipException.class);
            assertThat(t.size()).isZero();
            t.expire();
            assertThat(told.outcomes).as("no Timer F for a request that never left").isEmpty();
        }
    }

    @Test
    void aSendThatBlocksPastTimerFAndThenFailsIsReportedOnceByTimerF() throws Exception {
        try (NonInviteTransactions t = new NonInviteTransactions(request -> {
            try {
                Thread.sleep(700); // a connect to a black hole, longer than Timer F
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new SipException("connect timed out");
        }, Duration.ofMillis(100), "test-timer-f")) {
            Told told = new Told();
            t.send(message("into the void"), told); // does not throw: Timer F has told the outcome meanwhile

            assertThat(told.outcomes.poll(1, TimeUnit.SECONDS)).isEqualTo("timer F");
            assertThat(told.outcomes.poll(300, TimeUnit.MILLISECONDS)).as("exactly one outcome").isNull();
            assertThat(t.size()).isZero();
        }
    }

    @Test
    void oneFailingTimerFHandlerDoesNotStopTheOthers() throws Exception {
        try (NonInviteTransactions t = new NonInviteTransactions(sent::add, Duration.ofMillis(100), "test-timer-f")) {
            Told told = new Told();
            t.send(message("its handler throws"), new NonInviteTransactions.Outcome() {
                @Override
                public void onFinalResponse(Response response) {
                }

                @Override
                public void onNoFinalResponse() {
                    throw new IllegalStateException("a handler's bug");
                }
            });
            t.send(message("fine"), told);
            assertThat(told.outcomes.poll(5, TimeUnit.SECONDS)).isEqualTo("timer F");
            assertThat(t.size()).isZero();
        }
    }

    @Test
    void theSweepRunsOftenEnoughForShortTimersAndRarelyForLongOnes() {
        assertThat(NonInviteTransactions.sweepPeriod(Duration.ofSeconds(32))).isEqualTo(Duration.ofMillis(250));
        assertThat(NonInviteTransactions.sweepPeriod(Duration.ofSeconds(2))).isEqualTo(Duration.ofMillis(125));
        assertThat(NonInviteTransactions.sweepPeriod(Duration.ofMillis(20))).isEqualTo(Duration.ofMillis(5));
    }

    private Request message(String body) throws Exception {
        return messages.createRequest(addresses.createURI("sip:bob@contoso.com"), Request.MESSAGE,
                headers.createCallIdHeader(body.hashCode() + "@gw.xmpp.test"), headers.createCSeqHeader(1L, Request.MESSAGE),
                headers.createFromHeader(addresses.createAddress("sip:juliet@xmpp.test"), "f1"),
                headers.createToHeader(addresses.createAddress("sip:bob@contoso.com"), null),
                List.of(headers.createViaHeader("gw.xmpp.test", 5061, "tls", null)), headers.createMaxForwardsHeader(70),
                headers.createContentTypeHeader("text", "plain"), body);
    }

    private Response answer(Request request, int status) throws Exception {
        return messages.createResponse(status, request);
    }

    private static String branchOf(Request request) {
        return ((ViaHeader) request.getHeader(ViaHeader.NAME)).getBranch();
    }
}
