package org.parley.gateway.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.parley.gateway.store.RelationshipStore;
import org.parley.gateway.store.RelationshipStore.Direction;
import org.parley.gateway.store.RelationshipStore.Relationship;
import org.parley.gateway.store.RelationshipStore.State;
import org.parley.gateway.trace.TranslationRecord.Outcome;
import org.parley.gateway.trace.TranslationTrace;
import org.parley.presence.MappingException;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.Availability;
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
import org.parley.xmpp.XmppInbound;
import org.parley.xmpp.XmppRefusal;

/**
 * Dispatches model events between the XMPP and SIP sides (RFC 7247 addresses, RFC 7248
 * subscriptions, RFC 7572 IM). No protocol code: the modules translate wire formats, the router
 * decides where an event goes, keeps the durable relationships, and answers every event — an IM
 * the other side refuses comes back to its sender as an error with the reason.
 *
 * <p>Relationships: an XMPP user subscribing to a Lync user becomes a SIP subscription
 * (XMPP_WATCHES_SIP, ACTIVE once the front end accepts); a Lync user's SUBSCRIBE becomes an XMPP
 * subscribe on the Lync user's behalf (SIP_WATCHES_XMPP, ACTIVE once the XMPP user approves; the
 * SIP watcher sees the XMPP user's presence from then on). SIP refreshes never reach the router.
 */
public final class Router implements XmppInbound, SipInbound {

    private static final System.Logger LOG = System.getLogger(Router.class.getName());
    private static final String TO_SIP = "xmpp→sip";
    private static final String TO_XMPP = "sip→xmpp";
    /**
     * How old a PENDING XMPP→Lync request must be before it counts as stranded: far beyond the longest a SUBSCRIBE
     * can wait for its answer (the request timeout on each front end tried), so a request still in flight is never asked twice.
     */
    static final Duration STRANDED_REQUEST = Duration.ofMinutes(2);

    private final Readdressing addresses;
    private final RelationshipStore relationships;
    private final TranslationTrace trace;
    private final Clock clock;
    private final WireForms wire;
    private final PresenceBook presence;
    private final Clustering clustering;
    private final java.util.concurrent.atomic.AtomicLong forwarded = new java.util.concurrent.atomic.AtomicLong();
    /** XMPP_WATCHES_SIP relationships whose SIP subscription this member holds or is establishing, by relationship key. */
    private final java.util.Map<String, Pair> held = new java.util.concurrent.ConcurrentHashMap<>();

    /** The XMPP watcher and the Lync presentity of a held subscription (user@domain, as stored). */
    private record Pair(String watcher, String presentity) {
    }
    /** The SIP request being handled on this thread (the sip module calls onRequestWire, then the handler, on one thread). */
    private final ThreadLocal<String> sipRequest = new ThreadLocal<>();
    private volatile XmppSide xmpp;
    private volatile SipSide sip;

