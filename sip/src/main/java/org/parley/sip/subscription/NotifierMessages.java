package org.parley.sip.subscription;

import org.parley.sip.dialog.InDialogRequests;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.ListIterator;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.parley.presence.model.PresenceUpdate;
import org.parley.sip.NonInviteTransactions;
import org.parley.sip.SipContext;

/**
 * What the notifier writes on the wire: NOTIFY / BENOTIFY requests in a watcher's dialog (a body only when there is
 * state the watcher may see) and the answers to SUBSCRIBE, with the headers each status needs (RFC 6665, RFC 3261).
 * Each NOTIFY's answer goes back to {@link Answers} with its dialog, so that a 481 or a timeout ends that dialog.
 */
final class NotifierMessages {

    /** What the notifier hears of the NOTIFYs it sent (BENOTIFYs get no answer). */
    interface Answers {
        /** The watcher's final response to a NOTIFY in dialog {@code callId}. */
        void onNotifyAnswered(String callId, int status);

        /** Timer F: no final response to a NOTIFY in dialog {@code callId}. */
        void onNotifyUnanswered(String callId);
    }

    private static final System.Logger LOG = System.getLogger(NotifierMessages.class.getName());
    private static final String BENOTIFY = "BENOTIFY";

    private final SipContext sip;
    private final EventPackage pkg;
    private final Duration minExpires;
    private final InDialogRequests requests;
    private final NonInviteTransactions transactions;
    private final Answers answers;
    /** NOTIFYs waiting for their final response, for a shutdown to wait on. */
    private final AtomicInteger unanswered = new AtomicInteger();
    private final org.parley.sip.SipWireTap tap;
    /** The last few thousand states' bodies: one rendering per fan-out, not one per watcher. */
    private final RenderedBodies bodies;

    /** @param inbound told of every NOTIFY / BENOTIFY that carried a state, as it went on the wire */
    NotifierMessages(SipContext sip, EventPackage pkg, Duration minExpires, org.parley.sip.SipWireTap tap,
                     NonInviteTransactions transactions, Answers answers) {
        this.transactions = transactions;
        this.answers = answers;
        this.sip = sip;
        this.tap = tap;
        this.pkg = pkg;
        this.minExpires = minExpires;
        this.requests = new InDialogRequests(sip);
        this.bodies = new RenderedBodies(pkg::encode, 4096);
    }

    /**
     * Waits until every NOTIFY sent has its answer, and at least {@code grace} (BENOTIFYs get none: the grace is all a
     * sender can give them), at most four times {@code grace}.
     */
    void awaitDelivery(Duration grace) {
        long now = System.nanoTime();
        long earliest = now + grace.toNanos();
        long latest = now + 4 * grace.toNanos();
        try {
            while (System.nanoTime() < latest && (System.nanoTime() < earliest || unanswered.get() > 0)) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends one NOTIFY / BENOTIFY with CSeq {@code cseq}; returns false on failure. */
    boolean notify(SubscriptionDialog d, boolean benotify, PresenceUpdate state, String subscriptionState, long cseq) {
        try {
            Request r = requests.build(d.dialog(), benotify ? BENOTIFY : Request.NOTIFY, cseq);
            r.addHeader(sip.headers().createEventHeader(pkg.event()));
            SubscriptionStateHeader ss = sip.headers().createSubscriptionStateHeader(subscriptionState.split(";")[0]);
            String reason = org.parley.sip.dialog.DialogHeaders.parameter(subscriptionState, "reason");
            String expiresParam = org.parley.sip.dialog.DialogHeaders.parameter(subscriptionState, "expires");
            if (reason != null) {
                ss.setReasonCode(reason);
            }
            if (expiresParam != null) {
                ss.setExpires(Integer.parseInt(expiresParam));
            }
            r.addHeader(ss);
            if (state != null) {
                String[] type = d.contentType().split("/", 2);
                r.setContent(bodies.body(d.contentType(), state.withFrom(d.presentity())).getBytes(StandardCharsets.UTF_8),
                        sip.headers().createContentTypeHeader(type[0], type[1]));
            }
            if (benotify) {
                // [MS-SIPRE]: a BENOTIFY is sent statelessly and never answered
                sip.provider().sendRequest(r);
            } else {
                send(r, d.callId());
            }
            if (state != null) {
                tap.onSent(state, r.toString());
            }
            return true;
        } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot NOTIFY " + d.watcher() + " about " + d.presentity() + ": " + e.getMessage());
            return false;
        }
    }

    /** A NOTIFY in its own transaction; its answer, or Timer F, goes to {@link #answers} with the dialog's Call-ID. */
    private void send(Request notify, String callId) throws SipException {
        unanswered.incrementAndGet();
        try {
            transactions.send(notify, new NonInviteTransactions.Outcome() {
                @Override
                public void onFinalResponse(Response response) {
                    unanswered.decrementAndGet();
                    answers.onNotifyAnswered(callId, response.getStatusCode());
                }

                @Override
                public void onNoFinalResponse() {
                    unanswered.decrementAndGet();
                    answers.onNotifyUnanswered(callId);
                }
            });
        } catch (SipException | RuntimeException e) {
            unanswered.decrementAndGet();
            // no connection to the watcher's side (RFC 3261 §8.1.3.1: a transport error is a 503): the dialog ends
            // as for a NOTIFY never answered, or every change would try the dead watcher again until it expires
            answers.onNotifyUnanswered(callId);
            throw e;
        }
    }

    void respond(ServerTransaction st, Request request, int status, String toTag, long expires) {
        try {
            Response response = sip.messages().createResponse(status, request);
            if (toTag != null) {
                ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(toTag);
                response.addHeader(sip.contact());
            }
            if (status == Response.OK) {
                response.addHeader(sip.headers().createExpiresHeader((int) expires));
            } else if (status == Response.INTERVAL_TOO_BRIEF) {
                response.addHeader(sip.headers().createMinExpiresHeader((int) minExpires.toSeconds()));
            } else if (status == Response.BAD_EVENT) {
                response.addHeader(sip.headers().createAllowEventsHeader(pkg.event()));
            } else if (status == Response.NOT_ACCEPTABLE) {
                for (String type : pkg.accept()) {
                    String[] parts = type.split("/", 2);
                    response.addHeader(sip.headers().createAcceptHeader(parts[0], parts[1]));
                }
            }
            st.sendResponse(response);
        } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not answer SUBSCRIBE with " + status + ": " + e.getMessage());
        }
    }

    static boolean supports(Request request, String option) {
        ListIterator<?> it = request.getHeaders("Supported");
        while (it.hasNext()) {
            String v = it.next().toString();
            if (v.toLowerCase(java.util.Locale.ROOT).contains(option)) {
                return true;
            }
        }
        return false;
    }
}
