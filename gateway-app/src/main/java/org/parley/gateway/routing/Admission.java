package org.parley.gateway.routing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.gateway.trace.TranslationRecord.Outcome;
import org.parley.gateway.trace.TranslationTrace;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.StanzaKind;
import org.parley.presence.model.SubscriptionAction;
import org.parley.presence.model.SubscriptionEvent;

/**
 * Whether an event is handled here and now: per-partner rate limits (XMPP → SIP by the sender's domain, SIP → XMPP by
 * the recipient's), partner types (a public unverified partner's users reach only Lync users who added them), and
 * ownership in a cluster — an XMPP-side event owned by another member is handed to it, and
 * handled here only when the owner cannot take it (never dropped).
 */
final class Admission {

    /** Handles an admitted XMPP-side event; {@code note} says why it is handled here when that is not obvious. */
    interface Handler {
        CompletionStage<Void> handle(GatewayEvent event, String rawStanza, String note);
    }

    private final RoutingContext ctx;
    private final PartnerRateLimits limits;
    private final PartnerTypes types;
    private final AtomicLong forwarded = new AtomicLong();

    Admission(RoutingContext ctx, PartnerRateLimits limits, PartnerTypes types) {
        this.ctx = ctx;
        this.limits = limits;
        this.types = types;
    }

    long forwarded() {
        return forwarded.get();
    }

    /** An XMPP-side event: over its partner's limit it is answered resource-constraint; owned elsewhere it is forwarded. */
    void fromXmpp(GatewayEvent event, String rawStanza, Handler handler) {
        if (!(event instanceof GatewayError) && !limits.tryAcquire(event.from().domain())) {
            TranslationTrace.Translation t = ctx.trace().begin(RoutingContext.TO_SIP, event).inputWire(rawStanza, ctx.wire().xmpp());
            answerXmpp(ctx, event, ErrorCondition.RESOURCE_CONSTRAINT, event.from().domain() + " is over its limit of "
                    + (long) limits.perSecond() + " stanzas a second; try again shortly", t);
            return;
        }
        if (fromAStranger(event)) {
            TranslationTrace.Translation t = ctx.trace().begin(RoutingContext.TO_SIP, event).inputWire(rawStanza, ctx.wire().xmpp());
            answerXmpp(ctx, event, ErrorCondition.FORBIDDEN, event.from().domain() + " is a public unverified partner: its users reach a Lync user"
                    + " only once that user has added them as a contact", t);
            return;
        }
        String key = ownerKey(event);
        Ownership ownership = ctx.clustering().ownership();
        if (key != null && !ownership.isLocal(key)) {
            forwarded.incrementAndGet();
            ownership.forward(key, event, rawStanza).whenComplete((taken, failure) -> {
                if (!Boolean.TRUE.equals(taken)) {
                    handler.handle(event, rawStanza, "the owner (" + ownership.ownerOf(key) + ") could not take it: handled here");
                }
            });
            return;
        }
        handler.handle(event, rawStanza, null);
    }

    /**
     * A subscription request or IM from a {@link PartnerTypes.Type#PUBLIC_UNVERIFIED} partner's user to a Lync user who
     * does not have that user as a contact: neither watches them (a stored relationship, pending or approved) nor
     * approved their watching.
     */
    private boolean fromAStranger(GatewayEvent event) {
        boolean reachesSomeone = event instanceof ChatMessage || event instanceof ChatStateChange
                || event instanceof SubscriptionEvent s && s.action() == SubscriptionAction.REQUEST;
        if (!reachesSomeone || types.of(event.from().domain()) != PartnerTypes.Type.PUBLIC_UNVERIFIED) {
            return false;
        }
        String xmppUser = event.from().userAtDomain();
        String lyncUser = event.to().userAtDomain();
        boolean watches = ctx.authorization(org.parley.gateway.store.RelationshipStore.Direction.SIP_WATCHES_XMPP, lyncUser, xmppUser)
                != SubscriptionLifecycle.Authorization.NONE;
        boolean approved = ctx.authorization(org.parley.gateway.store.RelationshipStore.Direction.XMPP_WATCHES_SIP, xmppUser, lyncUser)
                == SubscriptionLifecycle.Authorization.ACTIVE;
        return !watches && !approved;
    }

    /** A SIP MESSAGE over its partner's limit: 503 (with Retry-After from the SIP side), which the front end may retry. */
    CompletionStage<GatewayEvent> overLimit(ChatMessage message, TranslationTrace.Translation t) {
        if (limits.tryAcquire(message.to().domain())) {
            return null;
        }
        String why = message.to().domain() + " is over its limit of " + (long) limits.perSecond() + " messages a second";
        t.done(Outcome.REJECTED, ErrorCondition.RESOURCE_CONSTRAINT + ": " + why);
        return CompletableFuture.completedFuture(new GatewayError(message.to(), message.from(), ErrorCondition.RESOURCE_CONSTRAINT, null,
                503, why, null, message.id()));
    }

    /**
     * The member that must handle an XMPP-side event: a subscription's owner holds its SIP dialog; a conversation's owner
     * holds its Lync IM session. Presence and the answers to Lync watchers fan out to every member (each holds some SIP
     * watchers' dialogs), so they have none.
     */
    static String ownerKey(GatewayEvent event) {
        if (event instanceof SubscriptionEvent s && (s.action() == SubscriptionAction.REQUEST || s.action() == SubscriptionAction.CANCEL
                || s.action() == SubscriptionAction.PROBE)) {
            return Ownership.relationship(s.from().userAtDomain(), s.to().userAtDomain());
        }
        if (event instanceof ChatMessage || event instanceof ChatStateChange) {
            return Ownership.conversation(event.from().userAtDomain(), event.to().userAtDomain());
        }
        return null;
    }

    /**
     * Answers an XMPP stanza Parley refuses with an error of the stanza's own kind (RFC 6120 §8.3.1): a message error
     * for a message, a presence error for a subscription request.
     */
    static void answerXmpp(RoutingContext ctx, GatewayEvent event, ErrorCondition condition, String text, TranslationTrace.Translation t) {
        String id = event instanceof ChatMessage m ? m.id() : null;
        if (event instanceof ChatMessage || event instanceof SubscriptionEvent) {
            GatewayError error = new GatewayError(event.to(), event.from(), condition, null, 0, text, null, id,
                    event instanceof SubscriptionEvent ? StanzaKind.PRESENCE : StanzaKind.MESSAGE);
            ctx.sides().xmpp().send(error);
            t.output(error, ctx.wire().xmpp());
        }
        t.done(Outcome.REJECTED, condition + ": " + text);
    }
}
