package org.parley.gateway.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.parley.gateway.store.RelationshipStore;
import org.parley.gateway.trace.TranslationRecord.Outcome;
import org.parley.gateway.trace.TranslationTrace;
import org.parley.presence.MappingException;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.model.Receipt;
import org.parley.presence.model.SubscriptionAction;
import org.parley.presence.model.SubscriptionEvent;
import org.parley.sip.SipInbound;
import org.parley.sip.SipRefusal;
import org.parley.sip.SipWireTap;
import org.parley.sip.subscription.WatcherDialogReplication;
import org.parley.xmpp.XmppInbound;
import org.parley.xmpp.XmppRefusal;

/**
 * Dispatches model events between the XMPP and SIP sides to the bridge whose job they are: {@link Admission} (rate
 * limits, cluster ownership), {@link MessageBridge} (IM, typing, receipts), {@link PresenceBridge} (presence per contact,
 * aggregated per resource), {@link LyncWatchers} and {@link XmppWatchers} (the authorization lifecycle of
 * {@link SubscriptionLifecycle}, one table per direction) and {@link HeldSubscriptions} (which member holds which SIP
 * subscription). No protocol code and no decisions of its own: it opens the trace and hands over.
 */
public final class Router implements XmppInbound, SipInbound, SipWireTap, WatcherDialogReplication {

    private static final System.Logger LOG = System.getLogger(Router.class.getName());
    /**
     * How old a PENDING XMPP→Lync request must be before it counts as stranded: far beyond the longest a SUBSCRIBE
     * can wait for its answer (the request timeout on each front end tried), so a request still in flight is never asked twice.
     */
    static final Duration STRANDED_REQUEST = Duration.ofMinutes(2);

    private final RoutingContext ctx;
    private final Admission admission;
    private final MessageBridge messages;
    private final PresenceBridge presence;
    private final LyncWatchers lyncWatchers;
    private final XmppWatchers xmppWatchers;
    private final HeldSubscriptions held;

    /** What one reconciliation did: subscriptions this member took over, and ones it gave up to their new owner. */
    public record Rehoming(int subscribed, int released, int held) {
    }

    public Router(AddressMapper mapper, RelationshipStore relationships, TranslationTrace trace, Clock clock) {
        this(mapper, relationships, trace, clock, WireForms.modelOnly());
    }

    /** @param wire how each side writes an event, for the trace's wire forms */
    public Router(AddressMapper mapper, RelationshipStore relationships, TranslationTrace trace, Clock clock, WireForms wire) {
        this(mapper, relationships, trace, clock, wire, PartnerRateLimits.OFF);
    }

    /** @param limits per-partner rate limits, applied to XMPP→SIP by the sender's domain and SIP→XMPP by the recipient's */
    public Router(AddressMapper mapper, RelationshipStore relationships, TranslationTrace trace, Clock clock, WireForms wire,
                  PartnerRateLimits limits) {
        this(mapper, relationships, trace, clock, wire, limits, Clustering.single());
    }

    /** @param clustering what this member shares with the other gateway members ({@link Clustering#single()}: none) */
    public Router(AddressMapper mapper, RelationshipStore relationships, TranslationTrace trace, Clock clock, WireForms wire,
                  PartnerRateLimits limits, Clustering clustering) {
        this(mapper, relationships, trace, clock, wire, limits, clustering, PartnerTypes.ALL_FEDERATED);
    }

    /** @param types Lync's XMPP partner types per partner domain */
    public Router(AddressMapper mapper, RelationshipStore relationships, TranslationTrace trace, Clock clock, WireForms wire,
                  PartnerRateLimits limits, Clustering clustering, PartnerTypes types) {
        this.ctx = new RoutingContext(new Readdressing(mapper), relationships, trace, clock, wire, clustering.presence(), clustering, new Sides());
        LifecycleSteps steps = new LifecycleSteps(ctx);
        this.admission = new Admission(ctx, limits, types);
        this.messages = new MessageBridge(ctx);
        this.presence = new PresenceBridge(ctx);
        this.held = new HeldSubscriptions(ctx);
        this.lyncWatchers = new LyncWatchers(ctx, steps, presence);
        this.xmppWatchers = new XmppWatchers(ctx, steps, presence, held);
    }

    /** Connects the two sides; called once at start-up, before either side delivers events. */
    public void connect(XmppSide xmppSide, SipSide sipSide) {
        ctx.sides().connect(xmppSide, sipSide);
    }

