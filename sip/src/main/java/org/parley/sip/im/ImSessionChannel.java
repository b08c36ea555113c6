package org.parley.sip.im;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.util.function.Consumer;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.Receipt;
import org.parley.sip.SipContext;
import org.parley.sip.SipFailures;
import org.parley.sip.SipWireTap;
import org.parley.sip.dialog.Dialog;
import org.parley.sip.dialog.InDialogRequests;

/**
 * Requests inside an open IM session toward Lync: MESSAGE, INFO KeyboardActivity, ACK and BYE. A session the front end
 * no longer knows (481, or no answer) is dropped and its message goes once more through a new session.
 */
final class ImSessionChannel {

    private static final System.Logger LOG = System.getLogger(ImSessionChannel.class.getName());

    private final SipContext sip;
    private final ImSessionRegistry sessions;
    private final Clock clock;
    private final ImTransactions transactions;
    private final InDialogRequests requests;
    private final SipWireTap tap;
    private final Consumer<QueuedMessage> sendAgain;

    /** @param sendAgain sends a message whose session was lost (in a new one) */
    ImSessionChannel(SipContext sip, ImSessionRegistry sessions, Clock clock, ImTransactions transactions, SipWireTap tap,
                     Consumer<QueuedMessage> sendAgain) {
        this.sip = sip;
        this.sessions = sessions;
        this.clock = clock;
        this.transactions = transactions;
        this.requests = new InDialogRequests(sip);
        this.tap = tap;
        this.sendAgain = sendAgain;
    }

    void send(ImSession session, QueuedMessage q) {
        try {
            ChatMessage m = q.message();
            Request r = inSession(session, Request.MESSAGE);
            boolean html = m.htmlBody() != null;
            var type = sip.headers().createContentTypeHeader("text", html ? "html" : "plain");
            type.setParameter("charset", "UTF-8");
            r.setContent((html ? m.htmlBody() : m.body()).getBytes(StandardCharsets.UTF_8), type);
            sessions.update(session.callId(), s -> s.touched(clock.instant()));
            transactions.send(r, new PendingImRequest.InSessionMessage(session.callId(), q));
            tap.onSent(m, r.toString());
        } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
            lost(session.callId(), q, "cannot send in session: " + e.getMessage());
        }
    }

    /** INFO KeyboardActivity in the pair's open session; {@code false} when there is none (nothing to tell then). */
    boolean sendTyping(ChatStateChange change) {
        ImSession s = sessions.forPair(change.to(), change.from());
        if (s == null || s.remoteTag() == null) {
            return false;
        }
        try {
            Request info = inSession(s, Request.INFO);
            info.setContent(TypingBodies.keyboardActivity(change.state()).getBytes(StandardCharsets.UTF_8),
                    sip.headers().createContentTypeHeader("application", "xml"));
            transactions.send(info, new PendingImRequest.Typing(s.callId()));
            tap.onSent(change, info.toString());
            return true;
        } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "typing notification not sent: " + e.getMessage());
            return false;
        }
    }

    /** The final response to a MESSAGE in a session. */
    void onAnswer(PendingImRequest.InSessionMessage in, Response response) {
        int status = response.getStatusCode();
        ChatMessage m = in.queued().message();
        if (status < 300) {
            in.queued().result().complete(new Receipt(m.to(), m.from(), in.queued().id()));
        } else if (status == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST || status == Response.REQUEST_TIMEOUT) {
            lost(in.callId(), in.queued(), "session answered " + status);
        } else {
            in.queued().result().complete(SipFailures.of(m.to(), m.from(), response, in.queued().id()));
        }
    }

    void onNoAnswer(PendingImRequest.InSessionMessage in) {
        lost(in.callId(), in.queued(), "no answer in session");
    }

    /** ACK for the 2xx to the INVITE with CSeq {@code inviteCseq}. */
    void ack(Dialog d, long inviteCseq) {
        try {
            sip.provider().sendRequest(requests.ack(d, inviteCseq));
        } catch (ParseException | InvalidArgumentException | SipException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot ACK IM session " + d.callId() + ": " + e.getMessage());
        }
    }

    /**
     * Ends {@code s}. When the registry still holds that very dialog its CSeq is advanced there; otherwise (a session
     * already taken out of the registry, or a forked leg that was never in it) {@code s} itself counts.
     */
    void bye(ImSession s) {
        try {
            ImSession current = sessions.get(s.callId());
            Request bye;
            if (current != null && current.remoteTag().equals(s.remoteTag())) {
                bye = inSession(current, Request.BYE);
            } else {
                Dialog d = s.dialog().nextCseq();
                bye = requests.build(d, Request.BYE, d.localCseq());
            }
            transactions.send(bye, new PendingImRequest.Bye(s.callId()));
        } catch (ParseException | InvalidArgumentException | SipException e) {
            LOG.log(System.Logger.Level.DEBUG, "BYE not sent: " + e.getMessage());
        }
    }

    /** A request in the session, its CSeq reserved in the registry (senders and the sweeper race). */
    private Request inSession(ImSession session, String method) throws ParseException, InvalidArgumentException {
        ImSession s = sessions.update(session.callId(), ImSession::nextCseq);
        if (s == null) {
            throw new ParseException("session " + session.callId() + " is gone", 0);
        }
        return requests.build(s.dialog(), method, s.dialog().localCseq());
    }

    private void lost(String callId, QueuedMessage q, String why) {
        sessions.remove(callId);
        if (q.retried()) {
            ChatMessage m = q.message();
            q.result().complete(SipFailures.of(m.to(), m.from(), org.parley.presence.error.ErrorMapping.toXmppCondition(408), 408,
                    "408 " + why, null, q.id()));
        } else {
            LOG.log(System.Logger.Level.INFO, "IM session " + callId + " lost (" + why + "); starting a new one");
            sendAgain.accept(q.retry());
        }
    }
}
