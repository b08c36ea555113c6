package org.parley.sip.im;

import java.text.ParseException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.parley.presence.MappingException;
import org.parley.presence.error.ErrorMapping;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.MessageKind;
import org.parley.presence.model.Address;
import org.parley.presence.model.MsDiagnostics;
import org.parley.presence.model.Receipt;
import org.parley.sip.NonInviteTransactions;
import org.parley.sip.SipContext;
import org.parley.sip.SipFailures;
import org.parley.sip.SipInbound;
import org.parley.sip.config.HostPort;

/**
 * RFC 3428 page-mode MESSAGE, both ways. Outbound requests go to the front end by the static
 * route and fail over to the next target on connect failure, TLS failure or when no final
 * response arrives within the request timeout; the final response becomes a {@link Receipt}
 * (2xx) or a {@link GatewayError} carrying status and ms-diagnostics. Inbound MESSAGEs become
 * {@link ChatMessage}s; the final response waits for the rest of Parley's answer.
 */
public final class PageModeMessaging {

    private static final System.Logger LOG = System.getLogger(PageModeMessaging.class.getName());
    private static final String MS_CONVERSATION_ID = "Ms-Conversation-ID";

    private final SipContext sip;
    private final SipInbound inbound;
    private final org.parley.sip.SipWireTap tap;
    private final NonInviteTransactions transactions;
    private final Set<Attempt> pending = ConcurrentHashMap.newKeySet();

    /**
     * One try of one outbound MESSAGE against one target, and its transaction's outcome: the final response, Timer F,
     * or an I/O failure toward the target, whichever comes first (the others then find it finished).
     *
     * @param typing a chat state to send as an RFC 3994 isComposing MESSAGE instead of the message body, or null
     * @param cause  the event this MESSAGE carries (the message, or the chat state change), for {@link SipInbound#onSent}
     */
    private final class Attempt implements NonInviteTransactions.Outcome {
        final ChatMessage message;
        final org.parley.presence.model.ChatState typing;
        final List<HostPort> plan;
        final int index;
        final CompletableFuture<GatewayEvent> result;
        final GatewayEvent cause;

        Attempt(ChatMessage message, org.parley.presence.model.ChatState typing, List<HostPort> plan, int index,
                CompletableFuture<GatewayEvent> result, GatewayEvent cause) {
            this.message = message;
            this.typing = typing;
            this.plan = plan;
            this.index = index;
            this.result = result;
            this.cause = cause;
        }

        HostPort target() {
            return plan.get(index);
        }

        Attempt next() {
            return new Attempt(message, typing, plan, index + 1, result, cause);
        }

        /** True once, for whichever outcome comes first. */
        boolean finish() {
            return pending.remove(this);
        }

        @Override
        public void onFinalResponse(Response response) {
            if (!finish()) {
                return;
            }
            sip.route().markHealthy(target());
            if (response.getStatusCode() < 300) {
                result.complete(new Receipt(message.to(), message.from(), idOf(message)));
            } else {
                result.complete(SipFailures.of(message.to(), message.from(), response, idOf(message)));
            }
        }

        @Override
        public void onNoFinalResponse() {
            if (finish()) {
                failTarget(this, "no final response from " + target() + " within " + sip.config().requestTimeout());
            }
        }
    }

    private final TypingBodies typingBodies = new TypingBodies(new org.parley.presence.xml.SafeXmlParser());

    public PageModeMessaging(SipContext sip, org.parley.sip.SipSides sides, NonInviteTransactions transactions) {
        this.sip = sip;
        this.inbound = sides.events();
        this.tap = sides.tap();
        this.transactions = transactions;
    }

    // ------------------------------------------------------------------ outbound

    /**
     * Sends a MESSAGE. {@code message.from()} and {@code message.to()} are SIP addresses.
     * The future never completes exceptionally: failures are {@link GatewayError}s.
     */
    public CompletableFuture<GatewayEvent> send(ChatMessage message) {
        CompletableFuture<GatewayEvent> result = new CompletableFuture<>();
        attempt(new Attempt(message, null, sip.route().plan(), 0, result, message));
        return result;
    }

    /**
     * Typing toward a SIP user in page mode: an RFC 3994 isComposing MESSAGE ({@code active} for
     * composing, {@code idle} otherwise). Its response only tells whether the target is alive.
     */
    public CompletableFuture<GatewayEvent> sendTyping(org.parley.presence.model.ChatStateChange change) {
        CompletableFuture<GatewayEvent> result = new CompletableFuture<>();
        ChatMessage carrier = new ChatMessage(change.from(), change.to(), null, MessageKind.CHAT, "", null, change.conversationId(), false,
                change.state());
        attempt(new Attempt(carrier, change.state(), sip.route().plan(), 0, result, change));
        return result;
    }

