package org.parley.gateway.routing;

import org.parley.gateway.routing.SubscriptionLifecycle.Event;
import org.parley.gateway.routing.SubscriptionLifecycle.Output;
import org.parley.gateway.routing.SubscriptionLifecycle.Transition;
import org.parley.gateway.store.RelationshipStore.Direction;
import org.parley.gateway.trace.TranslationRecord.Outcome;
import org.parley.gateway.trace.TranslationTrace;
import org.parley.presence.MappingException;
import org.parley.presence.model.Address;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.SubscriptionAction;
import org.parley.presence.model.SubscriptionEvent;

/**
 * XMPP users watching Lync users ({@link Direction#XMPP_WATCHES_SIP}): the second table of {@link SubscriptionLifecycle}.
 * Parley subscribes in SIP on the XMPP user's behalf; the front end's 2xx approves ({@code subscribed} and the current
 * state), a refusal answers {@code unsubscribed} exactly once with the front end's reason (ms-diagnostics) in the trace.
 * Which member holds which SIP subscription is {@link HeldSubscriptions}' job.
 */
final class XmppWatchers {

    private final RoutingContext ctx;
    private final LifecycleSteps steps;
    private final PresenceBridge presence;
    private final HeldSubscriptions held;

    XmppWatchers(RoutingContext ctx, LifecycleSteps steps, PresenceBridge presence, HeldSubscriptions held) {
        this.ctx = ctx;
        this.steps = steps;
        this.presence = presence;
        this.held = held;
    }

    /**
     * {@code subscribe}, {@code unsubscribe} or {@code probe} from an XMPP user to a Lync user (XMPP addresses).
     *
     * @throws MappingException when either address has no SIP form: answered with an error before anything is stored
     */
    void onXmpp(SubscriptionEvent s, TranslationTrace.Translation t) throws MappingException {
        ctx.addresses().sip(s.from().bare());
        ctx.addresses().sip(s.to().bare());
        Event event = switch (s.action()) {
            case REQUEST -> Event.XMPP_SUBSCRIBE;
            case CANCEL -> Event.XMPP_UNSUBSCRIBE;
            case PROBE -> Event.XMPP_PROBE;
            default -> throw new IllegalArgumentException("not an XMPP watcher's event: " + s.action());
        };
        Address watcher = s.from().bare();
        Address lyncUser = s.to().bare();
        boolean waits = steps.step(Direction.XMPP_WATCHES_SIP, watcher.userAtDomain(), lyncUser.userAtDomain(), event, t,
                tr -> carryOut(tr, watcher, lyncUser, t));
        if (!waits) {
            t.done(Outcome.DELIVERED, null);
        }
    }

    /** One of Parley's SIP subscriptions ended for good ({@code e}: SIP addresses, from the Lync user to the XMPP watcher). */
    void onSipEnded(SubscriptionEvent e, TranslationTrace.Translation t) throws MappingException {
        Address lyncUser = ctx.addresses().xmpp(e.from().bare());
        Address watcher = ctx.addresses().xmpp(e.to().bare());
        steps.step(Direction.XMPP_WATCHES_SIP, watcher.userAtDomain(), lyncUser.userAtDomain(), Event.SIP_REFUSED, t,
                tr -> carryOut(tr, watcher, lyncUser, t));
        t.done(Outcome.DELIVERED, null);
    }

    /**
     * Carries out a row's outputs (XMPP addresses); returns whether the translation waits for the front end's answer
     * to a SUBSCRIBE (then that answer closes it).
     */
    boolean carryOut(Transition tr, Address watcher, Address lyncUser, TranslationTrace.Translation t) {
        boolean waits = false;
        for (Output o : tr.outputs()) {
            switch (o) {
                case SIP_SUBSCRIBE -> waits = subscribe(watcher, lyncUser, t) || waits;
                case SIP_UNSUBSCRIBE -> {
                    held.release(watcher, lyncUser);
                    t.decision("XMPP unsubscribe → SUBSCRIBE Expires: 0");
                }
                case APPROVE_TO_XMPP -> toXmpp(new SubscriptionEvent(lyncUser, watcher, SubscriptionAction.APPROVE), t);
                case DENY_TO_XMPP -> {
                    // a SUBSCRIBE still retried in the background (no answer yet) stops: the user was told no
                    held.release(watcher, lyncUser);
                    toXmpp(new SubscriptionEvent(lyncUser, watcher, SubscriptionAction.DENY), t);
                }
                case STATE_TO_XMPP -> toXmpp(presence.stateToXmppWatcher(lyncUser, watcher), t);
                case FORGET -> presence.forget(lyncUser, watcher);
                default -> {
                    // store outputs: LifecycleSteps
                }
            }
        }
        return waits;
    }

    /** SUBSCRIBE on the watcher's behalf; its answer takes the relationship on (SIP_ACCEPTED / SIP_REFUSED). */
    private boolean subscribe(Address watcher, Address lyncUser, TranslationTrace.Translation t) {
        java.util.concurrent.CompletableFuture<GatewayEvent> answer;
        try {
            Address sipWatcher = ctx.addresses().sip(watcher);
            Address sipLyncUser = ctx.addresses().sip(lyncUser);
            // before sending: the SUBSCRIBE's wire comes back to this output
            t.outputToSip(new SubscriptionEvent(sipWatcher, sipLyncUser, SubscriptionAction.REQUEST));
            answer = held.subscribe(watcher, lyncUser);
            t.decision("XMPP subscribe → SIP SUBSCRIBE " + sipWatcher + " → " + sipLyncUser);
        } catch (MappingException e) {
            t.decision("cannot be expressed in SIP: " + e.getMessage());
            return false;
        }
        answer.whenComplete((a, failure) -> answered(watcher, lyncUser, a, t));
        return true;
    }

