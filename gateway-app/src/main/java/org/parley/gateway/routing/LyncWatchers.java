package org.parley.gateway.routing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.parley.gateway.routing.SubscriptionLifecycle.Event;
import org.parley.gateway.routing.SubscriptionLifecycle.Output;
import org.parley.gateway.routing.SubscriptionLifecycle.Transition;
import org.parley.gateway.store.RelationshipStore.Direction;
import org.parley.gateway.store.RelationshipStore.Relationship;
import org.parley.gateway.store.RelationshipStore.State;
import org.parley.gateway.trace.TranslationRecord.Outcome;
import org.parley.gateway.trace.TranslationTrace;
import org.parley.presence.MappingException;
import org.parley.presence.model.Address;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.model.SubscriptionAction;
import org.parley.presence.model.SubscriptionEvent;

/**
 * Lync users watching XMPP users ({@link Direction#SIP_WATCHES_XMPP}): the authorization lifecycle of
 * {@link SubscriptionLifecycle}'s first table. A Lync user's SUBSCRIBE becomes an XMPP {@code subscribe} on her behalf;
 * her dialogs stay {@code pending} until the XMPP user says {@code subscribed}; {@code unsubscribed} ends that watcher's
 * dialogs and nobody else's.
 */
final class LyncWatchers {

    private final RoutingContext ctx;
    private final LifecycleSteps steps;
    private final PresenceBridge presence;

    LyncWatchers(RoutingContext ctx, LifecycleSteps steps, PresenceBridge presence) {
        this.ctx = ctx;
        this.steps = steps;
        this.presence = presence;
    }

    /**
     * A Lync watcher's new SUBSCRIBE dialog ({@code request}: SIP addresses, from the watcher to the XMPP user). Answers
     * the state the XMPP user sent this watcher once approved, else {@code request} itself: pending.
     */
    CompletionStage<GatewayEvent> onSubscribe(SubscriptionEvent request, TranslationTrace.Translation t) throws MappingException {
        Address watcher = ctx.addresses().xmpp(request.from().bare());
        Address user = ctx.addresses().xmpp(request.to().bare());
        if (request.action() == SubscriptionAction.PROBE) {
            // a fetch (Expires: 0): a look at the state, not a request to watch — nothing is stored or asked
            boolean approved = steps.current(Direction.SIP_WATCHES_XMPP, watcher.userAtDomain(), user.userAtDomain())
                    == SubscriptionLifecycle.Authorization.ACTIVE;
            PresenceUpdate current = approved ? presence.currentForSip(user, watcher) : null;
            t.decision(approved ? "a fetch from an approved watcher: the state it may see" : "a fetch from a watcher not approved: no state")
                    .done(Outcome.DELIVERED, null);
            return CompletableFuture.completedFuture(approved ? (current != null ? current : PresenceBridge.offline(request.to())) : request);
        }
        GatewayEvent answer = steps.step(Direction.SIP_WATCHES_XMPP, watcher.userAtDomain(), user.userAtDomain(), Event.SIP_SUBSCRIBE, t,
                tr -> {
                    carryOut(tr, watcher, user, t);
                    if (tr.outputs().contains(Output.ANSWER_STATE)) {
                        PresenceUpdate current = presence.currentForSip(user, watcher);
                        return current != null ? current : PresenceBridge.offline(request.to());
                    }
                    return request; // pending: the dialog carries no state until the XMPP user approves
                });
        t.decision(answer instanceof PresenceUpdate ? "approved: the first NOTIFY carries the state " + user + " sent this watcher"
                : "not approved yet: the dialog is pending, its NOTIFYs carry no state").done(Outcome.DELIVERED, null);
        return CompletableFuture.completedFuture(answer);
    }

    /** The XMPP user's answer to a Lync watcher ({@code s}: XMPP addresses, from the user to the watcher; APPROVE or DENY). */
    void onXmppAnswer(SubscriptionEvent s, TranslationTrace.Translation t) throws MappingException {
        Address user = s.from().bare();
        Address watcher = s.to().bare();
        ctx.addresses().sip(user);
        ctx.addresses().sip(watcher);
        Event event = s.action() == SubscriptionAction.APPROVE ? Event.XMPP_SUBSCRIBED : Event.XMPP_UNSUBSCRIBED;
        steps.step(Direction.SIP_WATCHES_XMPP, watcher.userAtDomain(), user.userAtDomain(), event, t, tr -> {
            carryOut(tr, watcher, user, t);
            return null;
        });
        t.done(Outcome.DELIVERED, null);
    }