    /** Number of MESSAGE transactions waiting for a final response (for health and tests). */
    public int pendingCount() {
        return pending.size();
    }

    private void attempt(Attempt a) {
        if (a.index >= a.plan.size()) {
            a.result.complete(error(a.message, ErrorCondition.REMOTE_SERVER_TIMEOUT, 408,
                    "no front end answered (tried " + a.plan + ")", null));
            return;
        }
        Request request;
        try {
            request = buildRequest(a.message, a.typing, a.target());
        } catch (ParseException | InvalidArgumentException e) {
            a.result.complete(error(a.message, ErrorCondition.JID_MALFORMED, 484,
                    "cannot build a SIP request for " + a.message.to() + ": " + e.getMessage(), null));
            return;
        }
        pending.add(a);
        try {
            transactions.send(request, a); // Timer F: the bound after which the target counts as failed
            tap.onSent(a.cause, request.toString());
        } catch (SipException | RuntimeException e) {
            if (a.finish()) {
                failTarget(a, "cannot send to " + a.target() + ": " + rootMessage(e));
            }
        }
    }

    public void onIOException(String host, int port) {
        for (Attempt a : pending) {
            HostPort t = a.target();
            if (t.port() == port && t.host().equalsIgnoreCase(host) && a.finish()) {
                failTarget(a, "I/O failure toward " + t);
            }
        }
    }

    private void failTarget(Attempt a, String why) {
        LOG.log(System.Logger.Level.WARNING, why + "; failing over");
        sip.route().markFailed(a.target());
        attempt(a.next());
    }