    /**
     * After a (re)start: re-establishes the SIP subscriptions of every active XMPP→Lync relationship this member owns,
     * and probes the XMPP user of every approved Lync watcher (RFC 6121 §4.3), so that Lync watchers get the current
     * state instead of offline. Returns the SIP subscriptions restored.
     */
    public int restoreSubscriptions() {
        int restored = reconcileSubscriptions().subscribed();
        int probed = lyncWatchers.start();
        if (probed > 0) {
            LOG.log(System.Logger.Level.INFO, probed + " XMPP users probed for their Lync watchers' current state");
        }
        return restored;
    }

    /** Makes the SIP subscriptions this member holds match what it owns now (see {@link HeldSubscriptions}). */
    public Rehoming reconcileSubscriptions() {
        return reconcileSubscriptions(ctx.clustering().ownership()::isLocal);
    }

    /** The same, deciding ownership with {@code owns} — in a cluster, one snapshot of the partition table. */
    public Rehoming reconcileSubscriptions(Predicate<String> owns) {
        return held.reconcile(owns, STRANDED_REQUEST, xmppWatchers::restore, r -> xmppWatchers.askAgain(r, STRANDED_REQUEST));
    }

    /** How many XMPP-side events this member handed to the member owning them. */
    public long forwarded() {
        return admission.forwarded();
    }

    /** How many XMPP→Lync SIP subscriptions this member holds. */
    public int heldSubscriptions() {
        return held.size();
    }

    /** Drain of one cluster member: its SIP subscriptions end without telling the XMPP watchers; their new owners subscribe. */
    public int handOver() {
        return held.handOver();
    }

    /** Shutdown of a single gateway: XMPP watchers are told unavailable and the SIP subscriptions behind them end. */
    public int goingAway() {
        return xmppWatchers.goingAway();
    }

    // ================================================================ from XMPP

    @Override
    public void onEvent(GatewayEvent event) {
        onEvent(event, null);
    }

    @Override
    public void onEvent(GatewayEvent event, String rawStanza) {
        admission.fromXmpp(event, rawStanza, this::fromXmpp);
    }

    /**
     * An XMPP-side event another member received and handed to this one, its owner (already rate-limited there).
     * Completes once it is handled — for an IM, once the SIP side answered and the sender was told — so that the
     * member that received it can handle it itself if this one dies first: at least once, never lost.
     */
    public CompletionStage<Void> onForwarded(GatewayEvent event, String rawStanza) {
        return fromXmpp(event, rawStanza, "received by another member, handled by its owner");
    }

    private CompletionStage<Void> fromXmpp(GatewayEvent event, String rawStanza, String note) {
        TranslationTrace.Translation t = ctx.trace().begin(RoutingContext.TO_SIP, event).inputWire(rawStanza, ctx.wire().xmpp());
        if (note != null) {
            t.decision(note);
        }
        try {
            if (event instanceof ChatMessage m) {
                return messages.toSip(m, t);
            } else if (event instanceof ChatStateChange c) {
                messages.chatStateToSip(c, t);
            } else if (event instanceof SubscriptionEvent s) {
                if (s.action() == SubscriptionAction.APPROVE || s.action() == SubscriptionAction.DENY) {
                    lyncWatchers.onXmppAnswer(s, t);
                } else {
                    xmppWatchers.onXmpp(s, t);
                }
            } else if (event instanceof PresenceUpdate p) {
                presence.fromXmpp(p, t);
            } else if (event instanceof Receipt) {
                t.decision("XMPP receipts end at the gateway: the SIP MESSAGE was already answered").done(Outcome.DELIVERED, null);
            } else if (event instanceof GatewayError g) {
                t.decision("an XMPP error for a stanza Parley relayed; the SIP transaction is already answered")
                        .done(Outcome.REJECTED, g.condition() + (g.text() == null ? "" : ": " + g.text()));
            }
        } catch (MappingException e) {
            Admission.answerXmpp(ctx, event, e.reason().condition(), e.getMessage(), t);
        } catch (RuntimeException bug) {
            // the event's kind and addresses, never its body: logs are not the redacted trace
            LOG.log(System.Logger.Level.ERROR, "routing failed for " + event.getClass().getSimpleName() + " from " + event.from()
                    + " to " + event.to(), bug);
            Admission.answerXmpp(ctx, event, ErrorCondition.INTERNAL_SERVER_ERROR, "gateway error", t);
        }
        return CompletableFuture.completedFuture(null);
    }

    // ================================================================ from SIP

    @Override
    public void onSent(GatewayEvent cause, String wire) {
        ctx.trace().sent(cause, wire);
    }

