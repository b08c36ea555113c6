package org.parley.sip.im;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ErrorCondition;
import org.parley.sip.SipContext;
import org.parley.sip.SipFailures;
import org.parley.sip.config.HostPort;
import org.parley.sip.dialog.Dialog;
import org.parley.sip.dialog.DialogHeaders;

/**
 * Opens IM sessions toward Lync: one INVITE per pair of users at a time (with a unique {@code Ms-Conversation-ID} and
 * an {@code m=message} SDP offer), the next front end of the plan when one does not answer, and — when the INVITE forks
 * — the first 200 wins while later ones are acknowledged and hung up. Messages wait in the {@link SessionStart} until
 * the session is up, then go through the {@link ImSessionChannel}.
 */
final class ImSessionStarter {

    private static final System.Logger LOG = System.getLogger(ImSessionStarter.class.getName());

    private final SipContext sip;
    private final ImSessionRegistry sessions;
    private final Clock clock;
    private final ImTransactions transactions;
    private final ImSessionChannel channel;
    private final Map<String, SessionStart> starting = new ConcurrentHashMap<>();

    ImSessionStarter(SipContext sip, ImSessionRegistry sessions, Clock clock, ImTransactions transactions, ImSessionChannel channel) {
        this.sip = sip;
        this.sessions = sessions;
        this.clock = clock;
        this.transactions = transactions;
        this.channel = channel;
    }

    /**
     * Queues {@code q} behind the pair's INVITE, sending one if none is under way. {@code false} when the INVITE
     * finished meanwhile: the session (or its failure) is there now and the caller looks again.
     */
    boolean queue(QueuedMessage q) {
        ChatMessage m = q.message();
        boolean[] fresh = new boolean[1];
        SessionStart s = starting.computeIfAbsent(m.to().bare() + "|" + m.from().bare(), k -> {
            fresh[0] = true;
            return new SessionStart(k, sip.route().plan());
        });
        if (!s.enqueue(q)) {
            return false;
        }
        if (fresh[0]) {
            invite(s, m);
        }
        return true;
    }

    /** The final response to an INVITE of ours. */
    void onAnswer(SessionStart s, Response response) {
        int status = response.getStatusCode();
        sip.route().markHealthy(s.target());
        if (status >= 300) {
            fail(s, response);
            return;
        }
        ChatMessage m = s.first().message();
        List<String> routes = DialogHeaders.routeSet(response, true);
        if (routes.isEmpty()) {
            // no Record-Route: the front end the INVITE went through stays the session's next hop
            routes = List.of("<" + sip.frontEndHop(s.target()) + ">");
        }
        String target = DialogHeaders.contactUri(response);
        Dialog dialog = new Dialog(s.callId(), s.localTag(), ((ToHeader) response.getHeader(ToHeader.NAME)).getTag(),
                "<" + sip.addresses().formatSipUri(m.from().bare()) + ">", "<" + sip.addresses().formatSipUri(m.to().bare()) + ">",
                target == null ? sip.addresses().formatSipUri(m.to().bare()) : target, routes, 1);
        ImSession session = new ImSession(dialog, s.conversationId(), m.to().bare(), m.from().bare(), clock.instant());
        channel.ack(dialog, 1);
        // published while the start is locked, after the waiting messages are taken: later ones queue behind them
        List<QueuedMessage> waiting = s.finish(() -> {
            sessions.put(session);
            starting.remove(s.pairKey, s);
        });
        for (QueuedMessage q : waiting) {
            channel.send(session, q);
        }
    }

    /** No answer from the front end: the next one of the plan is tried. */
    void onNoAnswer(SessionStart s) {
        sip.route().markFailed(s.failOver());
        QueuedMessage first = s.first();
        if (first != null) {
            invite(s, first.message());
        }
    }