    /** The Lync watcher's last dialog ended ({@code e}: SIP addresses, from the watcher to the XMPP user). */
    void onSipUnsubscribe(SubscriptionEvent e, TranslationTrace.Translation t) throws MappingException {
        Address watcher = ctx.addresses().xmpp(e.from().bare());
        Address user = ctx.addresses().xmpp(e.to().bare());
        steps.step(Direction.SIP_WATCHES_XMPP, watcher.userAtDomain(), user.userAtDomain(), Event.SIP_UNSUBSCRIBE, t, tr -> {
            carryOut(tr, watcher, user, t);
            return null;
        });
        t.done(Outcome.DELIVERED, null);
    }

    /** After a start: every approved Lync watcher this member owns gets the XMPP user's current state by a probe. */
    int start() {
        int probed = 0;
        for (Relationship r : ctx.relationships().all()) {
            if (r.direction() != Direction.SIP_WATCHES_XMPP || r.state() != State.ACTIVE
                    || !ctx.clustering().ownership().isLocal(Ownership.relationship(r.watcher(), r.presentity()))) {
                continue;
            }
            Address watcher = RoutingContext.xmpp(r.watcher());
            Address user = RoutingContext.xmpp(r.presentity());
            TranslationTrace.Translation t = ctx.trace().begin(RoutingContext.TO_XMPP, new SubscriptionEvent(watcher, user, SubscriptionAction.PROBE))
                    .decision("Parley started: the Lync watcher's view of " + user + " is asked for, not assumed offline");
            steps.step(Direction.SIP_WATCHES_XMPP, r.watcher(), r.presentity(), Event.START, t, tr -> {
                carryOut(tr, watcher, user, t);
                return null;
            });
            t.done(Outcome.DELIVERED, null);
            probed++;
        }
        return probed;
    }

    /** The outputs that are not the store's or the answer's (both XMPP addresses). */
    private void carryOut(Transition tr, Address watcher, Address user, TranslationTrace.Translation t) {
        for (Output o : tr.outputs()) {
            switch (o) {
                case ASK_XMPP_USER -> toXmpp(new SubscriptionEvent(watcher, user, SubscriptionAction.REQUEST), t);
                case CANCEL_TO_XMPP -> toXmpp(new SubscriptionEvent(watcher, user, SubscriptionAction.CANCEL), t);
                case PROBE_XMPP_USER -> toXmpp(new SubscriptionEvent(watcher, user, SubscriptionAction.PROBE), t);
                case AUTHORIZE_WATCHER -> sip(t, () -> {
                    PresenceUpdate current = presence.currentForSip(user, watcher);
                    ctx.sides().sip().authorize(ctx.addresses().sip(user), ctx.addresses().sip(watcher), current);
                    t.decision("the watcher's dialogs turn active with " + (current == null ? "no state yet" : current.availability()));
                });
                case REJECT_WATCHER -> {
                    presence.forget(user, watcher);
                    sip(t, () -> ctx.sides().sip().reject(ctx.addresses().sip(user), ctx.addresses().sip(watcher)));
                    t.decision("NOTIFY terminated;reason=rejected to this watcher only; no other watcher is touched");
                }
                case FORGET -> presence.forget(user, watcher);
                default -> {
                    // store outputs (LifecycleSteps) and the SUBSCRIBE's answer (onSubscribe)
                }
            }
        }
    }

    private void toXmpp(SubscriptionEvent e, TranslationTrace.Translation t) {
        ctx.sides().xmpp().send(e);
        t.output(e, ctx.wire().xmpp());
    }

    private interface SipCall {
        void run() throws MappingException;
    }

    private static void sip(TranslationTrace.Translation t, SipCall call) {
        try {
            call.run();
        } catch (MappingException e) {
            t.decision("cannot be expressed in SIP: " + e.getMessage());
        }
    }
}
