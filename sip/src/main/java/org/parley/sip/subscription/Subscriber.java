package org.parley.sip.subscription;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
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
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.parley.presence.MappingException;
import org.parley.presence.model.Address;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.model.SubscriptionAction;
import org.parley.presence.model.SubscriptionEvent;
import org.parley.sip.SipContext;
import org.parley.sip.dialog.Dialog;
import org.parley.sip.dialog.DialogHeaders;
import org.parley.sip.SipInbound;
import org.parley.sip.config.HostPort;

/**
 * The watcher side of RFC 6665: Parley subscribes on behalf of an XMPP user to a SIP presentity.
 * It refreshes before expiry, re-subscribes with back-off after 481, 408, a transaction timeout
 * or {@code terminated;reason=deactivated|timeout} (the first answer waits meanwhile: a retry is no
 * answer), reads the first state piggybacked on a 2xx ([MS-SIP] §4.3), and reports a final refusal
 * ({@code rejected}, {@code noresource}, 403, 404, ...) once, as a {@code DENY} with the
 * ms-diagnostics reason.
 */
public final class Subscriber implements org.parley.sip.ClientTransactionOwner {

    private static final System.Logger LOG = System.getLogger(Subscriber.class.getName());

    private final SipContext sip;
    private final EventPackage pkg;
    private final SipInbound inbound;
    private final org.parley.sip.SipWireTap tap;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final Duration expires;
    private final Duration retryBackoff;
    private final SubscribeRequests subscribes;

    private final Map<String, SubscriptionDialog> dialogs = new ConcurrentHashMap<>();
    private final Map<String, String> callIdByPair = new ConcurrentHashMap<>();
    private final Map<ClientTransaction, Sent> sent = new ConcurrentHashMap<>();
    private final Map<String, PresenceUpdate> lastState = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<GatewayEvent>> firstAnswer = new ConcurrentHashMap<>();
    /** Call-IDs of lost subscriptions waiting for their retry: the pair is still subscribed, not subscribed twice. */
    private final java.util.Set<String> backingOff = ConcurrentHashMap.newKeySet();

    /** A SUBSCRIBE in flight. */
    private record Sent(String callId, boolean unsubscribe) {
    }

    public Subscriber(SipContext sip, EventPackage pkg, org.parley.sip.SipSides sides, ScheduledExecutorService timers, Clock clock,
                      Duration expires, Duration retryBackoff) {
        this.sip = sip;
        this.pkg = pkg;
        this.inbound = sides.events();
        this.tap = sides.tap();
        this.timers = timers;
        this.clock = clock;
        this.expires = expires;
        this.retryBackoff = retryBackoff;
        this.subscribes = new SubscribeRequests(sip, pkg);
    }

    /**
     * Subscribes {@code watcher} to {@code presentity} (both SIP addresses). Completes with
     * {@code APPROVE} when the notifier accepts, or a {@link GatewayError}. An existing subscription
     * for the pair is kept (refreshes are automatic), never duplicated.
     */
    public CompletableFuture<GatewayEvent> subscribe(Address watcher, Address presentity) {
        String pair = pair(watcher, presentity);
        String existing = callIdByPair.get(pair);
        if (existing != null && (dialogs.containsKey(existing) || backingOff.contains(existing))) {
            CompletableFuture<GatewayEvent> inFlight = firstAnswer.get(existing);
            return inFlight != null ? inFlight
                    : CompletableFuture.completedFuture(new SubscriptionEvent(presentity, watcher, SubscriptionAction.APPROVE));
        }
        CompletableFuture<GatewayEvent> answer = new CompletableFuture<>();
        SubscriptionDialog d = newDialog(watcher, presentity);
        callIdByPair.put(pair, d.callId());
        firstAnswer.put(d.callId(), answer);
        send(d, expires, false);
        return answer;
    }

