package org.parley.sip.im;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sip.InvalidArgumentException;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.AcceptHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.parley.presence.MappingException;
import org.parley.presence.error.ErrorMapping;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatState;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.MessageKind;
import org.parley.presence.xml.SafeXmlParser;
import org.parley.sip.SipContext;
import org.parley.sip.dialog.Dialog;
import org.parley.sip.dialog.DialogHeaders;
import org.parley.sip.SipInbound;

/**
 * Lync IM sessions started by a SIP user ([MS-SIPRE], [MS-SDP]): an INVITE whose SDP offers
 * {@code m=message ... sip null} (or the older {@code x-ms-message}) is accepted with an SDP
 * answer; a first message riding base64 in {@code ms-text-format} is delivered and acknowledged
 * with {@code Supported: ms-text-format}; in-dialog MESSAGE, INFO KeyboardActivity and RFC 3994
 * isComposing become chat messages and chat states; BYE ends the session (XEP-0085 {@code gone}).
 */
public final class ImSessions {

    private static final System.Logger LOG = System.getLogger(ImSessions.class.getName());

    private final SipContext sip;
    private final SipInbound inbound;
    private final org.parley.sip.SipWireTap tap;
    private final Clock clock;
    private final TypingBodies typing = new TypingBodies(new SafeXmlParser());
    private final ImSessionRegistry sessions;

    public ImSessions(SipContext sip, org.parley.sip.SipSides sides, Clock clock, ImSessionRegistry sessions) {
        this.sessions = sessions;
        this.sip = sip;
        this.inbound = sides.events();
        this.tap = sides.tap();
        this.clock = clock;
    }

    public boolean owns(Request request) {
        return sessions.contains(callId(request));
    }

    public int size() {
        return sessions.size();
    }

    /** Whether the session with this Call-ID is open: one session's state, which a count cannot tell while the idle sweeper runs. */
    public boolean isOpen(String callId) {
        return sessions.contains(callId);
    }