    @Override
    public void onRefused(SipRefusal r) {
        ctx.trace().refusal(RoutingContext.TO_XMPP, "sip-request", r.from(), r.to(), r.callId(), r.raw(), true, r.answer(), r.reason());
    }

    @Override
    public void onRefused(XmppRefusal r) {
        ctx.trace().refusal(RoutingContext.TO_SIP, r.kind(), r.from(), r.to(), r.id(), r.raw(), false, r.answer(),
                r.condition() + ": " + r.text());
    }

    @Override
    public void onKeepAlive(String target, int status, long latencyMicros) {
        ctx.trace().keepAlive(RoutingContext.TO_SIP, "Parley", "sip:" + target, "OPTIONS sip:" + target + " SIP/2.0",
                status == 0 ? null : "SIP/2.0 " + status, latencyMicros);
    }

    /** @param wire the SIP message the event was read from, as it arrived; null: rendered from the model */
    private TranslationTrace.Translation fromSip(GatewayEvent in, String wire) {
        return ctx.trace().begin(RoutingContext.TO_XMPP, in).inputSipWire(wire);
    }

    @Override
    public CompletionStage<GatewayEvent> onMessage(ChatMessage message) {
        return onMessage(message, null);
    }

    @Override
    public CompletionStage<GatewayEvent> onMessage(ChatMessage message, String wire) {
        TranslationTrace.Translation t = fromSip(message, wire);
        CompletionStage<GatewayEvent> refused = admission.overLimit(message, t);
        return refused != null ? refused : messages.fromSip(message, t);
    }

    @Override
    public CompletionStage<GatewayEvent> onSubscribe(SubscriptionEvent request) {
        return onSubscribe(request, null);
    }

    @Override
    public CompletionStage<GatewayEvent> onSubscribe(SubscriptionEvent request, String wire) {
        TranslationTrace.Translation t = fromSip(request, wire);
        try {
            return lyncWatchers.onSubscribe(request, t);
        } catch (MappingException e) {
            t.done(Outcome.REJECTED, e.getMessage());
            return CompletableFuture.completedFuture(new GatewayError(request.to(), request.from(), e.reason().condition(), null,
                    e.reason().sipStatus(), e.getMessage(), null, null));
        }
    }

    @Override
    public void onUnsubscribe(SubscriptionEvent event) {
        onUnsubscribe(event, null);
    }

    @Override
    public void onUnsubscribe(SubscriptionEvent event, String wire) {
        TranslationTrace.Translation t = fromSip(event, wire);
        try {
            lyncWatchers.onSipUnsubscribe(event, t);
        } catch (MappingException e) {
            t.done(Outcome.REJECTED, e.getMessage());
        }
    }

    @Override
    public void onPresence(PresenceUpdate update) {
        onPresence(update, null);
    }

    @Override
    public void onPresence(PresenceUpdate update, String wire) {
        presence.fromSip(update, fromSip(update, wire));
    }

    @Override
    public void onSubscriptionEnded(SubscriptionEvent event) {
        onSubscriptionEnded(event, null);
    }

    @Override
    public void onSubscriptionEnded(SubscriptionEvent event, String wire) {
        if (event.action() == SubscriptionAction.CANCEL) {
            return; // Parley ended it itself (XMPP unsubscribe, hand-over): nothing to tell
        }
        TranslationTrace.Translation t = fromSip(event, wire);
        try {
            xmppWatchers.onSipEnded(event, t);
        } catch (MappingException e) {
            t.done(Outcome.REJECTED, e.getMessage());
        }
    }

    @Override
    public void onWatcherDialog(org.parley.sip.subscription.SubscriptionDialog dialog, boolean benotify) {
        ctx.clustering().watcherDialogs().held(dialog, benotify);
    }

    @Override
    public void onWatcherDialogEnded(String callId) {
        ctx.clustering().watcherDialogs().ended(callId);
    }

    @Override
    public void onChatState(ChatStateChange change) {
        onChatState(change, null);
    }

    @Override
    public void onChatState(ChatStateChange change, String wire) {
        TranslationTrace.Translation t = fromSip(change, wire);
        try {
            GatewayEvent out = ctx.addresses().toXmpp(change);
            t.output(out, ctx.wire().xmpp());
            ctx.sides().xmpp().send(out).thenAccept(outcome -> t.done(outcome instanceof GatewayError ? Outcome.FAILED : Outcome.DELIVERED,
                    outcome instanceof GatewayError g ? g.condition() + ": " + g.text() : null));
        } catch (MappingException e) {
            t.done(Outcome.REJECTED, e.getMessage());
        }
    }
}
