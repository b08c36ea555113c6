package org.parley.sip.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.SipProvider;
import javax.sip.address.AddressFactory;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.parley.sip.testing.FrontEndState.Dialog;
import org.parley.sip.testing.FrontEndState.Watch;

/**
 * What the Lync clients behind the simulated front end do toward the gateway (subscribe as Lync watchers, batched
 * category subscriptions, IM sessions), and the NOTIFY / BENOTIFY the front end sends in a subscription Parley made;
 * with the plumbing that hands each request's final response back to the caller waiting for it.
 */
final class LyncClients {

    private final FrontEndState state;
    private final LyncStyle style;
    private final SipProvider provider;
    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final AddressFactory addresses;
    private final Map<ClientTransaction, CompletableFuture<Response>> pending = new ConcurrentHashMap<>();
    private String watchCallId;
    private String watchFromTag;
    private String imCallId;
    private String imFromTag;
    private String imToTag;
    private String imFrom;
    private String imTo;
    private String imTarget;
    private long imCseq = 1;

    LyncClients(FrontEndState state, LyncStyle style, SipProvider provider) {
        this.state = state;
        this.style = style;
        this.provider = provider;
        this.messages = style.messages;
        this.headers = style.headers;
        this.addresses = style.addresses;
    }

    /** Sends NOTIFY or BENOTIFY with a categories body in the last subscription Parley made. */
    void notifyLastSubscriber(String method, String categoriesBody) throws Exception {
        Dialog d = state.accepted.get(state.lastSubscribeCallId);
        Request r = messages.createRequest(addresses.createURI(d.target()), method, headers.createCallIdHeader(d.callId()),
                headers.createCSeqHeader(++d.cseq()[0], method),
                headers.createFromHeader(addresses.createAddress(d.presentityUri()), d.localTag()),
                headers.createToHeader(addresses.createAddress(d.watcherUri()), d.watcherTag()),
                style.via(), headers.createMaxForwardsHeader(70));
        r.addHeader(headers.createEventHeader("presence"));
        r.addHeader(headers.createSubscriptionStateHeader("active;expires=3600"));
        r.addHeader(style.contact(d.presentityUri()));
        r.setContent(categoriesBody.getBytes(StandardCharsets.UTF_8), headers.createContentTypeHeader("application", "msrtc-event-categories+xml"));
        if ("BENOTIFY".equals(method)) {
            provider.sendRequest(r);
        } else {
            send(r);
        }
    }

    /** A Lync user subscribes, as Lync does, to a user behind the gateway at {@code gatewayPort}. */
    Response subscribeAsLyncWatcher(String watcherUri, String presentityUri, int gatewayPort) throws Exception {
        return subscribeAsLyncWatcher(watcherUri, presentityUri, gatewayPort, true);
    }

    /** The same; without {@code benotify} the client does not offer ms-benotify, so every NOTIFY must be answered. */
    Response subscribeAsLyncWatcher(String watcherUri, String presentityUri, int gatewayPort, boolean benotify) throws Exception {
        watchCallId = UUID.randomUUID().toString();
        watchFromTag = Long.toHexString(System.nanoTime());
        Request r = messages.createRequest(addresses.createURI(presentityUri), Request.SUBSCRIBE, headers.createCallIdHeader(watchCallId),
                headers.createCSeqHeader(1L, Request.SUBSCRIBE),
                style.clientFrom(watcherUri, watchFromTag),
                headers.createToHeader(addresses.createAddress(presentityUri), null),
                style.via(), headers.createMaxForwardsHeader(70));
        r.addHeader(headers.createEventHeader("presence"));
        r.addHeader(headers.createExpiresHeader(3600));
        for (String a : List.of(LyncFrontEndSimulator.CATEGORIES, "text/xml+msrtc.pidf", "application/xpidf+xml", "application/pidf+xml",
                "application/rlmi+xml", "multipart/related")) {
            String[] t = a.split("/", 2);
            r.addHeader(headers.createAcceptHeader(t[0], t[1]));
        }
        r.addHeader(headers.createHeader("User-Agent", LyncStyle.USER_AGENT));
        if (benotify) {
            r.addHeader(headers.createSupportedHeader("ms-benotify"));
            r.addHeader(headers.createHeader("Proxy-Require", "ms-benotify")); // [MS-PRES] §4.11: for the proxies; a UAS ignores it
        }
        r.addHeader(headers.createSupportedHeader("ms-piggyback-first-notify"));
        r.addHeader(style.contact(watcherUri));
        style.addRecordRoute(r);
        r.addHeader(style.gatewayRoute(gatewayPort));
        // RFC 6665 §4.1.2.4: the first NOTIFY may overtake the 2xx, and a subscriber takes it: the dialog is known from now
        String callId = watchCallId;
        state.watches.put(callId, new Watch(callId, watcherUri, watchFromTag, presentityUri, null, null, new long[] {1}));
        Response response = sendAndAwait(r);
        if (response.getStatusCode() >= 300) {
            state.watches.remove(callId);
        } else {
            // unless a NOTIFY that came first already ended it
            state.watches.computeIfPresent(callId, (k, early) -> new Watch(callId, watcherUri, watchFromTag, presentityUri,
                    ((ToHeader) response.getHeader(ToHeader.NAME)).getTag(),
                    ((ContactHeader) response.getHeader(ContactHeader.NAME)).getAddress().getURI().toString(), new long[] {1}));
        }
        return response;
    }