    public void onInvite(RequestEvent event, ServerTransaction st) {
        Request request = event.getRequest();
        if (((ToHeader) request.getHeader(ToHeader.NAME)).getTag() != null) {
            // re-INVITE inside a session: keep it, answer with the same SDP
            ImSession s = sessions.get(callId(request));
            respond(st, request, s == null ? Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST : Response.OK, s, s != null, false);
            return;
        }
        Address from;
        Address to;
        try {
            from = sip.addresses().parseSipUri(((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI().toString()).bare();
            to = sip.addresses().parseSipUri(request.getRequestURI().toString()).bare();
        } catch (MappingException e) {
            respond(st, request, e.reason().sipStatus(), null, false, false);
            return;
        }
        if (!sip.config().sipDomains().contains(to.domain())) {
            respond(st, request, Response.NOT_FOUND, null, false, false);
            return;
        }
        if (DialogHeaders.contactUri(request) == null) {
            respond(st, request, Response.BAD_REQUEST, null, false, false);
            return;
        }
        byte[] sdp = request.getRawContent();
        if (sdp != null && !isSdp((ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME))) {
            // RFC 3261 §8.2.3: a body Parley does not understand is 415 with Accept, before what the body says (RFC 4475 §3.3.6)
            respond(st, request, Response.UNSUPPORTED_MEDIA_TYPE, null, false, false);
            return;
        }
        if (!acceptsSdp(request)) {
            // the 200 would carry SDP, which the caller's Accept rules out (RFC 3261 §21.4.7; RFC 4475 §3.3.15)
            respond(st, request, Response.NOT_ACCEPTABLE, null, false, false);
            return;
        }
        if (sdp == null || !MessageSessionSdp.offersMessageSession(new String(sdp, StandardCharsets.UTF_8))) {
            respond(st, request, Response.NOT_ACCEPTABLE_HERE, null, false, false);
            return;
        }
        FromHeader caller = (FromHeader) request.getHeader(FromHeader.NAME);
        Dialog dialog = new Dialog(callId(request), Long.toHexString(ThreadLocalRandom.current().nextLong()), caller.getTag(),
                request.getRequestURI().toString(), caller.getAddress().toString(), DialogHeaders.contactUri(request),
                DialogHeaders.routeSet(request, false), 0);
        ImSession session = new ImSession(dialog, DialogHeaders.headerValue(request, "Ms-Conversation-ID"), from, to, clock.instant());
        sessions.put(session);

        MsTextFormat.FirstMessage first = MsTextFormat.parse(DialogHeaders.headerValue(request, "ms-text-format"));
        if (first == null) {
            respond(st, request, Response.OK, session, true, false);
            return;
        }
        ChatMessage message = chatMessage(session, ImText.of(first.contentType(), first.text()), session.callId() + "/invite");
        inbound.onMessage(message, org.parley.sip.transport.StrictMessageParserFactory.wireOf(request)).toCompletableFuture()
                .orTimeout(sip.config().requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((answer, failure) -> {
                    if (failure == null && answer instanceof GatewayError err) {
                        sessions.remove(session.callId());
                        respondError(st, request, err.sipStatus() != 0 ? err.sipStatus() : ErrorMapping.toSipStatus(err.condition()),
                                err.text() != null ? err.text() : err.condition().xmppName());
                    } else if (failure != null) {
                        sessions.remove(session.callId());
                        respondError(st, request, Response.TEMPORARILY_UNAVAILABLE, "no answer from the XMPP side in time");
                    } else {
                        respond(st, request, Response.OK, session, true, true);
                    }
                });
    }

    /** A MESSAGE inside a session. */
    public void onMessage(RequestEvent event, ServerTransaction st) {
        Request request = event.getRequest();
        ImSession session = sessions.update(callId(request), s -> s.touched(clock.instant()));
        if (session == null) {
            respond(st, request, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, false, false);
            return;
        }
        ContentTypeHeader ct = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
        String type = ct == null ? "" : (ct.getContentType() + "/" + ct.getContentSubType()).toLowerCase(Locale.ROOT);
        byte[] raw = request.getRawContent() == null ? new byte[0] : request.getRawContent();
        if (type.equals("application/im-iscomposing+xml")) {
            typingState(session, new String(raw, MessageBodies.charset(ct.getParameter("charset"))), request);
            respond(st, request, Response.OK, null, false, false);
            return;
        }
        ImText text;
        try {
            text = ImText.read(type, ct == null ? null : ct.getParameter("charset"), ct == null ? null : ct.getParameter("boundary"), raw);
        } catch (MappingException e) {
            respond(st, request, e.reason().sipStatus(), null, false, false); // a 415 lists what Parley takes
            refused(request, e.reason().sipStatus(), e.getMessage());
            return;
        }
        ChatMessage message = chatMessage(session, text, callId(request) + "/" + ((javax.sip.header.CSeqHeader) request.getHeader("CSeq")).getSeqNumber());
        String note = text.note(type);
        inbound.onMessage(message, org.parley.sip.transport.StrictMessageParserFactory.wireOf(request)).toCompletableFuture()
                .orTimeout(sip.config().requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((answer, failure) -> {
                    int status;
                    if (failure != null) {
                        status = Response.TEMPORARILY_UNAVAILABLE;
                        respondError(st, request, status, "no answer from the XMPP side in time");
                    } else if (answer instanceof GatewayError err) {
                        status = err.sipStatus() != 0 ? err.sipStatus() : ErrorMapping.toSipStatus(err.condition());
                        respondError(st, request, status, err.text() != null ? err.text() : err.condition().xmppName());
                    } else {
                        status = Response.OK;
                        respond(st, request, status, null, false, false);
                    }
                    if (note != null) {
                        refused(request, status, note); // delivered, but not all of it: the trace says what was left out
                    }
                });
    }

    /** INFO inside a session: Lync's KeyboardActivity. */
    public void onInfo(RequestEvent event, ServerTransaction st) {
        Request request = event.getRequest();
        ImSession session = sessions.get(callId(request));
        if (session == null) {
            respond(st, request, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, false, false);
            return;
        }
        byte[] raw = request.getRawContent();
        if (raw != null) {
            typingState(session, new String(raw, StandardCharsets.UTF_8), request);
        }
        respond(st, request, Response.OK, null, false, false);
    }

    public void onBye(RequestEvent event, ServerTransaction st) {
        Request request = event.getRequest();
        ImSession session = sessions.remove(callId(request));
        respond(st, request, session == null ? Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST : Response.OK, null, false, false);
        if (session != null) {
            inbound.onChatState(new ChatStateChange(session.sipUser(), session.gatewayUser(), ChatState.GONE, session.conversationId()), org.parley.sip.transport.StrictMessageParserFactory.wireOf(request));
        }
    }

    // ------------------------------------------------------------------ helpers

    private void typingState(ImSession session, String body, Request request) {
        try {
            ChatState state = typing.read(body);
            inbound.onChatState(new ChatStateChange(session.sipUser(), session.gatewayUser(), state, session.conversationId()), org.parley.sip.transport.StrictMessageParserFactory.wireOf(request));
        } catch (MappingException e) {
            LOG.log(System.Logger.Level.DEBUG, "ignored unreadable typing notification: " + e.getMessage());
        }
    }

    private ChatMessage chatMessage(ImSession session, ImText text, String id) {
        return new ChatMessage(session.sipUser(), session.gatewayUser(), id, MessageKind.CHAT, text.plain(), text.html(),
                session.conversationId(), false, null);
    }

    /** A MESSAGE in a session answered with an error before it became an event, or delivered with content left out: for the trace. */
    private void refused(Request request, int status, String why) {
        try {
            tap.onRefused(org.parley.sip.SipRefusal.of(request, status, status + ": " + why));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "failed to record a refused " + request.getMethod(), e);
        }
    }

    /** [MS-SDP]: {@code m=message <port> sip null} (or {@code sip sip:...}), older clients {@code x-ms-message}. */
    /** A body without Content-Type is taken as SDP, as an INVITE's offer (RFC 3261 §13.2.1). */
    private static boolean isSdp(ContentTypeHeader type) {
        return type == null || "application".equalsIgnoreCase(type.getContentType()) && "sdp".equalsIgnoreCase(type.getContentSubType());
    }

    /** No Accept, or one listing application/sdp, application/* or *&#47;* (RFC 3261 §20.1). */
    private static boolean acceptsSdp(Request request) {
        java.util.ListIterator<?> accepts = request.getHeaders(AcceptHeader.NAME);
        if (accepts == null || !accepts.hasNext()) {
            return true;
        }
        while (accepts.hasNext()) {
            AcceptHeader a = (AcceptHeader) accepts.next();
            String type = a.getContentType();
            String subType = a.getContentSubType();
            if (type == null || "*".equals(type) || "application".equalsIgnoreCase(type) && (subType == null || "*".equals(subType)
                    || "sdp".equalsIgnoreCase(subType))) {
                return true;
            }
        }
        return false;
    }

    /** An error answer with an RFC 3326 Reason header telling the SIP sender why (the XMPP side's error text). */
    private void respondError(ServerTransaction st, Request request, int status, String why) {
        try {
            Response response = sip.messages().createResponse(status, request);
            response.addHeader(sip.headers().createHeader(ReasonHeader.NAME, ReasonHeader.value(status, why)));
            st.sendResponse(response);
        } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not answer " + request.getMethod() + " with " + status + ": " + e.getMessage());
        }
    }

    private void respond(ServerTransaction st, Request request, int status, ImSession session, boolean withSdp, boolean acceptedFirstMessage) {
        try {
            Response response = sip.messages().createResponse(status, request);
            if (session != null) {
                ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(session.localTag());
                response.addHeader(sip.contact());
                // Record-Route is copied by createResponse for a dialog-creating 2xx (RFC 3261 §12.1.1)
            }
            if (acceptedFirstMessage) {
                response.addHeader(sip.headers().createSupportedHeader("ms-text-format"));
            }
            if (status == Response.UNSUPPORTED_MEDIA_TYPE && Request.INVITE.equals(request.getMethod())) {
                response.addHeader(sip.headers().createAcceptHeader("application", "sdp"));
            } else if (status == Response.UNSUPPORTED_MEDIA_TYPE) {
                MessageBodies.addAccept(response, sip.headers());
            }
            if (status == Response.NOT_ACCEPTABLE) {
                response.addHeader(sip.headers().createWarningHeader(sip.config().computerFqdn(), 399,
                        "a session can only be described in application/sdp, which Accept rules out"));
            }
            if (withSdp) {
                response.setContent(MessageSessionSdp.describe(sip.config()).getBytes(StandardCharsets.UTF_8),
                        sip.headers().createContentTypeHeader(MessageSessionSdp.CONTENT_TYPE, MessageSessionSdp.CONTENT_SUB_TYPE));
            }
            st.sendResponse(response);
        } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not answer " + request.getMethod() + " with " + status + ": " + e.getMessage());
        }
    }

    private static String callId(Request r) {
        return ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId();
    }
}