    private final PartnerRateLimits limits;

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
        this.clustering = clustering;
        this.presence = clustering.presence();
        this.limits = limits;
        this.wire = wire;
        this.addresses = new Readdressing(mapper);
        this.relationships = relationships;
        this.trace = trace;
        this.clock = clock;
    }

    /** Connects the two sides; called once at start-up, before either side delivers events. */
    public void connect(XmppSide xmppSide, SipSide sipSide) {
        this.xmpp = xmppSide;
        this.sip = sipSide;
    }

    /**
     * After a restart: re-establishes the SIP subscriptions of every active XMPP_WATCHES_SIP
     * relationship this member owns (the XMPP side re-probes by itself when its users come online).
     */
    public int restoreSubscriptions() {
        return reconcileSubscriptions().subscribed();
    }

    /** What one reconciliation did: subscriptions this member took over, and ones it gave up to their new owner. */
    public record Rehoming(int subscribed, int released, int held) {
    }

    /**
     * Makes the SIP subscriptions this member holds match what it owns: subscribes (new dialogs) for every
     * active XMPP_WATCHES_SIP relationship it owns and does not hold — after a restart, or when a member died
     * and its relationships were re-homed here — and ends the ones another member now owns (a member joined).
     * The store is the source of truth; the first NOTIFY of each new subscription tells the XMPP watcher
     * the presence again.
     */
    public Rehoming reconcileSubscriptions() {
        return reconcileSubscriptions(clustering.ownership()::isLocal);
    }

    /**
     * The same, deciding ownership with {@code owns} — in a cluster, one snapshot of the partition table. Asking
     * the live table key by key let a partition that moved here and on again during a round leave this member
     * holding a subscription it no longer owned, with nothing to tell the next round to look (two dialogs for
     * one relationship until the minute's full check).
     */
    public synchronized Rehoming reconcileSubscriptions(java.util.function.Predicate<String> owns) {
        java.util.Map<String, Relationship> owned = new java.util.HashMap<>();
        java.util.Set<String> pending = new java.util.HashSet<>();
        List<Relationship> stranded = new ArrayList<>();
        java.time.Instant strandedBefore = clock.instant().minus(STRANDED_REQUEST);
        for (Relationship r : relationships.all()) {
            if (r.direction() != Direction.XMPP_WATCHES_SIP) {
                continue;
            }
            String key = Ownership.relationship(r.watcher(), r.presentity());
            if (r.state() == State.PENDING) {
                pending.add(key); // its SUBSCRIBE is in flight here: it moves once answered (ACTIVE), not before
                if (owns.test(key) && !held.containsKey(key) && r.updated().isBefore(strandedBefore)) {
                    stranded.add(r);
                }
            } else if (owns.test(key)) {
                owned.put(key, r);
            }
        }
        int subscribed = 0;
        for (var e : owned.entrySet()) {
            if (held.putIfAbsent(e.getKey(), new Pair(e.getValue().watcher(), e.getValue().presentity())) == null) {
                try {
                    sip.subscribe(addresses.sip(parse(e.getValue().watcher(), Address.Scheme.XMPP)),
                            addresses.sip(parse(e.getValue().presentity(), Address.Scheme.XMPP)));
                    subscribed++;
                } catch (MappingException | RuntimeException ex) {
                    held.remove(e.getKey());
                    LOG.log(System.Logger.Level.WARNING, "cannot restore " + e.getValue().watcher() + " → " + e.getValue().presentity()
                            + ": " + ex.getMessage());
                }
            }
        }
        for (Relationship r : stranded) {
            if (askAgain(r)) {
                subscribed++;
            }
        }
        int released = 0;
        for (String key : java.util.List.copyOf(held.keySet())) {
            // another member owns it now and subscribes itself; this member's dialog ends
            if (!owned.containsKey(key) && !pending.contains(key) && !owns.test(key) && release(key)) {
                released++;
            }
        }
        return new Rehoming(subscribed, released, held.size());
    }

    /**
     * A subscription request whose SUBSCRIBE no member is waiting for — it was in flight on a member that died, or
     * before a restart — would stay PENDING for good, the XMPP user's request never answered: it is made again, as
     * if the user had just sent it (the answer approves or refuses it as usual).
     */
    private boolean askAgain(Relationship r) {
        SubscriptionEvent again = new SubscriptionEvent(parse(r.watcher(), Address.Scheme.XMPP), parse(r.presentity(), Address.Scheme.XMPP),
                SubscriptionAction.REQUEST);
        TranslationTrace.Translation t = trace.begin(TO_SIP, again)
                .decision("the request was still unanswered " + STRANDED_REQUEST.toMinutes() + " min after it was made and no member is waiting for"
                        + " its answer (a member left or the gateway restarted): asked again");
        try {
            subscriptionFromXmpp(again, t);
            return true;
        } catch (MappingException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot ask again " + r.watcher() + " → " + r.presentity() + ": " + e.getMessage());
            t.done(Outcome.FAILED, e.getMessage());
            return false;
        }
    }

    /** How many XMPP-side events this member handed to the member owning them. */
    public long forwarded() {
        return forwarded.get();
    }

    /** How many XMPP_WATCHES_SIP subscriptions this member holds. */
    public int heldSubscriptions() {
        return held.size();
    }

    /**
     * Drain of one member of a cluster: its SIP subscriptions end (Expires: 0) without telling the XMPP watchers
     * anything — the members that own the relationships now subscribe again and presence goes on.
     */
    public int handOver() {
        int n = 0;
        for (String key : java.util.List.copyOf(held.keySet())) {
            if (release(key)) {
                n++;
            }
        }
        return n;
    }

    /** Ends this member's SIP subscription of one held relationship (Expires: 0); the relationship stays in the store. */
    private boolean release(String key) {
        Pair pair = held.remove(key);
        if (pair == null) {
            return false;
        }
        try {
            sip.unsubscribe(addresses.sip(parse(pair.watcher(), Address.Scheme.XMPP)), addresses.sip(parse(pair.presentity(), Address.Scheme.XMPP)));
            return true;
        } catch (MappingException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot release " + key + ": " + e.getMessage());
            return false;
        }
    }

    /**
     * Shutdown: every XMPP watcher of a Lync user gets unavailable presence (Parley will no longer
     * tell them anything) and the SIP subscription behind it ends with Expires: 0. The relationships
     * stay in the store: the next start subscribes again.
     */
    public int goingAway() {
        int n = 0;
        for (Relationship r : relationships.all()) {
            if (r.direction() != Direction.XMPP_WATCHES_SIP || r.state() != State.ACTIVE) {
                continue;
            }
            try {
                Address watcher = parse(r.watcher(), Address.Scheme.XMPP);
                Address lyncUser = parse(r.presentity(), Address.Scheme.XMPP);
                send(PresenceUpdate.of(lyncUser, Availability.OFFLINE).withTo(watcher));
                sip.unsubscribe(addresses.sip(watcher), addresses.sip(lyncUser));
                n++;
            } catch (MappingException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot end " + r.watcher() + " → " + r.presentity() + " cleanly: " + e.getMessage());
            }
        }
        return n;
    }

    // ================================================================ from XMPP

    @Override
    public void onEvent(GatewayEvent event) {
        onEvent(event, null);
    }

    @Override
    public void onEvent(GatewayEvent event, String rawStanza) {
        if (!(event instanceof GatewayError) && !limits.tryAcquire(event.from().domain())) {
            TranslationTrace.Translation t = trace.begin(TO_SIP, event).inputWire(rawStanza, wire.xmpp());
            answerXmpp(event, ErrorCondition.RESOURCE_CONSTRAINT, event.from().domain() + " is over its limit of "
                    + (long) limits.perSecond() + " stanzas a second; try again shortly", t);
            return;
        }
        String key = ownerKey(event);
        if (key != null && !clustering.ownership().isLocal(key)) {
            forwarded.incrementAndGet();
            clustering.ownership().forward(key, event, rawStanza).whenComplete((taken, failure) -> {
                if (!Boolean.TRUE.equals(taken)) {
                    fromXmpp(event, rawStanza, "the owner (" + clustering.ownership().ownerOf(key) + ") could not take it: handled here");
                }
            });
            return;
        }
        fromXmpp(event, rawStanza, null);
    }

    /**
     * An XMPP-side event another member received and handed to this one, its owner (already rate-limited there).
     * Completes once it is handled — for an IM, once the SIP side answered and the sender was told — so that the
     * member that received it can handle it itself if this one dies first: at least once, never lost.
     */
    public CompletionStage<Void> onForwarded(GatewayEvent event, String rawStanza) {
        return fromXmpp(event, rawStanza, "received by another member, handled by its owner");
    }

    /**
     * The member that must handle an XMPP-side event: a subscription's owner holds its SIP dialog; a
     * conversation's owner holds its Lync IM session. Presence fans out to every member (each holds some
     * SIP watchers' dialogs), so it has none.
     */
    private static String ownerKey(GatewayEvent event) {
        if (event instanceof SubscriptionEvent s && (s.action() == SubscriptionAction.REQUEST || s.action() == SubscriptionAction.CANCEL
                || s.action() == SubscriptionAction.PROBE)) {
            return Ownership.relationship(s.from().userAtDomain(), s.to().userAtDomain());
        }
        if (event instanceof ChatMessage || event instanceof ChatStateChange) {
            return Ownership.conversation(event.from().userAtDomain(), event.to().userAtDomain());
        }
        return null;
    }

    private CompletionStage<Void> fromXmpp(GatewayEvent event, String rawStanza, String clusterNote) {
        TranslationTrace.Translation t = trace.begin(TO_SIP, event).inputWire(rawStanza, wire.xmpp());
        if (clusterNote != null) {
            t.decision(clusterNote);
        }
        try {
            if (event instanceof ChatMessage m) {
                return messageToSip(m, t);
            } else if (event instanceof ChatStateChange c) {
                ChatStateChange out = (ChatStateChange) addresses.toSip(c);
                sip.sendChatState(out);
                t.output(out, wire.sip()).done(Outcome.DELIVERED, null);
            } else if (event instanceof SubscriptionEvent s) {
                subscriptionFromXmpp(s, t);
            } else if (event instanceof PresenceUpdate p) {
                presenceFromXmpp(p, t);
            } else if (event instanceof Receipt) {
                t.decision("XMPP receipts end at the gateway: the SIP MESSAGE was already answered").done(Outcome.DELIVERED, null);
            } else if (event instanceof GatewayError g) {
                t.decision("an XMPP error for a message Parley relayed; the SIP transaction is already answered")
                        .done(Outcome.REJECTED, g.condition() + (g.text() == null ? "" : ": " + g.text()));
            }
        } catch (MappingException e) {
            answerXmpp(event, e.reason().condition(), e.getMessage(), t);
        } catch (RuntimeException bug) {
            LOG.log(System.Logger.Level.ERROR, "routing failed for " + event, bug);
            answerXmpp(event, ErrorCondition.INTERNAL_SERVER_ERROR, "gateway error", t);
        }
        return CompletableFuture.completedFuture(null);
    }

    private CompletionStage<Void> messageToSip(ChatMessage m, TranslationTrace.Translation t) throws MappingException {
        ChatMessage out = (ChatMessage) addresses.toSip(m);
        t.output(out, wire.sip()).decision("RFC 7572: XMPP " + m.kind().name().toLowerCase(java.util.Locale.ROOT) + " message → SIP instant message to " + out.to());
        return sip.sendMessage(out).handle((outcome, failure) -> {
            if (outcome instanceof Receipt) {
                if (m.receiptRequested()) {
                    send(new Receipt(m.to().bare(), m.from(), m.id()));
                    t.decision("XEP-0184 receipt from the SIP 2xx");
                }
                t.done(Outcome.DELIVERED, null);
            } else if (outcome instanceof GatewayError g) {
                GatewayError back = new GatewayError(m.to(), m.from(), g.condition(), g.type(), g.sipStatus(), reasonText(g), g.diagnostics(), m.id());
                send(back);
                t.output(back, wire.xmpp()).done(Outcome.REJECTED, "SIP " + g.sipStatus() + " " + g.condition());
            } else {
                answerXmpp(m, ErrorCondition.INTERNAL_SERVER_ERROR, failure == null ? "no answer" : failure.getMessage(), t);
            }
            return null;
        });
    }

    /** The ms-diagnostics reason, when the front end gave one, is what an operator needs to read. */
    private static String reasonText(GatewayError g) {
        if (g.diagnostics() != null && g.diagnostics().reason() != null) {
            return g.diagnostics().reason() + (g.text() != null ? " (" + g.text() + ")" : "");
        }
        return g.text();
    }

    private void subscriptionFromXmpp(SubscriptionEvent s, TranslationTrace.Translation t) throws MappingException {
        String xmppUser = s.from().userAtDomain();
        String lyncUser = s.to().userAtDomain();
        Address watcherSip = addresses.sip(s.from().bare());
        Address presentitySip = addresses.sip(s.to().bare());
        switch (s.action()) {
            case REQUEST -> {
                String key = Ownership.relationship(xmppUser, lyncUser);
                held.put(key, new Pair(xmppUser, lyncUser));
                relationships.put(new Relationship(xmppUser, lyncUser, Direction.XMPP_WATCHES_SIP, State.PENDING, clock.instant()));
                t.decision("XMPP subscribe → SIP SUBSCRIBE " + watcherSip + " → " + presentitySip);
                sip.subscribe(watcherSip, presentitySip).whenComplete((answer, failure) -> {
                    if (answer instanceof SubscriptionEvent se && se.action() == SubscriptionAction.CANCEL) {
                        // ended by Parley before the front end answered (the user unsubscribed, or a drain handed it
                        // over): not a refusal, so the XMPP user is not told "unsubscribed"
                        t.decision("the subscription ended before the front end answered").done(Outcome.DELIVERED, null);
                        return;
                    }
                    if (answer instanceof SubscriptionEvent se && se.action() == SubscriptionAction.APPROVE) {
                        relationships.put(new Relationship(xmppUser, lyncUser, Direction.XMPP_WATCHES_SIP, State.ACTIVE, clock.instant()));
                        SubscriptionEvent approved = new SubscriptionEvent(s.to().bare(), s.from().bare(), SubscriptionAction.APPROVE);
                        send(approved);
                        t.output(approved, wire.xmpp());
                        presence.get(s.to()).ifPresent(p -> send(p.withTo(s.from().bare())));
                        t.done(Outcome.DELIVERED, null);
                    } else {
                        held.remove(key);
                        relationships.remove(xmppUser, lyncUser);
                        SubscriptionEvent denied = new SubscriptionEvent(s.to().bare(), s.from().bare(), SubscriptionAction.DENY);
                        send(denied);
                        t.output(denied, wire.xmpp()).done(Outcome.REJECTED, answer instanceof GatewayError g ? "SIP " + g.sipStatus() + " " + g.condition()
                                : "no answer from the front end");
                    }
                });
            }
            case CANCEL -> {
                held.remove(Ownership.relationship(xmppUser, lyncUser));
                relationships.remove(xmppUser, lyncUser);
                sip.unsubscribe(watcherSip, presentitySip);
                t.decision("XMPP unsubscribe → SUBSCRIBE Expires: 0").done(Outcome.DELIVERED, null);
            }
            case APPROVE -> {
                // the XMPP user accepts a Lync watcher (whose SUBSCRIBE Parley turned into an XMPP subscribe)
                relationships.put(new Relationship(lyncUser, xmppUser, Direction.SIP_WATCHES_XMPP, State.ACTIVE, clock.instant()));
                // only the approved watcher needs the current state: re-notifying every watcher of this user
                // on each approval made N approvals cost N² NOTIFYs (found by the S3 fan-out load run)
                Address lyncWatcher = addresses.sip(s.to().bare());
                presence.get(s.from()).ifPresent(p -> publishToOneWatcher(p, lyncWatcher, t));
                t.decision("XMPP subscribed → the Lync watcher now gets " + xmppUser + "'s presence").done(Outcome.DELIVERED, null);
            }
            case DENY -> {
                relationships.remove(lyncUser, xmppUser);
                publishToSip(PresenceUpdate.of(s.from().bare(), Availability.OFFLINE), t);
                t.decision("XMPP unsubscribed → the Lync watcher sees the XMPP user offline").done(Outcome.DELIVERED, null);
            }
            case PROBE -> {
                boolean watching = relationships.find(xmppUser, lyncUser).map(r -> r.state() == State.ACTIVE).orElse(false);
                GatewayEvent answer = watching
                        ? presence.get(s.to()).map(p -> (GatewayEvent) p.withTo(s.from()))
                                .orElse(PresenceUpdate.of(s.to().bare(), Availability.OFFLINE).withTo(s.from()))
                        : new SubscriptionEvent(s.to().bare(), s.from().bare(), SubscriptionAction.DENY);
                send(answer);
                t.output(answer, wire.xmpp()).decision(watching ? "probe answered from the latest NOTIFY" : "probe from a non-subscriber → unsubscribed")
                        .done(Outcome.DELIVERED, null);
            }
        }
    }

    private void presenceFromXmpp(PresenceUpdate p, TranslationTrace.Translation t) throws MappingException {
        PresenceUpdate bare = p.withFrom(p.from().bare());
        presence.put(bare);
        publishToSip(bare, t);
        t.done(Outcome.DELIVERED, null);
    }

    private void publishToOneWatcher(PresenceUpdate p, Address watcher, TranslationTrace.Translation t) {
        try {
            PresenceUpdate out = ((PresenceUpdate) addresses.toSip(p)).withTo(null);
            sip.publishTo(out, watcher);
            t.output(out.withTo(watcher), wire.sip());
        } catch (MappingException e) {
            t.decision("presence of " + p.from() + " cannot be expressed in SIP: " + e.getMessage());
        }
    }

    private void publishToSip(PresenceUpdate p, TranslationTrace.Translation t) {
        try {
            PresenceUpdate out = ((PresenceUpdate) addresses.toSip(p)).withTo(null);
            sip.publish(out);
            t.output(out, wire.sip());
        } catch (MappingException e) {
            t.decision("presence of " + p.from() + " cannot be expressed in SIP: " + e.getMessage());
        }
    }

    // ================================================================ from SIP

    @Override
    public void onRequestWire(String rawRequest) {
        if (rawRequest == null) {
            sipRequest.remove();
        } else {
            sipRequest.set(rawRequest);
        }
    }

    @Override
    public void onRefused(SipRefusal r) {
        trace.refusal(TO_XMPP, "sip-request", r.from(), r.to(), r.callId(), r.raw(), true, r.answer(),
                r.reason());
    }

    @Override
    public void onRefused(XmppRefusal r) {
        trace.refusal(TO_SIP, r.kind(), r.from(), r.to(), r.id(), r.raw(), false, r.answer(), r.condition() + ": " + r.text());
    }

    @Override
    public void onKeepAlive(String target, int status, long latencyMicros) {
        trace.keepAlive("xmpp→sip", "Parley", "sip:" + target, "OPTIONS sip:" + target + " SIP/2.0",
                status == 0 ? null : "SIP/2.0 " + status, latencyMicros);
    }

    private String takeSipRequest() {
        String raw = sipRequest.get();
        sipRequest.remove();
        return raw;
    }

    @Override
    public CompletionStage<GatewayEvent> onMessage(ChatMessage message) {
        TranslationTrace.Translation t = trace.begin(TO_XMPP, message).inputSipWire(takeSipRequest(), wire.sip());
        if (!limits.tryAcquire(message.to().domain())) {
            String why = message.to().domain() + " is over its limit of " + (long) limits.perSecond() + " messages a second";
            t.done(Outcome.REJECTED, ErrorCondition.RESOURCE_CONSTRAINT + ": " + why);
            // 503 (with Retry-After from the SIP side): the front end may try again, unlike the table's 500
            return CompletableFuture.completedFuture(new GatewayError(message.to(), message.from(), ErrorCondition.RESOURCE_CONSTRAINT, null,
                    503, why, null, message.id()));
        }
        try {
            ChatMessage out = (ChatMessage) addresses.toXmpp(message);
            t.output(out, wire.xmpp()).decision("RFC 7572: SIP instant message → XMPP chat message to " + out.to());
            CompletableFuture<GatewayEvent> sent = xmpp.send(out);
            // the trace closes on the XMPP outcome itself: the SIP side may stop waiting first (its own timeout)
            sent.whenComplete((outcome, failure) -> {
                if (outcome instanceof GatewayError g) {
                    t.done(Outcome.REJECTED, g.condition() + ": " + g.text());
                } else if (outcome != null) {
                    t.done(Outcome.DELIVERED, null);
                } else {
                    t.done(Outcome.FAILED, failure == null ? "no outcome" : failure.getMessage());
                }
            });
            return sent.thenApply(outcome -> outcome instanceof GatewayError g
                    ? new GatewayError(message.to(), message.from(), g.condition(), g.type(), g.sipStatus(), g.text(), null, message.id())
                    : new Receipt(message.to(), message.from(), message.id()));
        } catch (MappingException e) {
            t.done(Outcome.REJECTED, e.getMessage());
            return CompletableFuture.completedFuture(new GatewayError(message.to(), message.from(), e.reason().condition(), null,
                    e.reason().sipStatus(), e.getMessage(), null, message.id()));
        }
    }

    @Override
    public CompletionStage<GatewayEvent> onSubscribe(SubscriptionEvent request) {
        TranslationTrace.Translation t = trace.begin(TO_XMPP, request).inputSipWire(takeSipRequest(), wire.sip());
        try {
            Address lyncWatcher = addresses.xmpp(request.from().bare());
            Address xmppUser = addresses.xmpp(request.to().bare());
            Relationship r = relationships.find(lyncWatcher.userAtDomain(), xmppUser.userAtDomain()).orElse(null);
            if (r == null || r.state() != State.ACTIVE) {
                relationships.put(new Relationship(lyncWatcher.userAtDomain(), xmppUser.userAtDomain(), Direction.SIP_WATCHES_XMPP,
                        State.PENDING, clock.instant()));
                SubscriptionEvent ask = new SubscriptionEvent(lyncWatcher, xmppUser, SubscriptionAction.REQUEST);
                send(ask);
                t.output(ask, wire.xmpp()).decision("SIP SUBSCRIBE → XMPP subscribe on the Lync user's behalf; offline until approved");
                t.done(Outcome.DELIVERED, null);
                return CompletableFuture.completedFuture(PresenceUpdate.of(request.to().bare(), Availability.OFFLINE));
            }
            PresenceUpdate current = presence.get(xmppUser).map(p -> {
                try {
                    return (PresenceUpdate) addresses.toSip(p);
                } catch (MappingException e) {
                    return null;
                }
            }).orElse(null);
            t.decision("already approved: first NOTIFY from the latest presence").done(Outcome.DELIVERED, null);
            return CompletableFuture.completedFuture(current != null ? current.withTo(null)
                    : PresenceUpdate.of(request.to().bare(), Availability.OFFLINE));
        } catch (MappingException e) {
            t.done(Outcome.REJECTED, e.getMessage());
            return CompletableFuture.completedFuture(new GatewayError(request.to(), request.from(), e.reason().condition(), null,
                    e.reason().sipStatus(), e.getMessage(), null, null));
        }
    }

    @Override
    public void onUnsubscribe(SubscriptionEvent event) {
        // RFC 7248 §4.3: a SIP unsubscription is an XMPP unsubscribe; the relationship ends
        route(event, () -> {
            Address lyncWatcher = addresses.xmpp(event.from().bare());
            Address xmppUser = addresses.xmpp(event.to().bare());
            relationships.remove(lyncWatcher.userAtDomain(), xmppUser.userAtDomain());
            return new SubscriptionEvent(lyncWatcher, xmppUser, SubscriptionAction.CANCEL);
        });
    }

    @Override
    public void onPresence(PresenceUpdate update) {
        route(update, () -> {
            PresenceUpdate out = (PresenceUpdate) addresses.toXmpp(update);
            presence.put(out.withFrom(out.from().bare()).withTo(null));
            return out;
        });
    }

    @Override
    public void onSubscriptionEnded(SubscriptionEvent event) {
        if (event.action() == SubscriptionAction.CANCEL) {
            return; // Parley ended it itself (XMPP unsubscribe): nothing to tell
        }
        route(event, () -> {
            Address lyncUser = addresses.xmpp(event.from().bare());
            Address xmppWatcher = addresses.xmpp(event.to().bare());
            held.remove(Ownership.relationship(xmppWatcher.userAtDomain(), lyncUser.userAtDomain()));
            relationships.remove(xmppWatcher.userAtDomain(), lyncUser.userAtDomain());
            return new SubscriptionEvent(lyncUser, xmppWatcher, SubscriptionAction.DENY);
        });
    }

    @Override
    public void onWatcherDialog(org.parley.sip.subscription.SubscriptionDialog dialog, boolean benotify) {
        clustering.watcherDialogs().held(dialog, benotify);
    }

    @Override
    public void onWatcherDialogEnded(String callId) {
        clustering.watcherDialogs().ended(callId);
    }

    @Override
    public void onChatState(ChatStateChange change) {
        route(change, () -> addresses.toXmpp(change));
    }

    private interface Translation {
        GatewayEvent toXmpp() throws MappingException;
    }

    private void route(GatewayEvent in, Translation translation) {
        TranslationTrace.Translation t = trace.begin(TO_XMPP, in).inputSipWire(takeSipRequest(), wire.sip());
        try {
            GatewayEvent out = translation.toXmpp();
            t.output(out, wire.xmpp());
            xmpp.send(out).thenAccept(outcome -> t.done(outcome instanceof GatewayError g ? Outcome.FAILED : Outcome.DELIVERED,
                    outcome instanceof GatewayError g ? g.condition() + ": " + g.text() : null));
        } catch (MappingException e) {
            t.done(Outcome.REJECTED, e.getMessage());
        }
    }

    private void send(GatewayEvent toXmpp) {
        xmpp.send(toXmpp);
    }

    private void answerXmpp(GatewayEvent event, ErrorCondition condition, String text, TranslationTrace.Translation t) {
        String id = event instanceof ChatMessage m ? m.id() : null;
        if (event instanceof ChatMessage || event instanceof SubscriptionEvent) {
            GatewayError error = new GatewayError(event.to(), event.from(), condition, null, 0, text, null, id);
            send(error);
            t.output(error, wire.xmpp());
        }
        t.done(Outcome.REJECTED, condition + ": " + text);
    }

    private static Address parse(String userAtDomain, Address.Scheme scheme) {
        int at = userAtDomain.lastIndexOf('@');
        String user = at < 0 ? null : userAtDomain.substring(0, at);
        String domain = userAtDomain.substring(at + 1);
        return scheme == Address.Scheme.XMPP ? Address.xmpp(user, domain) : Address.sip(user, domain);
    }
}