    /**
     * A Lync client's batched category subscription, as [MS-PRES] §2.2.2.4.1 shows it: addressed to the watcher
     * itself, {@code Require: adhoclist, categoryList}, the resources and categories in an
     * {@code application/msrtc-adrl-categorylist+xml} body. Returns the gateway's final answer.
     */
    Response subscribeBatched(String watcherUri, List<String> resourceUris, int gatewayPort) throws Exception {
        Request r = messages.createRequest(addresses.createURI(watcherUri), Request.SUBSCRIBE,
                headers.createCallIdHeader(UUID.randomUUID().toString().replace("-", "")), headers.createCSeqHeader(1L, Request.SUBSCRIBE),
                style.clientFrom(watcherUri, Long.toHexString(System.nanoTime())), headers.createToHeader(addresses.createAddress(watcherUri), null),
                style.via(), headers.createMaxForwardsHeader(70));
        r.addHeader(style.contact(watcherUri));
        r.addHeader(headers.createHeader("User-Agent", LyncStyle.USER_AGENT));
        r.addHeader(headers.createEventHeader("presence"));
        for (String a : List.of(LyncFrontEndSimulator.CATEGORIES, "application/rlmi+xml", "multipart/related")) {
            String[] t = a.split("/", 2);
            r.addHeader(headers.createAcceptHeader(t[0], t[1]));
        }
        r.addHeader(headers.createSupportedHeader("ms-benotify"));
        r.addHeader(headers.createHeader("Proxy-Require", "ms-benotify"));
        r.addHeader(headers.createSupportedHeader("ms-piggyback-first-notify"));
        r.addHeader(headers.createRequireHeader("adhoclist"));
        r.addHeader(headers.createRequireHeader("categoryList"));
        r.addHeader(headers.createSupportedHeader("eventlist"));
        r.addHeader(headers.createRouteHeader(addresses.createAddress("<sip:127.0.0.1:" + gatewayPort + ";transport=tls;lr>")));
        StringBuilder body = new StringBuilder("<batchSub xmlns=\"http://schemas.microsoft.com/2006/01/sip/batch-subscribe\" uri=\"")
                .append(watcherUri).append("\" name=\"\">\r\n  <action name=\"subscribe\" id=\"63792024\">\r\n    <adhocList>\r\n");
        for (String resource : resourceUris) {
            body.append("      <resource uri=\"").append(resource).append("\"/>\r\n");
        }
        body.append("    </adhocList>\r\n    <categoryList xmlns=\"http://schemas.microsoft.com/2006/09/sip/categorylist\">\r\n");
        for (String category : List.of("calendarData", "contactCard", "note", "services", "state")) {
            body.append("      <category name=\"").append(category).append("\"/>\r\n");
        }
        body.append("    </categoryList>\r\n  </action>\r\n</batchSub>");
        r.setContent(body.toString().getBytes(StandardCharsets.UTF_8), headers.createContentTypeHeader("application", "msrtc-adrl-categorylist+xml"));
        return sendAndAwait(r);
    }

    /** Call-ID of the Lync watcher subscription {@link #subscribeAsLyncWatcher} made last. */
    String lastWatchCallId() {
        return watchCallId;
    }

    /**
     * Refreshes ({@code expires} > 0) or ends ({@code 0}) a Lync watcher's subscription, in its dialog, as a Lync client
     * does. Returns the gateway's response.
     */
    Response refreshWatch(String callId, int expires) throws Exception {
        Watch w = state.watches.get(callId);
        if (w == null) {
            throw new IllegalArgumentException("no watch with Call-ID " + callId);
        }
        Request r = messages.createRequest(addresses.createURI(w.target()), Request.SUBSCRIBE, headers.createCallIdHeader(w.callId()),
                headers.createCSeqHeader(++w.cseq()[0], Request.SUBSCRIBE),
                style.clientFrom(w.watcherUri(), w.fromTag()),
                headers.createToHeader(addresses.createAddress(w.presentityUri()), w.toTag()),
                style.via(), headers.createMaxForwardsHeader(70));
        r.addHeader(headers.createEventHeader("presence"));
        r.addHeader(headers.createExpiresHeader(expires));
        r.addHeader(headers.createAcceptHeader("application", "msrtc-event-categories+xml"));
        r.addHeader(style.contact(w.watcherUri()));
        // Expires: 0 — the watch is over once the gateway's terminated NOTIFY came (RFC 6665 §4.1.2.3)
        return sendAndAwait(r);
    }