    /** A 2xx outside any transaction: a retransmitted 200 (ACK again) or a forked leg (ACK and BYE it). */
    void onStrayOk(Response response) {
        String callId = ((CallIdHeader) response.getHeader(CallIdHeader.NAME)).getCallId();
        ImSession session = sessions.get(callId);
        if (session == null) {
            return;
        }
        String toTag = ((ToHeader) response.getHeader(ToHeader.NAME)).getTag();
        long cseq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
        if (toTag != null && toTag.equals(session.remoteTag())) {
            channel.ack(session.dialog(), cseq);
            return;
        }
        String target = DialogHeaders.contactUri(response);
        Dialog leg = session.dialog().established(toTag, target, null).withCseq(cseq);
        channel.ack(leg, cseq);
        channel.bye(new ImSession(leg, session.conversationId(), session.sipUser(), session.gatewayUser(), clock.instant()));
        LOG.log(System.Logger.Level.DEBUG, "second endpoint answered the IM INVITE " + callId + ": acknowledged and hung up");
    }

    private void invite(SessionStart s, ChatMessage first) {
        HostPort target = s.target();
        if (target == null) {
            failUnanswered(s);
            return;
        }
        try {
            s.dialog(UUID.randomUUID() + "@" + sip.config().computerFqdn(), Long.toHexString(ThreadLocalRandom.current().nextLong()),
                    first.conversationId() != null ? first.conversationId() : newConversationId());
            transactions.send(inviteRequest(s, first, target), new PendingImRequest.Invite(s));
        } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
            sip.route().markFailed(s.failOver());
            invite(s, first);
        }
    }

    private Request inviteRequest(SessionStart s, ChatMessage first, HostPort target) throws ParseException, InvalidArgumentException {
        var hf = sip.headers();
        var af = sip.addressFactory();
        String to = sip.addresses().formatSipUri(first.to().bare());
        Request r = sip.messages().createRequest((SipURI) af.createURI(to), Request.INVITE, hf.createCallIdHeader(s.callId()),
                hf.createCSeqHeader(1L, Request.INVITE),
                hf.createFromHeader(af.createAddress(sip.addresses().formatSipUri(first.from().bare())), s.localTag()),
                hf.createToHeader(af.createAddress(to), null),
                List.of(hf.createViaHeader(sip.config().computerFqdn(), sip.config().listenPort(), sip.config().transport().uriParam(), null)),
                hf.createMaxForwardsHeader(70));
        r.addHeader(hf.createRouteHeader(af.createAddress(sip.frontEndHop(target))));
        r.addHeader(sip.contact());
        r.addHeader(hf.createHeader("Ms-Conversation-ID", s.conversationId()));
        r.addHeader(hf.createSupportedHeader("ms-text-format"));
        r.setContent(MessageSessionSdp.describe(sip.config()).getBytes(StandardCharsets.UTF_8),
                hf.createContentTypeHeader(MessageSessionSdp.CONTENT_TYPE, MessageSessionSdp.CONTENT_SUB_TYPE));
        return r;
    }

    /** The INVITE was refused: every waiting message gets the refusal. */
    private void fail(SessionStart s, Response response) {
        for (QueuedMessage q : s.finish(() -> starting.remove(s.pairKey, s))) {
            q.result().complete(SipFailures.of(q.message().to(), q.message().from(), response, q.id()));
        }
    }

    /** No front end of the plan answered: every waiting message times out. */
    private void failUnanswered(SessionStart s) {
        String text = "no front end answered the INVITE (tried " + s.plan() + ")";
        for (QueuedMessage q : s.finish(() -> starting.remove(s.pairKey, s))) {
            q.result().complete(SipFailures.of(q.message().to(), q.message().from(), ErrorCondition.REMOTE_SERVER_TIMEOUT, 408, text,
                    null, q.id()));
        }
    }

    /** Lync's conversation ids are base64 of random bytes; it must be unique per conversation. */
    private static String newConversationId() {
        byte[] id = new byte[16];
        ThreadLocalRandom.current().nextBytes(id);
        return Base64.getEncoder().encodeToString(id);
    }
}