    /** Ends the subscription with {@code Expires: 0}; the dialog goes when the notifier confirms. */
    public void unsubscribe(Address watcher, Address presentity) {
        String callId = callIdByPair.remove(pair(watcher, presentity));
        if (callId == null) {
            return;
        }
        complete(callId, new SubscriptionEvent(presentity, watcher, SubscriptionAction.CANCEL));
        SubscriptionDialog d = dialogs.get(callId);
        if (d != null && d.remoteTag() != null) {
            send(d, Duration.ZERO, true);
            // the notifier's terminated NOTIFY normally removes the dialog; if it never comes, this does
            timers.schedule(() -> {
                SubscriptionDialog left = dialogs.get(callId);
                if (left != null) {
                    end(left, SubscriptionAction.CANCEL);
                }
            }, sip.config().requestTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } else {
            dialogs.remove(callId);
            lastState.remove(callId);
        }
    }

    public int size() {
        return dialogs.size();
    }

    public boolean isSubscribed(Address watcher, Address presentity) {
        String callId = callIdByPair.get(pair(watcher, presentity));
        return callId != null && dialogs.containsKey(callId);
    }

    // ------------------------------------------------------------------ events from the stack

    @Override
    public void onFinalResponse(ResponseEvent event) {
        Response response = event.getResponse();
        Sent s = sent.remove(event.getClientTransaction());
        if (s == null) {
            return;
        }
        SubscriptionDialog d = dialogs.get(s.callId());
        if (d == null) {
            return;
        }
        int status = response.getStatusCode();
        if (s.unsubscribe()) {
            if (status >= 300) {
                end(d, SubscriptionAction.CANCEL);
            }
            return; // the terminated NOTIFY removes the dialog
        }
        if (status < 300) {
            ExpiresHeader eh = (ExpiresHeader) response.getHeader(ExpiresHeader.NAME);
            long seconds = eh != null ? eh.getExpires() : expires.toSeconds();
            String toTag = ((ToHeader) response.getHeader(ToHeader.NAME)).getTag();
            String target = DialogHeaders.contactUri(response);
            List<String> routes = DialogHeaders.routeSet(response, true);
            SubscriptionDialog established = dialogs.computeIfPresent(d.callId(), (k, cur) ->
                    (cur.remoteTag() != null ? cur : cur.established(toTag, target, routes)).expiringAt(clock.instant().plusSeconds(seconds)));
            if (established == null) {
                return;
            }
            scheduleRefresh(established, seconds);
            complete(d.callId(), new SubscriptionEvent(d.presentity(), d.watcher(), SubscriptionAction.APPROVE));
            // [MS-SIP] §4.3 ms-piggyback-first-notify: the 2xx may carry the first state, with the NOTIFY's body and type
            presence(response, established);
        } else if (status == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST || status == Response.REQUEST_TIMEOUT
                || status == Response.SERVICE_UNAVAILABLE || status == Response.SERVER_INTERNAL_ERROR) {
            resubscribeLater(d, "SUBSCRIBE answered " + status);
        } else {
            boolean told = complete(d.callId(), org.parley.sip.SipFailures.of(d.presentity(), d.watcher(), response, null));
            // whoever waited for the answer has the refusal, with its reason: the end is not reported a second time
            end(d, SubscriptionAction.DENY, !told, response);
        }
    }

    @Override
    public void onNoFinalResponse(ClientTransaction ct, boolean timedOut) {
        Sent s = sent.remove(ct);
        if (s == null) {
            return;
        }
        SubscriptionDialog d = dialogs.get(s.callId());
        if (d != null) {
            if (!s.unsubscribe()) {
                sip.route().markFailed(routeTarget(d));
                resubscribeLater(d, "no answer to SUBSCRIBE");
            } else {
                end(d, SubscriptionAction.CANCEL);
            }
        }
    }

    /** A NOTIFY in {@code st}, or Lync's BENOTIFY ({@code st} null: it gets no response), for one of our subscriptions. */
    public void onNotify(RequestEvent event, ServerTransaction st) {
        Request request = event.getRequest();
        String callId = ((javax.sip.header.CallIdHeader) request.getHeader("Call-ID")).getCallId();
        SubscriptionDialog d = dialogs.get(callId);
        if (st != null) {
            respond(st, request, d == null ? Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST : Response.OK);
        }
        if (d == null) {
            return;
        }
        if (d.remoteTag() == null) {
            String fromTag = ((FromHeader) request.getHeader(FromHeader.NAME)).getTag();
            String target = DialogHeaders.contactUri(request);
            List<String> routes = DialogHeaders.routeSet(request, false);
            SubscriptionDialog updated = dialogs.computeIfPresent(callId,
                    (k, cur) -> cur.remoteTag() != null ? cur : cur.established(fromTag, target, routes));
            if (updated == null) {
                return;
            }
            d = updated;
        }
        String state = DialogHeaders.headerValue(request, "Subscription-State");
        presence(request, d);
        if (state != null && state.toLowerCase(java.util.Locale.ROOT).startsWith("terminated")) {
            String reason = DialogHeaders.parameter(state, "reason");
            if (!callId.equals(callIdByPair.get(pair(d.watcher(), d.presentity())))) {
                end(d, SubscriptionAction.CANCEL); // we unsubscribed
            } else if (reason == null || reason.equals("deactivated") || reason.equals("timeout")) {
                resubscribeLater(d, "terminated;reason=" + reason);
            } else if (reason.equals("probation")) {
                resubscribeLater(d, "terminated;reason=probation");
            } else {
                end(d, SubscriptionAction.DENY, true, request); // rejected, noresource, giveup
            }
        }
    }

    /** The state a NOTIFY, or a 2xx with the first NOTIFY piggybacked, carries: to the dialog's watcher only. */
    private void presence(javax.sip.message.Message message, SubscriptionDialog d) {
        byte[] raw = message.getRawContent();
        if (raw == null || raw.length == 0) {
            return; // a pending NOTIFY, or a 2xx without the first state: nothing to tell yet
        }
        ContentTypeHeader ct = (ContentTypeHeader) message.getHeader(ContentTypeHeader.NAME);
        String type = ct == null ? null : ct.getContentType() + "/" + ct.getContentSubType();
        try {
            PresenceUpdate update = pkg.decode(type, new String(raw, java.nio.charset.StandardCharsets.UTF_8), d.presentity(),
                    lastState.get(d.callId()));
            lastState.put(d.callId(), update);
            inbound.onPresence(update.withTo(d.watcher()), org.parley.sip.transport.StrictMessageParserFactory.wireOf(message));
        } catch (MappingException e) {
            LOG.log(System.Logger.Level.WARNING, "unreadable presence body from " + d.presentity() + ": " + e.getMessage());
            if (message instanceof Request request) {
                try {
                    // answered as the NOTIFY was (the subscription and the last good state stay), but in the trace
                    tap.onRefused(org.parley.sip.SipRefusal.of(request, "BENOTIFY".equals(request.getMethod()) ? 0 : Response.OK,
                            "malformed-body: " + e.getMessage() + " (subscription and last state kept)"));
                } catch (RuntimeException bug) {
                    LOG.log(System.Logger.Level.ERROR, "failed to record an unreadable NOTIFY body", bug);
                }
            }
        }
    }

    // ------------------------------------------------------------------ internals

    private SubscriptionDialog newDialog(Address watcher, Address presentity) {
        List<HostPort> plan = sip.route().plan();
        HostPort target = plan.get(0);
        String route = "<" + sip.frontEndHop(target) + ">";
        String presentityUri = sip.addresses().formatSipUri(presentity.bare());
        Dialog dialog = new Dialog(UUID.randomUUID() + "@" + sip.config().computerFqdn(),
                Long.toHexString(ThreadLocalRandom.current().nextLong()), null,
                sip.addresses().formatSipUri(watcher.bare()), presentityUri, presentityUri, List.of(route), 0);
        return new SubscriptionDialog(dialog, clock.instant().plus(expires), null, watcher.bare(), presentity.bare());
    }

    private void send(SubscriptionDialog d, Duration expiry, boolean unsubscribe) {
        try {
            // reserve the CSeq atomically: refreshes (timer), unsubscribes (XMPP side) and responses race
            SubscriptionDialog reserved = dialogs.compute(d.callId(), (k, cur) -> (cur != null ? cur : d).nextCseq());
            Request r = subscribes.build(reserved, expiry);
            ClientTransaction ct = sip.newClientTransaction(r, this);
            sent.put(ct, new Sent(d.callId(), unsubscribe));
            ct.sendRequest();
            if (reserved.remoteTag() == null && !unsubscribe) {
                // the initial SUBSCRIBE carries the XMPP user's subscription request: the trace shows it as it went out
                tap.onSent(new SubscriptionEvent(d.watcher(), d.presentity(), SubscriptionAction.REQUEST), r.toString());
            }
        } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot send SUBSCRIBE for " + d.presentity() + ": " + e.getMessage());
            if (!unsubscribe) {
                sip.route().markFailed(routeTarget(d));
                resubscribeLater(d, "send failed");
            } else {
                end(d, SubscriptionAction.CANCEL);
            }
        }
    }