    /** Call-ID of the IM session the simulator last opened toward Parley. */
    String imCallId() {
        return imCallId;
    }

    /** A Lync user starts an IM session, first message in ms-text-format, as Lync clients do. */
    Response startImSession(String fromUri, String toUri, int gatewayPort, String firstMessage, String sdpMedia) throws Exception {
        imCallId = UUID.randomUUID().toString();
        imFromTag = Long.toHexString(System.nanoTime());
        imFrom = fromUri;
        imTo = toUri;
        Request r = messages.createRequest(addresses.createURI(toUri), Request.INVITE, headers.createCallIdHeader(imCallId),
                headers.createCSeqHeader(imCseq++, Request.INVITE),
                style.clientFrom(fromUri, imFromTag),
                headers.createToHeader(addresses.createAddress(toUri), null),
                style.via(), headers.createMaxForwardsHeader(70));
        r.addHeader(style.contact(fromUri));
        style.addRecordRoute(r);
        r.addHeader(headers.createHeader("Ms-Conversation-ID", "AcnTd4Wq7E8BYGfUQSm7Hz6yJZ8fpQ=="));
        r.addHeader(headers.createSupportedHeader("ms-text-format"));
        if (firstMessage != null) {
            r.addHeader(headers.createHeader("ms-text-format", "text/plain; charset=UTF-8; msgr=WAAtAE0ATQBTAC0ASQBNAC0ARgBvAHIAbQBhAHQAOgAgAEYATgA9AEEAcgBpAGEAbAA7ACAARQBGAD0AOwAgAEMATwA9ADAAOwAgAEMAUwA9ADAAOwAgAFAARgA9ADAACgANAAoADQA; ms-body="
                    + Base64.getEncoder().encodeToString(firstMessage.getBytes(StandardCharsets.UTF_8))));
        }
        r.addHeader(style.gatewayRoute(gatewayPort));
        String sdp = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=session\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" + sdpMedia + "\r\n"
                + "a=accept-types:text/plain text/html\r\n";
        r.setContent(sdp.getBytes(StandardCharsets.UTF_8), headers.createContentTypeHeader("application", "sdp"));
        Response resp = sendAndAwait(r);
        if (resp.getStatusCode() < 300) {
            imToTag = ((ToHeader) resp.getHeader(ToHeader.NAME)).getTag();
            state.liveSessions.add(imCallId + "/" + imFromTag);
            imTarget = ((ContactHeader) resp.getHeader(ContactHeader.NAME)).getAddress().getURI().toString();
            Request ack = messages.createRequest(addresses.createURI(imTarget), Request.ACK, headers.createCallIdHeader(imCallId),
                    headers.createCSeqHeader(((CSeqHeader) resp.getHeader(CSeqHeader.NAME)).getSeqNumber(), Request.ACK),
                    style.clientFrom(imFrom, imFromTag),
                    headers.createToHeader(addresses.createAddress(imTo), imToTag),
                    style.via(), headers.createMaxForwardsHeader(70));
            provider.sendRequest(ack);
        }
        return resp;
    }

    /** A request inside the IM session (MESSAGE, INFO, BYE). */
    Response inSession(String method, String type, String subType, String body) throws Exception {
        Request r = messages.createRequest(addresses.createURI(imTarget), method, headers.createCallIdHeader(imCallId),
                headers.createCSeqHeader(imCseq++, method),
                style.clientFrom(imFrom, imFromTag),
                headers.createToHeader(addresses.createAddress(imTo), imToTag),
                style.via(), headers.createMaxForwardsHeader(70));
        r.addHeader(style.contact(imFrom));
        if (body != null) {
            r.setContent(body.getBytes(StandardCharsets.UTF_8), headers.createContentTypeHeader(type, subType));
        }
        if (Request.BYE.equals(method)) {
            state.liveSessions.remove(imCallId + "/" + imFromTag);
        }
        return sendAndAwait(r);
    }

    /** Hands a final response to the request it answers, to whoever waits for it. */
    void finalResponse(ClientTransaction ct, Response response) {
        CompletableFuture<Response> f = pending.remove(ct);
        if (f != null) {
            f.complete(response);
        }
    }

    /** Sends {@code r} in a new client transaction; its final response completes the future returned. */
    private CompletableFuture<Response> send(Request r) throws Exception {
        ClientTransaction ct = provider.getNewClientTransaction(r);
        CompletableFuture<Response> f = new CompletableFuture<>();
        pending.put(ct, f);
        ct.sendRequest();
        return f;
    }

    /** Sends {@code r} and waits (10 s at most) for its final response. */
    private Response sendAndAwait(Request r) throws Exception {
        return send(r).get(10, TimeUnit.SECONDS);
    }
}