    private void answered(Address watcher, Address lyncUser, GatewayEvent answer, TranslationTrace.Translation t) {
        if (answer instanceof SubscriptionEvent se && se.action() == SubscriptionAction.CANCEL) {
            // ended by Parley before the front end answered (the user unsubscribed, or a drain handed it over): not a
            // refusal, so the XMPP user is not told "unsubscribed"
            t.decision("the subscription ended before the front end answered").done(Outcome.DELIVERED, null);
            return;
        }
        boolean accepted = answer instanceof SubscriptionEvent se && se.action() == SubscriptionAction.APPROVE;
        if (!accepted) {
            t.decision("the front end refused: " + reason(answer));
        }
        steps.step(Direction.XMPP_WATCHES_SIP, watcher.userAtDomain(), lyncUser.userAtDomain(),
                accepted ? Event.SIP_ACCEPTED : Event.SIP_REFUSED, t, tr -> carryOut(tr, watcher, lyncUser, t));
        t.done(accepted ? Outcome.DELIVERED : Outcome.REJECTED, accepted ? null : reason(answer));
    }

    /** The front end's reason: status, condition and the ms-diagnostics an operator needs to read. */
    static String reason(GatewayEvent answer) {
        if (answer instanceof GatewayError g) {
            String diagnostics = g.diagnostics() == null ? "" : "; ms-diagnostics " + g.diagnostics().describe();
            return "SIP " + g.sipStatus() + " " + g.condition() + (g.text() == null ? "" : " (" + g.text() + ")") + diagnostics;
        }
        return "no answer from the front end";
    }

    private void toXmpp(GatewayEvent e, TranslationTrace.Translation t) {
        ctx.sides().xmpp().send(e);
        t.output(e, ctx.wire().xmpp());
    }

    /**
     * An approved relationship this member owns and holds no SIP subscription for (after a start, or re-homed here):
     * subscribed again through the table's START row; the front end's answer takes it on like any other (a refusal now
     * tells the XMPP user {@code unsubscribed} instead of leaving a relationship nobody serves).
     */
    void restore(org.parley.gateway.store.RelationshipStore.Relationship r) {
        Address watcher = RoutingContext.xmpp(r.watcher());
        Address lyncUser = RoutingContext.xmpp(r.presentity());
        TranslationTrace.Translation t = ctx.trace().begin(RoutingContext.TO_SIP, new SubscriptionEvent(watcher, lyncUser, SubscriptionAction.REQUEST))
                .decision("an approved subscription this member owns and does not hold (a start, or re-homed here): subscribed again");
        boolean waits = steps.step(Direction.XMPP_WATCHES_SIP, r.watcher(), r.presentity(), Event.START, t,
                tr -> carryOut(tr, watcher, lyncUser, t));
        if (!waits) {
            t.done(Outcome.DELIVERED, null);
        }
    }

    /**
     * A stranded request — a subscription request whose SUBSCRIBE no member is waiting for (it was in flight on a member
     * that died, or before a restart) — is made again, as if the XMPP user had just sent it.
     */
    void askAgain(org.parley.gateway.store.RelationshipStore.Relationship r, java.time.Duration after) {
        SubscriptionEvent again = new SubscriptionEvent(RoutingContext.xmpp(r.watcher()), RoutingContext.xmpp(r.presentity()),
                SubscriptionAction.REQUEST);
        TranslationTrace.Translation t = ctx.trace().begin(RoutingContext.TO_SIP, again)
                .decision("the request was still unanswered " + after.toMinutes() + " min after it was made and no member is waiting for"
                        + " its answer (a member left or the gateway restarted): asked again");
        try {
            onXmpp(again, t);
        } catch (MappingException | RuntimeException e) {
            t.done(Outcome.FAILED, e.getMessage());
        }
    }

    /**
     * Shutdown of a single gateway: every XMPP watcher of a Lync user gets unavailable presence (Parley will no longer
     * tell them anything) and the SIP subscription behind it ends. The relationships stay: the next start subscribes again.
     */
    int goingAway() {
        int n = 0;
        for (var r : ctx.relationships().all()) {
            if (r.direction() != Direction.XMPP_WATCHES_SIP || r.state() != org.parley.gateway.store.RelationshipStore.State.ACTIVE) {
                continue;
            }
            Address watcher = RoutingContext.xmpp(r.watcher());
            Address lyncUser = RoutingContext.xmpp(r.presentity());
            try {
                ctx.sides().xmpp().send(PresenceBridge.offline(lyncUser).withTo(watcher));
                held.forget(watcher, lyncUser);
                ctx.sides().sip().unsubscribe(ctx.addresses().sip(watcher), ctx.addresses().sip(lyncUser));
                n++;
            } catch (MappingException | RuntimeException e) {
                System.getLogger(XmppWatchers.class.getName()).log(System.Logger.Level.WARNING, "cannot end " + r.watcher() + " → "
                        + r.presentity() + " cleanly: " + e.getMessage());
            }
        }
        return n;
    }
}