    private void scheduleRefresh(SubscriptionDialog d, long seconds) {
        // refresh at 80 % of the granted time (at least 5 s before expiry)
        long delay = Math.max(1, Math.min((long) (seconds * 0.8), seconds - 5));
        timers.schedule(() -> {
            SubscriptionDialog current = dialogs.get(d.callId());
            if (current != null && d.callId().equals(callIdByPair.get(pair(d.watcher(), d.presentity())))) {
                send(current, expires, false);
            }
        }, delay, TimeUnit.SECONDS);
    }

    private void resubscribeLater(SubscriptionDialog d, String why) {
        LOG.log(System.Logger.Level.INFO, "subscription of " + d.watcher() + " to " + d.presentity() + " lost (" + why
                + "); subscribing again in " + retryBackoff);
        dialogs.remove(d.callId());
        backingOff.add(d.callId());
        String pair = pair(d.watcher(), d.presentity());
        // Not an answer: whoever waits for the first answer keeps waiting — the front end has neither accepted nor
        // refused (a watcher told "unsubscribed" for an outage would lose the contact for good). The retry carries the
        // wait over; presence flows, and the answer comes, once the front end accepts.
        timers.schedule(() -> {
            backingOff.remove(d.callId());
            lastState.remove(d.callId());
            if (d.callId().equals(callIdByPair.get(pair))) {
                SubscriptionDialog fresh = newDialog(d.watcher(), d.presentity());
                CompletableFuture<GatewayEvent> waiting = firstAnswer.remove(d.callId());
                if (waiting != null) {
                    firstAnswer.put(fresh.callId(), waiting);
                }
                callIdByPair.put(pair, fresh.callId());
                send(fresh, expires, false);
            }
        }, retryBackoff.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void end(SubscriptionDialog d, SubscriptionAction action) {
        end(d, action, true, null);
    }

    /**
     * @param tell  whether the rest of Parley is told (it is not when it already has the answer that ended it)
     * @param cause the SIP message that ended it, as it arrived; null when time or Parley's side ended it
     */
    private void end(SubscriptionDialog d, SubscriptionAction action, boolean tell, javax.sip.message.Message cause) {
        dialogs.remove(d.callId());
        lastState.remove(d.callId());
        String pair = pair(d.watcher(), d.presentity());
        callIdByPair.remove(pair, d.callId());
        complete(d.callId(), new SubscriptionEvent(d.presentity(), d.watcher(), action));
        String now = callIdByPair.get(pair);
        if (tell && now == null) {
            // an old dialog ending after the pair subscribed again says nothing about the new one
            inbound.onSubscriptionEnded(new SubscriptionEvent(d.presentity(), d.watcher(), action), cause == null ? null : org.parley.sip.transport.StrictMessageParserFactory.wireOf(cause));
        }
    }

    /** Hands the first answer to whoever waits for it; returns whether somebody did. */
    private boolean complete(String callId, GatewayEvent event) {
        CompletableFuture<GatewayEvent> f = firstAnswer.remove(callId);
        return f != null && f.complete(event);
    }

    private HostPort routeTarget(SubscriptionDialog d) {
        String r = d.routeSet().isEmpty() ? "" : d.routeSet().get(0);
        for (HostPort t : sip.route().targets()) {
            if (r.contains(t.host() + ":" + t.port())) {
                return t;
            }
        }
        return sip.route().targets().get(0);
    }

    private void respond(ServerTransaction st, Request request, int status) {
        try {
            st.sendResponse(sip.messages().createResponse(status, request));
        } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not answer NOTIFY: " + e.getMessage());
        }
    }

    private static String pair(Address watcher, Address presentity) {
        return watcher.bare() + "|" + presentity.bare();
    }

}
