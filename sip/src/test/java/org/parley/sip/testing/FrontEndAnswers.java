package org.parley.sip.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.RouteHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.parley.sip.testing.FrontEndState.Dialog;
import org.parley.sip.testing.LyncFrontEndSimulator.Received;

/**
 * The simulated front end's answers to requests from the gateway: page-mode MESSAGE answered 200 for known users and
 * {@code 404} with {@code ms-diagnostics: 1003;reason="User does not exist"} for others; IM INVITEs accepted (forked
 * for {@code forked…} users); presence SUBSCRIBEs accepted, the first state piggybacked when a test set one; in-dialog
 * requests answered 200, or 481 when the front end is not (or no longer) in the dialog or could not have received them.
 */
final class FrontEndAnswers {

    private final FrontEndState state;
    private final LyncStyle style;
    private final SipProvider provider;
    private final Set<String> knownUsers;
    private final MessageFactory messages;
    private final HeaderFactory headers;

    FrontEndAnswers(FrontEndState state, LyncStyle style, SipProvider provider, Set<String> knownUsers) {
        this.state = state;
        this.style = style;
        this.provider = provider;
        this.knownUsers = knownUsers;
        this.messages = style.messages;
        this.headers = style.headers;
    }

    /** Records {@code r} as a test will want to see it, and answers it as a front end does. */
    void process(Request r) throws Exception {
        if (Request.OPTIONS.equals(r.getMethod())) {
            // the trusted application's health probe: answered like a front end does, not recorded
            answer(provider.getNewServerTransaction(r), messages.createResponse(Response.OK, r));
            return;
        }
        Received got = received(r);
        boolean initialSubscribe = Request.SUBSCRIBE.equals(r.getMethod()) && got.toTag() == null;
        if (got.toTag() != null && !routedThroughThisFrontEnd(got)) {
            // a real front end could not have received it: the GRUU does not resolve, the route set was not followed
            state.misrouted.add(got);
            if (!"BENOTIFY".equals(r.getMethod()) && !Request.ACK.equals(r.getMethod())) {
                answer(provider.getNewServerTransaction(r), messages.createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, r));
            }
            return;
        }
        // checked before the request is seen as received: a test that saw it may at once ask whether it was in order
        boolean ordered = got.toTag() == null || Request.ACK.equals(r.getMethod()) || inOrder(r, got);
        if (!initialSubscribe) {
            state.received.add(got);
        }
        boolean watchEnds = got.subscriptionState() != null && got.subscriptionState().startsWith("terminated");
        if ("BENOTIFY".equals(r.getMethod()) || Request.ACK.equals(r.getMethod())) {
            if (watchEnds) {
                state.watches.remove(got.callId());
            }
            return; // BENOTIFY: never answered ([MS-SIPRE]); ACK: no response
        }
        ServerTransaction st = provider.getNewServerTransaction(r);
        if (got.toTag() != null && !knowsDialog(r.getMethod(), got.callId(), got.toTag())) {
            // RFC 3261 §12.2.2: a request in a dialog the front end does not (or no longer) know
            answer(st, messages.createResponse(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, r));
            return;
        }
        if (!ordered) {
            answer(st, messages.createResponse(Response.SERVER_INTERNAL_ERROR, r));
            return;
        }
        String user = ((SipURI) r.getRequestURI()).getUser();
        if (((ToHeader) r.getHeader(ToHeader.NAME)).getTag() != null) {
            inDialog(st, r, got, watchEnds);
            return;
        }
        if (refusedAsTold(st, r, user, got)) {
            return;
        }
        switch (r.getMethod()) {
            case Request.MESSAGE -> message(st, r, user);
            case Request.INVITE -> invite(st, r, user, got);
            case Request.SUBSCRIBE -> subscribe(st, r, user, got);
            default -> answer(st, messages.createResponse(Response.OK, r));
        }
    }

    /** In-dialog (MESSAGE / INFO / BYE in an IM session, a SUBSCRIBE refresh or Expires: 0): the Request-URI is our Contact. */
    private void inDialog(ServerTransaction st, Request r, Received got, boolean watchEnds) throws Exception {
        Response ok = messages.createResponse(Response.OK, r);
        if (Request.SUBSCRIBE.equals(r.getMethod())) {
            // RFC 6665 §4.2.1.1: a 2xx to SUBSCRIBE carries Expires; an ended subscription's is 0
            ExpiresHeader asked = (ExpiresHeader) r.getHeader(ExpiresHeader.NAME);
            int expires = asked == null ? 3600 : asked.getExpires();
            ok.addHeader(headers.createExpiresHeader(expires));
            if (expires == 0) {
                state.accepted.remove(((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId());
            }
        } else if (Request.BYE.equals(r.getMethod())) {
            state.liveSessions.remove(got.callId() + "/" + got.toTag());
        }
        answer(st, ok);
        if (watchEnds && Request.NOTIFY.equals(r.getMethod())) {
            state.watches.remove(got.callId());
        }
    }

    /**
     * RFC 3261 §12.2.1.1: each new request in a dialog has a CSeq one higher than the last; §12.2.2: the UAS refuses one
     * lower with 500. A CSeq equal to the last one's with another method is a new request that did not count up either
     * (a retransmission keeps its method): a front end refuses both, so the simulator does.
     */
    private boolean inOrder(Request r, Received got) {
        long cseq = ((javax.sip.header.CSeqHeader) r.getHeader(javax.sip.header.CSeqHeader.NAME)).getSeqNumber();
        Long[] last = new Long[1];
        state.gatewayCseqs.compute(got.callId() + "/" + got.toTag(), (k, before) -> {
            last[0] = before;
            return before == null || cseq > before ? Long.valueOf(cseq) : before;
        });
        if (last[0] != null && cseq <= last[0]) {
            state.outOfOrder.add(r.getMethod() + " CSeq " + cseq + " after " + last[0]);
            return false;
        }
        return true;
    }

    /** A page-mode MESSAGE: 200 for a user the front end knows, else 404 with {@code ms-diagnostics: 1003}. */
    private void message(ServerTransaction st, Request r, String user) throws Exception {
        if (knownUsers.contains(user)) {
            answer(st, messages.createResponse(Response.OK, r));
        } else {
            answer(st, userDoesNotExist(r, user));
        }
    }

    /** An IM INVITE: a known user's endpoint accepts it, as a second endpoint too when the user is {@code forked…}. */
    private void invite(ServerTransaction st, Request r, String user, Received got) throws Exception {
        if (!knownUsers.contains(user)) {
            answer(st, userDoesNotExist(r, user));
            return;
        }
        Response ok = messages.createResponse(Response.OK, r);
        ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag("leg1-" + Long.toHexString(System.nanoTime()));
        ok.addHeader(style.contact(((ToHeader) r.getHeader(ToHeader.NAME)).getAddress().toString()));
        style.addRecordRoute(ok);
        ok.setContent(("v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=session\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=message 5061 sip null\r\na=accept-types:text/plain text/html\r\n").getBytes(StandardCharsets.UTF_8),
                headers.createContentTypeHeader("application", "sdp"));
        state.liveSessions.add(got.callId() + "/" + ((ToHeader) ok.getHeader(ToHeader.NAME)).getTag());
        answer(st, ok);
        if (user.startsWith("forked")) {
            // a second endpoint of the same user answers too (Lync forks IM INVITEs to every endpoint)
            Response second = (Response) ok.clone();
            ((ToHeader) second.getHeader(ToHeader.NAME)).setTag("leg2-" + Long.toHexString(System.nanoTime()));
            state.liveSessions.add(got.callId() + "/" + ((ToHeader) second.getHeader(ToHeader.NAME)).getTag());
            // a front end is one proxy: both answers come back on the connection the INVITE came in on, in order
            org.parley.sip.transport.ArrivalConnection.answerStatelessly(r, style.asFrontEnd(second));
        }
    }

    /** A presence SUBSCRIBE: accepted, or refused 404 with {@code ms-diagnostics: 4005} when the test asked for that. */
    private void subscribe(ServerTransaction st, Request r, String user, Received got) throws Exception {
        if (state.refuseUnknownPresentities && !knownUsers.contains(user)) {
            state.received.add(got);
            Response nf = messages.createResponse(Response.NOT_FOUND, r);
            nf.addHeader(headers.createHeader("ms-diagnostics",
                    "4005;reason=\"Destination URI either not enabled for SIP or does not exist\";source=\"fe1.contoso.com\""));
            answer(st, nf);
            return;
        }
        String localTag = Long.toHexString(System.nanoTime());
        Response ok = messages.createResponse(Response.OK, r);
        ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag(localTag);
        // grant what was asked, at most an hour, as a front end does
        ExpiresHeader asked = (ExpiresHeader) r.getHeader(ExpiresHeader.NAME);
        ok.addHeader(headers.createExpiresHeader(asked == null ? 3600 : Math.min(3600, asked.getExpires())));
        ok.addHeader(style.contact(((ToHeader) r.getHeader(ToHeader.NAME)).getAddress().toString()));
        style.addRecordRoute(ok);
        String callId = ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId();
        FromHeader from = (FromHeader) r.getHeader(FromHeader.NAME);
        ContactHeader c = (ContactHeader) r.getHeader(ContactHeader.NAME);
        state.accepted.put(callId, new Dialog(callId, from.getAddress().toString(), from.getTag(),
                ((ToHeader) r.getHeader(ToHeader.NAME)).getAddress().toString(), localTag,
                c.getAddress().getURI().toString(), new long[] {0}));
        state.lastSubscribeCallId = callId;
        String first = state.firstStates.get(user);
        if (first != null && offers(r, "ms-piggyback-first-notify")) {
            // [MS-SIP] §3.4.5.1 / §3.3.5.1: the first state rides the 2xx, with the body, type, Event and
            // Subscription-State the first NOTIFY would have, and the option echoed; that NOTIFY is not sent
            ok.setContent(first.getBytes(StandardCharsets.UTF_8), headers.createContentTypeHeader("application", "msrtc-event-categories+xml"));
            ok.addHeader(headers.createSupportedHeader("ms-piggyback-first-notify"));
            ok.addHeader(headers.createEventHeader("presence"));
            SubscriptionStateHeader subscriptionState = headers.createSubscriptionStateHeader("active");
            subscriptionState.setExpires(asked == null ? 3600 : Math.min(3600, asked.getExpires()));
            ok.addHeader(subscriptionState);
        }
        // recorded only now: a test that takes this SUBSCRIBE and notifies at once must find its dialog
        state.received.add(got);
        answer(st, ok);
    }

    /** 404 with {@code ms-diagnostics: 1003;reason="User does not exist"}, as a front end refuses a MESSAGE or INVITE. */
    private Response userDoesNotExist(Request r, String user) throws Exception {
        Response nf = messages.createResponse(Response.NOT_FOUND, r);
        nf.addHeader(headers.createHeader("ms-diagnostics",
                "1003;reason=\"User does not exist\";TargetUri=\"" + user + "@contoso.com\";source=\"fe1.contoso.com\""));
        return nf;
    }

    /** Answers a request out of dialog with the refusal a test set for its user; false if none was set. */
    private boolean refusedAsTold(ServerTransaction st, Request r, String user, Received got) throws Exception {
        Map<String, String> told = state.refusalHeaders.get(user);
        if (told == null || !Set.of(Request.MESSAGE, Request.INVITE, Request.SUBSCRIBE).contains(r.getMethod())) {
            return false;
        }
        if (Request.SUBSCRIBE.equals(r.getMethod())) {
            state.received.add(got); // an initial SUBSCRIBE is otherwise recorded only once accepted
        }
        Response nf = messages.createResponse(Response.NOT_FOUND, r);
        for (Map.Entry<String, String> h : told.entrySet()) {
            nf.addHeader(headers.createHeader(h.getKey(), h.getValue()));
        }
        st.sendResponse(nf);
        return true;
    }

    /**
     * Whether an in-dialog request came the way a front end lets it: addressed to a GRUU this front end gave out,
     * with its Record-Route on top of the Route headers when it record-routed, else with itself as the next hop.
     */
    private boolean routedThroughThisFrontEnd(Received got) {
        if (!got.requestUri().contains(";gruu") || got.routes().isEmpty()) {
            return false;
        }
        String top = got.routes().get(0);
        return state.recordRouted.contains(got.callId()) ? top.equals(style.recordRouteUri())
                : top.contains("127.0.0.1:" + style.port()) && top.contains(";lr");
    }

    /** Whether this front end is in the dialog an in-dialog request names ({@code tag}: the front end's own tag). */
    private boolean knowsDialog(String method, String callId, String tag) {
        return switch (method) {
            case Request.SUBSCRIBE -> state.accepted.containsKey(callId);
            case Request.NOTIFY, "BENOTIFY" -> state.watches.containsKey(callId);
            default -> state.liveSessions.contains(callId + "/" + tag);
        };
    }

    private void answer(ServerTransaction st, Response response) throws Exception {
        st.sendResponse(style.asFrontEnd(response));
    }

    /** {@code r} as the simulator records it. */
    private static Received received(Request r) {
        var ct = (ContentTypeHeader) r.getHeader("Content-Type");
        var ss = r.getHeader("Subscription-State");
        return new Received(r.getMethod(), ct == null ? null : ct.getContentType() + "/" + ct.getContentSubType(),
                r.getRawContent() == null ? "" : new String(r.getRawContent(), StandardCharsets.UTF_8),
                ss == null ? null : ss.toString().substring(ss.toString().indexOf(':') + 1).strip(),
                ((ToHeader) r.getHeader(ToHeader.NAME)).getTag(),
                r.getHeader(ContactHeader.NAME) == null ? null : ((ContactHeader) r.getHeader(ContactHeader.NAME)).getAddress().getURI().toString(),
                ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId(),
                r.getRequestURI().toString(), routes(r), org.parley.sip.transport.StrictMessageParserFactory.wireOf(r));
    }

    private static List<String> routes(Request r) {
        List<String> routes = new ArrayList<>();
        r.getHeaders(RouteHeader.NAME).forEachRemaining(h -> routes.add(((RouteHeader) h).getAddress().toString()));
        return List.copyOf(routes);
    }

    private static boolean offers(Request r, String option) {
        ListIterator<?> it = r.getHeaders("Supported");
        while (it.hasNext()) {
            if (it.next().toString().toLowerCase(Locale.ROOT).contains(option)) {
                return true;
            }
        }
        return false;
    }
}
