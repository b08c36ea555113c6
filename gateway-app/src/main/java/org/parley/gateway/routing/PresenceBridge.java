package org.parley.gateway.routing;

import org.parley.gateway.trace.TranslationRecord.Outcome;
import org.parley.gateway.trace.TranslationTrace;
import org.parley.presence.MappingException;
import org.parley.presence.model.Address;
import org.parley.presence.model.Availability;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.PresenceUpdate;

/**
 * Presence both ways, per contact. An XMPP user's server sends her presence to each contact separately (RFC 6121 §4.4),
 * addressed to that contact; this bridge keeps it per resource for that contact, aggregates the resources
 * ({@link ContactPresence#aggregate}) and hands the result to that Lync watcher's dialogs only — the SIP side NOTIFYs it
 * once the XMPP user approved the watcher, never before. A NOTIFY in the dialog Parley holds for an XMPP watcher becomes
 * presence to that XMPP watcher only.
 */
final class PresenceBridge {

    private final RoutingContext ctx;

    PresenceBridge(RoutingContext ctx) {
        this.ctx = ctx;
    }

    /** Presence from an XMPP user's resource to one Lync contact. */
    void fromXmpp(PresenceUpdate p, TranslationTrace.Translation t) {
        if (p.to() == null) {
            // s2s presence always names its contact; without one there is nobody it was meant for
            t.decision("presence without 'to': XMPP presence is per contact, so nobody may be told").done(Outcome.REJECTED,
                    "presence without a contact");
            return;
        }
        boolean related = ctx.authorization(org.parley.gateway.store.RelationshipStore.Direction.SIP_WATCHES_XMPP,
                p.to().userAtDomain(), p.from().userAtDomain()) != SubscriptionLifecycle.Authorization.NONE;
        if (!related) {
            // no Lync watcher asked for this user: nobody may see it, and keeping it would let any sender fill the book
            t.decision(p.to().bare() + " does not watch " + p.from().bare() + ": dropped, nothing kept").done(Outcome.DELIVERED, null);
            return;
        }
        ContactPresence now = ctx.presence().record(p.withTo(p.to().bare()));
        PresenceUpdate aggregated = now.aggregate(p.from());
        if (p.from().hasInstance()) {
            t.decision("resource " + p.from().instance() + " is " + p.availability() + "; " + now.byResource().size()
                    + " resource(s) available to this contact → aggregated " + aggregated.availability());
        }
        try {
            PresenceUpdate out = ((PresenceUpdate) ctx.addresses().toSip(aggregated.withTo(p.to().bare())));
            t.outputToSip(out).decision("to " + out.to() + "'s dialogs only, NOTIFY once " + p.from().bare()
                    + " has approved that watcher (pending dialogs get no state)");
            ctx.sides().sip().publish(out); // after the output: the NOTIFY's wire comes back to it
            t.done(Outcome.DELIVERED, null);
        } catch (MappingException e) {
            t.decision("presence of " + p.from() + " cannot be expressed in SIP: " + e.getMessage()).done(Outcome.REJECTED, e.getMessage());
        }
    }

    /** A NOTIFY in the dialog Parley holds for one XMPP watcher ({@code update.to()}): presence to that watcher only. */
    void fromSip(PresenceUpdate update, TranslationTrace.Translation t) {
        try {
            PresenceUpdate out = (PresenceUpdate) ctx.addresses().toXmpp(update);
            if (out.to() != null) {
                ctx.presence().record(out.withFrom(out.from().bare()));
            } else {
                // only a dry run's pasted PUBLISH has no dialog, so no watcher: it shows what the body becomes
                t.decision("no XMPP watcher named: shown as presence without 'to'");
            }
            t.output(out, ctx.wire().xmpp());
            ctx.sides().xmpp().send(out).thenAccept(outcome -> t.done(outcome instanceof GatewayError ? Outcome.FAILED : Outcome.DELIVERED,
                    outcome instanceof GatewayError g ? g.condition() + ": " + g.text() : null));
        } catch (MappingException e) {
            t.done(Outcome.REJECTED, e.getMessage());
        }
    }

    /** What {@code contact} has of {@code user} (both in the XMPP scheme): the aggregate, or unavailable. */
    PresenceUpdate current(Address user, Address contact) {
        return ctx.presence().get(user.bare(), contact.bare()).aggregate(user.bare());
    }

    /** As {@link #current}, in the SIP scheme for a SIP watcher's NOTIFY; {@code null} when it cannot be expressed there. */
    PresenceUpdate currentForSip(Address xmppUser, Address lyncWatcher) {
        try {
            return ((PresenceUpdate) ctx.addresses().toSip(current(xmppUser, lyncWatcher))).withTo(null);
        } catch (MappingException e) {
            return null;
        }
    }

    /** The Lync user's latest state for one XMPP watcher, or unavailable when none is known (probe answers, approvals). */
    GatewayEvent stateToXmppWatcher(Address lyncUser, Address xmppWatcher) {
        PresenceUpdate p = current(lyncUser, xmppWatcher);
        return p.withTo(xmppWatcher);
    }

    /** Forgets what {@code contact} had of {@code user} (refused or revoked). */
    void forget(Address user, Address contact) {
        ctx.presence().forget(user.bare(), contact.bare());
    }

    static PresenceUpdate offline(Address user) {
        return PresenceUpdate.of(user.bare(), Availability.OFFLINE);
    }
}
