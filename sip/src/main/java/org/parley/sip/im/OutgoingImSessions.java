package org.parley.sip.im;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.parley.presence.MappingException;
import org.parley.presence.error.ErrorMapping;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.MsDiagnostics;
import org.parley.presence.model.Receipt;
import org.parley.sip.SipContext;
import org.parley.sip.SipInbound;
import org.parley.sip.config.HostPort;

/**
 * IM toward Lync users the way Lync expects it: an IM session (INVITE with an {@code m=message}
 * SDP and a unique {@code Ms-Conversation-ID}), then in-dialog MESSAGEs. One open session per
 * pair of users is reused — including a session the Lync user opened — messages that arrive while
 * the INVITE is under way wait for it, an idle session is ended with BYE and the next message
 * re-INVITEs, and when an INVITE forks to several endpoints the first 200 wins (later ones are
 * acknowledged and hung up).
 */
public final class OutgoingImSessions {

    private static final System.Logger LOG = System.getLogger(OutgoingImSessions.class.getName());

    private final SipInbound inbound;
    private final SipContext sip;
    private final ImSessionRegistry sessions;
    private final Clock clock;
    private final Duration idle;
    private final Map<String, Starting> starting = new ConcurrentHashMap<>();
    private final Map<ClientTransaction, Object> owned = new ConcurrentHashMap<>();

    /** An INVITE under way, with the messages waiting for it. */
    private static final class Starting {
        final String pairKey;
        final List<HostPort> plan;
        int index;
        String callId;
        String localTag;
        String conversationId;
        /** Set (under the lock) once the queue was handed on: later senders must start over. */
        boolean done;
        final List<Queued> queue = new ArrayList<>();

        Starting(String pairKey, List<HostPort> plan) {
            this.pairKey = pairKey;
            this.plan = plan;
        }
    }

    /** A message with the future its sender waits on; {@code retried} once a dead session was replaced. */
    private record Queued(ChatMessage message, CompletableFuture<GatewayEvent> result, boolean retried) {
    }

    /** An in-dialog MESSAGE in flight. */
    private record InSession(String callId, Queued queued) {
    }

    /** An INVITE in flight. */
    private record Invite(Starting starting) {
    }

    /** @param inbound told what went on the wire for each message and chat state ({@link SipInbound#onSent}) */
    public OutgoingImSessions(SipContext sip, ImSessionRegistry sessions, ScheduledExecutorService timers, Clock clock, Duration idle,
                              SipInbound inbound) {
        this.sip = sip;
        this.inbound = inbound;
        this.sessions = sessions;
        this.clock = clock;
        this.idle = idle;
        long sweep = Math.max(1, Math.min(idle.toMillis() / 4, 30_000));
        timers.scheduleWithFixedDelay(this::endIdleSessions, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    /** Sends {@code message} (from the gateway user to the SIP user) in the pair's session. Never completes exceptionally. */
    /** Requests (INVITE, MESSAGE, INFO) waiting for their final response. */
    public int pendingCount() {
        return owned.size();
    }

    public CompletableFuture<GatewayEvent> send(ChatMessage message) {
        CompletableFuture<GatewayEvent> result = new CompletableFuture<>();
        send(new Queued(message, result, false));
        return result;
    }

    /** Typing toward a Lync user: INFO KeyboardActivity in an open session; without one there is nothing to tell. */
    public boolean sendTyping(ChatStateChange change) {
        ImSession s = sessions.forPair(change.to(), change.from());
        if (s == null || s.remoteTag() == null) {
            return false;
        }
        try {
            Request info = inDialog(s, Request.INFO);
            info.setContent(TypingBodies.keyboardActivity(change.state()).getBytes(StandardCharsets.UTF_8),
                    sip.headers().createContentTypeHeader("application", "xml"));
            ClientTransaction ct = sip.provider().getNewClientTransaction(info);
            owned.put(ct, "INFO");
            ct.sendRequest();
            inbound.onSent(change, info.toString());
            return true;
        } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "typing notification not sent: " + e.getMessage());
            return false;
        }
    }