    private Request buildRequest(ChatMessage m, org.parley.presence.model.ChatState typing, HostPort target)
            throws ParseException, InvalidArgumentException {
        var hf = sip.headers();
        var af = sip.addressFactory();
        String transport = sip.config().transport().uriParam();
        SipURI requestUri = (SipURI) sip.uri(sip.addresses().formatSipUri(m.to().bare()));
        FromHeader from = hf.createFromHeader(af.createAddress(sip.uri(sip.addresses().formatSipUri(m.from()))), tag());
        ToHeader to = hf.createToHeader(af.createAddress(sip.uri(sip.addresses().formatSipUri(m.to()))), null);
        CallIdHeader callId = hf.createCallIdHeader(UUID.randomUUID() + "@" + sip.config().computerFqdn());
        CSeqHeader cseq = hf.createCSeqHeader(1L, Request.MESSAGE);
        ViaHeader via = hf.createViaHeader(sip.config().computerFqdn(), sip.config().listenPort(), transport, null);
        MaxForwardsHeader maxForwards = hf.createMaxForwardsHeader(70);
        boolean html = m.htmlBody() != null;
        ContentTypeHeader contentType;
        String body;
        if (typing != null) {
            contentType = hf.createContentTypeHeader("application", "im-iscomposing+xml");
            body = TypingBodies.isComposing(typing);
        } else {
            contentType = hf.createContentTypeHeader("text", html ? "html" : "plain");
            contentType.setParameter("charset", "UTF-8");
            body = html ? m.htmlBody() : m.body();
        }
        Request request = sip.messages().createRequest(requestUri, Request.MESSAGE, callId, cseq, from, to,
                List.of(via), maxForwards, contentType, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        request.addHeader(hf.createRouteHeader(af.createAddress(sip.frontEndHop(target))));
        request.addHeader(sip.contact());
        if (m.conversationId() != null) {
            request.addHeader(hf.createHeader(MS_CONVERSATION_ID, m.conversationId()));
        }
        return request;
    }

    // ------------------------------------------------------------------ inbound

    public void onRequest(RequestEvent event, ServerTransaction st) {
        Request request = event.getRequest();
        ContentTypeHeader ctype = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
        if (ctype != null && "application".equalsIgnoreCase(ctype.getContentType())
                && "im-iscomposing+xml".equalsIgnoreCase(ctype.getContentSubType())) {
            typing(st, request);
            return;
        }
        MessageRequests.Read read;
        try {
            read = toChatMessage(request);
        } catch (MappingException e) {
            respond(st, request, e.reason().sipStatus(), e.getMessage());
            refused(request, e.reason().sipStatus(), e.getMessage());
            return;
        } catch (UnsupportedBody e) {
            respond(st, request, Response.UNSUPPORTED_MEDIA_TYPE, e.getMessage());
            refused(request, Response.UNSUPPORTED_MEDIA_TYPE, e.getMessage());
            return;
        }
        inbound.onMessage(read.message(), org.parley.sip.transport.StrictMessageParserFactory.wireOf(request))
                .toCompletableFuture()
                .orTimeout(sip.config().requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((answer, failure) -> {
                    int status;
                    if (failure != null) {
                        boolean timeout = failure instanceof TimeoutException || failure.getCause() instanceof TimeoutException;
                        status = timeout ? Response.TEMPORARILY_UNAVAILABLE : Response.SERVER_INTERNAL_ERROR;
                        respond(st, request, status, timeout ? "no answer from the XMPP side in time" : "gateway failure");
                    } else if (answer instanceof GatewayError err) {
                        status = err.sipStatus() != 0 ? err.sipStatus() : ErrorMapping.toSipStatus(err.condition());
                        respond(st, request, status, err.text() != null ? err.text() : err.condition().xmppName());
                    } else {
                        status = Response.OK;
                        respond(st, request, status, null);
                    }
                    if (read.note() != null) {
                        refused(request, status, read.note()); // delivered, but not all of it: the trace says what was left out
                    }
                });
    }

    /** RFC 3994 isComposing in page mode → a chat state for the XMPP side; answered 200 at once (nothing to wait for). */
    private void typing(ServerTransaction st, Request request) {
        try {
            Address from = sip.addresses().parseSipUri(((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI().toString());
            Address to = sip.addresses().parseSipUri(request.getRequestURI().toString());
            if (!sip.config().sipDomains().contains(to.domain())) {
                respond(st, request, Response.NOT_FOUND, "this gateway does not serve " + to.domain());
                return;
            }
            byte[] raw = request.getRawContent();
            org.parley.presence.model.ChatState state = typingBodies.read(raw == null ? "" : new String(raw, java.nio.charset.StandardCharsets.UTF_8));
            respond(st, request, Response.OK, null);
            inbound.onChatState(new org.parley.presence.model.ChatStateChange(from, to, state, null), org.parley.sip.transport.StrictMessageParserFactory.wireOf(request));
        } catch (MappingException e) {
            respond(st, request, e.reason().sipStatus(), e.getMessage());
            refused(request, e.reason().sipStatus(), e.getMessage());
        }
    }

    /**
     * An IM or typing notification the module answered with an error before it became an event, or a delivered IM whose
     * body lost content on the way: for the trace.
     */
    private void refused(Request request, int status, String why) {
        try {
            tap.onRefused(org.parley.sip.SipRefusal.of(request, status, status + ": " + why));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "failed to record a refused " + request.getMethod(), e);
        }
    }

    private MessageRequests.Read toChatMessage(Request request) throws MappingException, UnsupportedBody {
        try {
            return MessageRequests.read(request, sip.addresses(), sip.config().sipDomains());
        } catch (MappingException e) {
            if (e.reason() == MappingException.Reason.UNSUPPORTED_BODY) {
                throw new UnsupportedBody(e.getMessage());
            }
            throw e;
        }
    }

    private void respond(ServerTransaction st, Request request, int status, String reason) {
        try {
            Response response = sip.messages().createResponse(status, request);
            if (status >= 300 && reason != null) {
                // RFC 3326 Reason header carries the explanation to the sender
                response.addHeader(sip.headers().createHeader(ReasonHeader.NAME, ReasonHeader.value(status, reason)));
            }
            if (status == Response.SERVICE_UNAVAILABLE) {
                response.addHeader(sip.headers().createRetryAfterHeader(1)); // RFC 3261 §21.5.4: come back in a second
            }
            if (status == Response.UNSUPPORTED_MEDIA_TYPE) {
                MessageBodies.addAccept(response, sip.headers());
            }
            st.sendResponse(response);
        } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not answer MESSAGE with " + status + ": " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ helpers

    private static GatewayError error(ChatMessage m, ErrorCondition condition, int status, String text, MsDiagnostics diagnostics) {
        return SipFailures.of(m.to(), m.from(), condition, status, text, diagnostics, idOf(m));
    }

    private static String idOf(ChatMessage m) {
        return m.id() == null ? "" : m.id();
    }

    private static String tag() {
        return Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** A MESSAGE body Parley cannot carry to XMPP. */
    private static final class UnsupportedBody extends Exception {
        private static final long serialVersionUID = 1L;

        UnsupportedBody(String message) {
            super(message);
        }
    }
}
