package org.parley.sip.im;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.GatewayEvent;
import org.parley.sip.ClientTransactionOwner;
import org.parley.sip.SipContext;
import org.parley.sip.SipWireTap;

/**
 * IM toward Lync users the way Lync expects it: an IM session (INVITE with an {@code m=message} SDP and a unique
 * {@code Ms-Conversation-ID}), then in-dialog MESSAGEs. One open session per pair of users is reused — including a
 * session the Lync user opened — messages that arrive while the INVITE is under way wait for it, an idle session is
 * ended with BYE and the next message re-INVITEs.
 *
 * <p>The parts: {@link ImSessionStarter} opens sessions (INVITE, fail-over, forks), {@link ImSessionChannel} sends in
 * them, {@link IdleSessionSweeper} ends idle ones; this class routes each final response by what its request was for
 * ({@link PendingImRequest}).
 */
public final class OutgoingImSessions implements ClientTransactionOwner {

    private final ImSessionRegistry sessions;
    private final ImTransactions transactions;
    private final ImSessionChannel channel;
    private final ImSessionStarter starter;

    /** @param tap told what went on the wire for each message and chat state ({@link SipWireTap#onSent}) */
    public OutgoingImSessions(SipContext sip, ImSessionRegistry sessions, ScheduledExecutorService timers, Clock clock, Duration idle,
                              SipWireTap tap) {
        this.sessions = sessions;
        this.transactions = new ImTransactions(sip, this);
        this.channel = new ImSessionChannel(sip, sessions, clock, transactions, tap, this::send);
        this.starter = new ImSessionStarter(sip, sessions, clock, transactions, channel);
        IdleSessionSweeper sweeper = new IdleSessionSweeper(sessions, channel, clock, idle);
        timers.scheduleWithFixedDelay(sweeper::sweep, sweeper.periodMillis(), sweeper.periodMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends {@code message} (from the gateway user to the SIP user) in the pair's session. Never completes exceptionally. */
    public CompletableFuture<GatewayEvent> send(ChatMessage message) {
        CompletableFuture<GatewayEvent> result = new CompletableFuture<>();
        send(new QueuedMessage(message, result, false));
        return result;
    }

    /** Typing toward a Lync user: INFO KeyboardActivity in an open session; without one there is nothing to tell. */
    public boolean sendTyping(ChatStateChange change) {
        return channel.sendTyping(change);
    }

    /** Requests (INVITE, MESSAGE, INFO, BYE) waiting for their final response. */
    public int pendingCount() {
        return transactions.size();
    }

    @Override
    public void onFinalResponse(ResponseEvent event) {
        Response response = event.getResponse();
        PendingImRequest what = transactions.finish(event.getClientTransaction());
        if (what instanceof PendingImRequest.Invite invite) {
            starter.onAnswer(invite.start(), response);
        } else if (what instanceof PendingImRequest.InSessionMessage in) {
            channel.onAnswer(in, response);
        } else if (what == null) {
            onStrayResponse(response); // a 2xx after the first one: retransmission or another forked leg
        }
        // Typing and Bye: nobody waits for their answer
    }

    /** A response outside any pending transaction: only a 2xx to an INVITE means something (a retransmission or a fork). */
    public void onStrayResponse(Response response) {
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        int status = response.getStatusCode();
        if (cseq != null && Request.INVITE.equals(cseq.getMethod()) && status >= 200 && status < 300) {
            starter.onStrayOk(response);
        }
    }

    @Override
    public void onNoFinalResponse(ClientTransaction ct, boolean timedOut) {
        PendingImRequest what = transactions.finish(ct);
        if (what instanceof PendingImRequest.Invite invite) {
            starter.onNoAnswer(invite.start());
        } else if (what instanceof PendingImRequest.InSessionMessage in) {
            channel.onNoAnswer(in);
        }
    }

    private void send(QueuedMessage q) {
        ChatMessage m = q.message();
        ImSession open = sessions.forPair(m.to(), m.from());
        if (open != null) {
            channel.send(open, q);
        } else if (!starter.queue(q)) {
            send(q); // the INVITE just finished: the session (or the failure) is there now
        }
    }
}