    public boolean owns(ClientTransaction ct) {
        return ct != null && owned.containsKey(ct);
    }

    // ------------------------------------------------------------------ sending

    private void send(Queued q) {
        ChatMessage m = q.message();
        ImSession open = sessions.forPair(m.to(), m.from());
        if (open != null) {
            sendInSession(open, q);
            return;
        }
        String key = m.to().bare() + "|" + m.from().bare();
        boolean[] fresh = new boolean[1];
        Starting s = starting.computeIfAbsent(key, k -> {
            fresh[0] = true;
            return new Starting(k, sip.route().plan());
        });
        boolean late;
        synchronized (s) {
            late = s.done;
            if (!late) {
                s.queue.add(q);
            }
        }
        if (late) {
            send(q); // the INVITE just finished: the session (or the failure) is there now
            return;
        }
        if (fresh[0]) {
            invite(s, m);
        }
    }

    private void invite(Starting s, ChatMessage first) {
        if (s.index >= s.plan.size()) {
            fail(s, ErrorCondition.REMOTE_SERVER_TIMEOUT, 408, "no front end answered the INVITE (tried " + s.plan + ")", null);
            return;
        }
        HostPort target = s.plan.get(s.index);
        try {
            var hf = sip.headers();
            var af = sip.addressFactory();
            String transport = sip.config().transport().uriParam();
            s.callId = UUID.randomUUID() + "@" + sip.config().computerFqdn();
            s.localTag = Long.toHexString(ThreadLocalRandom.current().nextLong());
            s.conversationId = first.conversationId() != null ? first.conversationId() : newConversationId();
            Request r = sip.messages().createRequest((SipURI) af.createURI(sip.addresses().formatSipUri(first.to().bare())),
                    Request.INVITE, hf.createCallIdHeader(s.callId), hf.createCSeqHeader(1L, Request.INVITE),
                    hf.createFromHeader(af.createAddress(sip.addresses().formatSipUri(first.from().bare())), s.localTag),
                    hf.createToHeader(af.createAddress(sip.addresses().formatSipUri(first.to().bare())), null),
                    List.of(hf.createViaHeader(sip.config().computerFqdn(), sip.config().listenPort(), transport, null)),
                    hf.createMaxForwardsHeader(70));
            r.addHeader(hf.createRouteHeader(af.createAddress(sip.frontEndHop(target))));
            r.addHeader(contact());
            r.addHeader(hf.createHeader("Ms-Conversation-ID", s.conversationId));
            r.addHeader(hf.createSupportedHeader("ms-text-format"));
            r.setContent(offerSdp().getBytes(StandardCharsets.UTF_8), hf.createContentTypeHeader("application", "sdp"));
            ClientTransaction ct = sip.provider().getNewClientTransaction(r);
            ct.setRetransmitTimer(Math.max(1, (int) (sip.config().requestTimeout().toMillis() / 64)));
            owned.put(ct, new Invite(s));
            ct.sendRequest();
        } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
            sip.route().markFailed(target);
            s.index++;
            invite(s, first);
        }
    }

    private void sendInSession(ImSession session, Queued q) {
        try {
            ChatMessage m = q.message();
            Request r = inDialog(session, Request.MESSAGE);
            boolean html = m.htmlBody() != null;
            var type = sip.headers().createContentTypeHeader("text", html ? "html" : "plain");
            type.setParameter("charset", "UTF-8");
            r.setContent((html ? m.htmlBody() : m.body()).getBytes(StandardCharsets.UTF_8), type);
            sessions.update(session.callId(), s -> s.touched(clock.instant()));
            ClientTransaction ct = sip.provider().getNewClientTransaction(r);
            ct.setRetransmitTimer(Math.max(1, (int) (sip.config().requestTimeout().toMillis() / 64)));
            owned.put(ct, new InSession(session.callId(), q));
            ct.sendRequest();
            inbound.onSent(m, r.toString());
        } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
            sessionLost(session.callId(), q, "cannot send in session: " + e.getMessage());
        }
    }

    /** A request in the session, CSeq advanced in the registry. */
    private Request inDialog(ImSession session, String method) throws ParseException, InvalidArgumentException {
        ImSession s = sessions.update(session.callId(), x -> new ImSession(x.callId(), x.localTag(), x.remoteTag(), x.localUri(),
                x.remoteUri(), x.remoteTarget(), x.routeSet(), x.localCseq() + 1, x.conversationId(), x.sipUser(), x.gatewayUser(),
                x.lastActivity()));
        if (s == null) {
            throw new ParseException("session " + session.callId() + " is gone", 0);
        }
        var hf = sip.headers();
        var af = sip.addressFactory();
        Request r = sip.messages().createRequest(af.createURI(s.remoteTarget()), method, hf.createCallIdHeader(s.callId()),
                hf.createCSeqHeader(s.localCseq() + 1, method),
                hf.createFromHeader(af.createAddress(s.localUri()), s.localTag()),
                hf.createToHeader(af.createAddress(s.remoteUri()), s.remoteTag()),
                List.of(hf.createViaHeader(sip.config().computerFqdn(), sip.config().listenPort(), sip.config().transport().uriParam(), null)),
                hf.createMaxForwardsHeader(70));
        sip.addRoutes(r, s.routeSet());
        r.addHeader(contact());
        return r;
    }

    // ------------------------------------------------------------------ responses

    public void onResponse(ResponseEvent event) {
        Response response = event.getResponse();
        CSeqHeader cseq = (CSeqHeader) response.getHeader(CSeqHeader.NAME);
        ClientTransaction ct = event.getClientTransaction();
        int status = response.getStatusCode();
        if (ct == null) {
            if (Request.INVITE.equals(cseq.getMethod()) && status < 300 && status >= 200) {
                strayInviteOk(response);
            }
            return;
        }
        if (status < 200) {
            return;
        }
        Object what = owned.remove(ct);
        if (what == null && Request.INVITE.equals(cseq.getMethod()) && status < 300) {
            strayInviteOk(response); // a 2xx after the first one: retransmission or another forked leg
            return;
        }
        if (what instanceof Invite invite) {
            onInviteAnswer(invite.starting(), response);
        } else if (what instanceof InSession in) {
            if (status < 300) {
                in.queued().result().complete(new Receipt(in.queued().message().to(), in.queued().message().from(), idOf(in.queued().message())));
            } else if (status == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST || status == Response.REQUEST_TIMEOUT) {
                sessionLost(in.callId(), in.queued(), "session answered " + status);
            } else {
                in.queued().result().complete(error(in.queued().message(), status, response.getReasonPhrase(), diagnostics(response)));
            }
        }
    }

    public boolean onTimeout(ClientTransaction ct) {
        Object what = owned.remove(ct);
        if (what instanceof Invite invite) {
            Starting s = invite.starting();
            sip.route().markFailed(s.plan.get(s.index));
            s.index++;
            Queued first;
            synchronized (s) {
                first = s.queue.isEmpty() ? null : s.queue.get(0);
            }
            if (first != null) {
                invite(s, first.message());
            }
            return true;
        }
        if (what instanceof InSession in) {
            sessionLost(in.callId(), in.queued(), "no answer in session");
            return true;
        }
        return what != null;
    }

    private void onInviteAnswer(Starting s, Response response) {
        int status = response.getStatusCode();
        if (status >= 300) {
            sip.route().markHealthy(s.plan.get(s.index));
            fail(s, ErrorMapping.toXmppCondition(status), status, status + " " + response.getReasonPhrase(), diagnostics(response));
            return;
        }
        sip.route().markHealthy(s.plan.get(s.index));
        Queued first;
        synchronized (s) {
            first = s.queue.get(0);
        }
        ChatMessage m = first.message();
        String toTag = ((ToHeader) response.getHeader(ToHeader.NAME)).getTag();
        ContactHeader contact = (ContactHeader) response.getHeader(ContactHeader.NAME);
        List<String> routes = new ArrayList<>();
        var it = response.getHeaders("Record-Route");
        while (it.hasNext()) {
            routes.add(((javax.sip.header.RecordRouteHeader) it.next()).getAddress().toString());
        }
        java.util.Collections.reverse(routes);
        if (routes.isEmpty()) {
            HostPort t = s.plan.get(s.index);
            // no Record-Route: the front end the INVITE went through stays the session's next hop
            routes.add("<" + sip.frontEndHop(t) + ">");
        }
        ImSession session = new ImSession(s.callId, s.localTag, toTag,
                "<" + sip.addresses().formatSipUri(m.from().bare()) + ">", "<" + sip.addresses().formatSipUri(m.to().bare()) + ">",
                contact == null ? sip.addresses().formatSipUri(m.to().bare()) : contact.getAddress().getURI().toString(),
                routes, 1, s.conversationId, m.to().bare(), m.from().bare(), clock.instant());
        ack(session, 1);
        List<Queued> waiting;
        synchronized (s) {
            s.done = true;
            waiting = new ArrayList<>(s.queue);
            // published after the waiting messages are taken, so later ones queue behind them
            sessions.put(session);
            starting.remove(s.pairKey, s);
        }
        for (Queued q : waiting) {
            sendInSession(session, q);
        }
    }

    /** A 2xx outside any transaction: a retransmitted 200 (ACK again) or a forked leg (ACK and BYE it). */
    private void strayInviteOk(Response response) {
        String callId = ((CallIdHeader) response.getHeader(CallIdHeader.NAME)).getCallId();
        ImSession session = sessions.get(callId);
        if (session == null) {
            return;
        }
        String toTag = ((ToHeader) response.getHeader(ToHeader.NAME)).getTag();
        long cseq = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getSeqNumber();
        if (toTag != null && toTag.equals(session.remoteTag())) {
            ack(session, cseq);
            return;
        }
        ContactHeader contact = (ContactHeader) response.getHeader(ContactHeader.NAME);
        ImSession leg = new ImSession(callId, session.localTag(), toTag, session.localUri(), session.remoteUri(),
                contact == null ? session.remoteTarget() : contact.getAddress().getURI().toString(), session.routeSet(), cseq,
                session.conversationId(), session.sipUser(), session.gatewayUser(), clock.instant());
        ack(leg, cseq);
        bye(leg);
        LOG.log(System.Logger.Level.DEBUG, "second endpoint answered the IM INVITE " + callId + ": acknowledged and hung up");
    }

    private void ack(ImSession s, long cseq) {
        try {
            var hf = sip.headers();
            var af = sip.addressFactory();
            Request ack = sip.messages().createRequest(af.createURI(s.remoteTarget()), Request.ACK, hf.createCallIdHeader(s.callId()),
                    hf.createCSeqHeader(cseq, Request.ACK), hf.createFromHeader(af.createAddress(s.localUri()), s.localTag()),
                    hf.createToHeader(af.createAddress(s.remoteUri()), s.remoteTag()),
                    List.of(hf.createViaHeader(sip.config().computerFqdn(), sip.config().listenPort(), sip.config().transport().uriParam(), null)),
                    hf.createMaxForwardsHeader(70));
            sip.addRoutes(ack, s.routeSet());
            sip.provider().sendRequest(ack);
        } catch (ParseException | InvalidArgumentException | SipException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot ACK IM session " + s.callId() + ": " + e.getMessage());
        }
    }

    private void bye(ImSession s) {
        try {
            ImSession current = sessions.get(s.callId());
            Request bye;
            if (current != null && current.remoteTag().equals(s.remoteTag())) {
                bye = inDialog(current, Request.BYE);
            } else {
                var hf = sip.headers();
                var af = sip.addressFactory();
                bye = sip.messages().createRequest(af.createURI(s.remoteTarget()), Request.BYE, hf.createCallIdHeader(s.callId()),
                        hf.createCSeqHeader(s.localCseq() + 1, Request.BYE), hf.createFromHeader(af.createAddress(s.localUri()), s.localTag()),
                        hf.createToHeader(af.createAddress(s.remoteUri()), s.remoteTag()),
                        List.of(hf.createViaHeader(sip.config().computerFqdn(), sip.config().listenPort(), sip.config().transport().uriParam(), null)),
                        hf.createMaxForwardsHeader(70));
                sip.addRoutes(bye, s.routeSet());
            }
            ClientTransaction ct = sip.provider().getNewClientTransaction(bye);
            owned.put(ct, "BYE");
            ct.sendRequest();
        } catch (ParseException | InvalidArgumentException | SipException e) {
            LOG.log(System.Logger.Level.DEBUG, "BYE not sent: " + e.getMessage());
        }
    }

    /** Idle sessions end with BYE (Lync does the same after ≈ 10 min); the next message re-INVITEs. */
    void endIdleSessions() {
        var cutoff = clock.instant().minus(idle);
        for (ImSession s : List.copyOf(sessions.all())) {
            if (s.lastActivity().isBefore(cutoff)) {
                // out of the registry before the BYE leaves: a message sent meanwhile starts a new session instead of
                // going into the one being ended (found by LyncDialectTest under CI load)
                ImSession removed = sessions.remove(s.callId());
                if (removed == null) {
                    continue; // ended meanwhile
                }
                if (!removed.lastActivity().isBefore(cutoff)) {
                    sessions.put(removed); // used since the sweep began: it stays
                    continue;
                }
                try {
                    bye(removed); // the removed copy: its CSeq counts every request sent in the session
                } catch (RuntimeException e) {
                    // a broken session must not stop the sweeper (a thrown exception cancels the schedule)
                    LOG.log(System.Logger.Level.WARNING, "BYE for idle session " + s.callId() + " failed: " + e);
                }
            }
        }
    }

    private void sessionLost(String callId, Queued q, String why) {
        sessions.remove(callId);
        if (q.retried()) {
            q.result().complete(error(q.message(), 408, why, null));
        } else {
            LOG.log(System.Logger.Level.INFO, "IM session " + callId + " lost (" + why + "); starting a new one");
            send(new Queued(q.message(), q.result(), true));
        }
    }

    private void fail(Starting s, ErrorCondition condition, int status, String text, MsDiagnostics diagnostics) {
        List<Queued> waiting;
        synchronized (s) {
            s.done = true;
            starting.remove(s.pairKey, s);
            waiting = new ArrayList<>(s.queue);
        }
        for (Queued q : waiting) {
            ChatMessage m = q.message();
            q.result().complete(new GatewayError(m.to(), m.from(), condition, null, status,
                    diagnostics != null ? diagnostics.describe() : text, diagnostics, idOf(m)));
        }
    }

    private static GatewayError error(ChatMessage m, int status, String reason, MsDiagnostics diagnostics) {
        return new GatewayError(m.to(), m.from(), ErrorMapping.toXmppCondition(status), null, status,
                diagnostics != null ? diagnostics.describe() : status + " " + reason, diagnostics, idOf(m));
    }

    private static String idOf(ChatMessage m) {
        return m.id() == null ? "" : m.id();
    }

    private static MsDiagnostics diagnostics(Response response) {
        return org.parley.sip.MsDiagnosticsHeaders.of(response);
    }

    private ContactHeader contact() throws ParseException {
        return sip.contact();
    }

    private String offerSdp() {
        String host = sip.config().listenAddress();
        return "v=0\r\no=- 0 0 IN IP4 " + host + "\r\ns=session\r\nc=IN IP4 " + host + "\r\nt=0 0\r\n"
                + "m=message " + sip.config().listenPort() + " sip null\r\na=accept-types:" + MessageBodies.SDP_ACCEPT_TYPES + "\r\n";
    }

    /** Lync's conversation ids are base64 of random bytes; it must be unique per conversation. */
    private static String newConversationId() {
        byte[] id = new byte[16];
        ThreadLocalRandom.current().nextBytes(id);
        return Base64.getEncoder().encodeToString(id);
    }
}
