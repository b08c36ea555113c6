package org.parley.sip;

import gov.nist.javax.sip.Utils;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.SipException;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Non-INVITE client transactions over a reliable transport (RFC 3261 §17.1.2), kept by Parley instead of JAIN-SIP.
 * Over TLS and TCP such a transaction is only a branch, Timer F, and the final response matched to the branch: the
 * transport retransmits (Timer E does not run, §17.1.2.2) and Timer K is zero. JAIN-SIP's own client transaction
 * costs a transaction object, its hash entries, two timer tasks and a lookup per response on every page-mode
 * MESSAGE; this keeps one map entry. Requests go out through the provider statelessly, and their responses come back
 * to {@link #onResponse} from the listener as responses without a JAIN-SIP transaction.
 *
 * <p>Timer F is a sweep, not a task per request: every {@link #sweepPeriod} the outstanding entries are scanned, so a
 * transaction times out between F and F plus one period. The outstanding entries are few unless the front end stops
 * answering, and then they are what Timer F is there for.
 */
public final class NonInviteTransactions implements AutoCloseable {

    /** What the sender of one request learns: exactly one of the two, once. */
    public interface Outcome {
        /** The final response (2xx–6xx) that matched the request's branch. */
        void onFinalResponse(Response response);

        /** Timer F fired: no final response within the request timeout. */
        void onNoFinalResponse();
    }

    /** How a request leaves: JAIN-SIP's provider, statelessly ({@code SipProvider.sendRequest}). */
    @FunctionalInterface
    public interface Wire {
        void send(Request request) throws SipException;
    }

    private record Outstanding(Outcome outcome, long deadlineNanos) {
    }

    private static final System.Logger LOG = System.getLogger(NonInviteTransactions.class.getName());

    /**
     * The stack's own prefix, so that a response is taken as the stack's were JAIN-SIP's branch check on; the
     * {@code -p} keeps these branches apart from JAIN-SIP's, whose tails are hexadecimal.
     */
    private static final String BRANCH_PREFIX = "z9hG4bK-" + Utils.getSignature() + "-p";

    private final Wire wire;
    private final long timerFNanos;
    private final Map<String, Outstanding> byBranch = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong(ThreadLocalRandom.current().nextLong() >>> 1);
    private final String branchSalt = Long.toHexString(ThreadLocalRandom.current().nextLong());
    private final ScheduledExecutorService sweeper;

    NonInviteTransactions(Wire wire, Duration timerF, String threadName) {
        this.wire = wire;
        this.timerFNanos = timerF.toNanos();
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        long period = sweepPeriod(timerF).toNanos();
        sweeper.scheduleAtFixedRate(this::expire, period, period, TimeUnit.NANOSECONDS);
    }

    /** A sixteenth of Timer F, between 5 ms and 250 ms: late by at most that, and a few wake-ups a second at most. */
    static Duration sweepPeriod(Duration timerF) {
        long millis = Math.max(5, Math.min(250, timerF.toMillis() / 16));
        return Duration.ofMillis(millis);
    }

    /**
     * Gives {@code request} a branch of its own in its (only) Via and sends it. The outcome comes later, unless this
     * throws: then nothing is outstanding and the caller knows the request did not leave (no connection, TLS failure).
     * A send that blocks past Timer F and then fails does not throw: Timer F has told the outcome.
     */
    public void send(Request request, Outcome outcome) throws SipException {
        String branch = newBranch();
        try {
            ((ViaHeader) request.getHeader(ViaHeader.NAME)).setBranch(branch);
        } catch (java.text.ParseException impossible) {
            throw new IllegalStateException(impossible);
        }
        // kept before it leaves: the answer may come back on another thread before send() returns
        byBranch.put(branch, new Outstanding(outcome, System.nanoTime() + timerFNanos));
        try {
            wire.send(request);
        } catch (SipException | RuntimeException e) {
            if (byBranch.remove(branch) != null) {
                throw e;
            }
            // The send blocked (a connect, a handshake) past Timer F, which has told the outcome already: exactly one
            // of the two, so the failure is not reported again.
            LOG.log(System.Logger.Level.DEBUG, "send failed after Timer F had fired: " + e.getMessage());
        }
    }

    /**
     * A response JAIN-SIP matched to no transaction of its own. {@code true} when it answers a request sent here (a
     * provisional response changes nothing; a final one ends the transaction; a late copy of a final response already
     * taken is absorbed, RFC 3261 §17.1.2.2); {@code false} when it is someone else's.
     */
    public boolean onResponse(Response response) {
        ViaHeader via = (ViaHeader) response.getHeader(ViaHeader.NAME);
        String branch = via == null ? null : via.getBranch();
        if (branch == null || !branch.startsWith(BRANCH_PREFIX)) {
            return false;
        }
        if (response.getStatusCode() < 200) {
            return byBranch.containsKey(branch);
        }
        Outstanding o = byBranch.remove(branch);
        if (o == null) {
            return true; // ours, and finished: a retransmission of the final response
        }
        o.outcome().onFinalResponse(response);
        return true;
    }

    /** Requests waiting for their final response. */
    public int size() {
        return byBranch.size();
    }

    void expire() {
        long now = System.nanoTime();
        for (Map.Entry<String, Outstanding> e : byBranch.entrySet()) {
            Outstanding o = e.getValue();
            if (now - o.deadlineNanos() >= 0 && byBranch.remove(e.getKey(), o)) {
                try {
                    o.outcome().onNoFinalResponse();
                } catch (RuntimeException failure) {
                    // one owner's bug must not stop Timer F for every other request
                    LOG.log(System.Logger.Level.ERROR, "Timer F handler failed", failure);
                }
            }
        }
    }

    private String newBranch() {
        return BRANCH_PREFIX + branchSalt + Long.toHexString(sequence.getAndIncrement());
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
