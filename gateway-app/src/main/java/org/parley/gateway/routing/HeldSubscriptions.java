package org.parley.gateway.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.parley.gateway.store.RelationshipStore.Direction;
import org.parley.gateway.store.RelationshipStore.Relationship;
import org.parley.gateway.store.RelationshipStore.State;
import org.parley.presence.MappingException;
import org.parley.presence.model.Address;
import org.parley.presence.model.GatewayEvent;

/**
 * Which of the XMPP users' SIP subscriptions to Lync users this member holds, and making that match what it owns:
 * after a restart, when a member died and its relationships were re-homed here, when a member joined and took some
 * over, on a drain. The store is the source of truth; the first NOTIFY of each new subscription tells the XMPP watcher
 * the presence again.
 */
final class HeldSubscriptions {

    private static final System.Logger LOG = System.getLogger(HeldSubscriptions.class.getName());

    /** The XMPP watcher and the Lync presentity of a held subscription (user@domain, as stored). */
    private record Pair(String watcher, String presentity) {
    }

    private final RoutingContext ctx;
    /** XMPP_WATCHES_SIP relationships whose SIP subscription this member holds or is establishing, by relationship key. */
    private final Map<String, Pair> held = new ConcurrentHashMap<>();

    HeldSubscriptions(RoutingContext ctx) {
        this.ctx = ctx;
    }

    int size() {
        return held.size();
    }

    /** SUBSCRIBE on the XMPP watcher's behalf (XMPP addresses); held from now on. */
    CompletableFuture<GatewayEvent> subscribe(Address watcher, Address lyncUser) throws MappingException {
        String key = Ownership.relationship(watcher.userAtDomain(), lyncUser.userAtDomain());
        held.put(key, new Pair(watcher.userAtDomain(), lyncUser.userAtDomain()));
        try {
            return ctx.sides().sip().subscribe(ctx.addresses().sip(watcher), ctx.addresses().sip(lyncUser));
        } catch (MappingException | RuntimeException e) {
            held.remove(key);
            throw e;
        }
    }

    /** Ends this member's SIP subscription of one relationship (Expires: 0); the store is not touched. */
    boolean release(Address watcher, Address lyncUser) {
        return release(Ownership.relationship(watcher.userAtDomain(), lyncUser.userAtDomain()));
    }

    private boolean release(String key) {
        Pair pair = held.remove(key);
        if (pair == null) {
            return false;
        }
        try {
            ctx.sides().sip().unsubscribe(ctx.addresses().sip(RoutingContext.xmpp(pair.watcher())),
                    ctx.addresses().sip(RoutingContext.xmpp(pair.presentity())));
            return true;
        } catch (MappingException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot release " + key + ": " + e.getMessage());
            return false;
        }
    }

    /** Forgets a subscription the SIP side itself ended (nothing to send). */
    void forget(Address watcher, Address lyncUser) {
        held.remove(Ownership.relationship(watcher.userAtDomain(), lyncUser.userAtDomain()));
    }

    /**
     * Makes the SIP subscriptions this member holds match what it owns ({@code owns}: in a cluster, one snapshot of the
     * partition table — asking the live table key by key let a partition that moved here and on again during a round
     * leave this member holding a subscription it no longer owned). Hands every active relationship it owns and does
     * not hold to {@code restore}, releases the ones another member owns now, and hands every stranded request —
     * PENDING for longer than {@code stranded} with nobody waiting for its answer — to {@code askAgain}.
     */
    synchronized Router.Rehoming reconcile(Predicate<String> owns, Duration stranded, Consumer<Relationship> restore,
                                           Consumer<Relationship> askAgain) {
        Map<String, Relationship> owned = new HashMap<>();
        Set<String> pending = new HashSet<>();
        List<Relationship> strandedRequests = new ArrayList<>();
        Instant strandedBefore = ctx.clock().instant().minus(stranded);
        for (Relationship r : ctx.relationships().all()) {
            if (r.direction() != Direction.XMPP_WATCHES_SIP) {
                continue;
            }
            String key = Ownership.relationship(r.watcher(), r.presentity());
            if (r.state() == State.PENDING) {
                pending.add(key); // its SUBSCRIBE is in flight here: it moves once answered (ACTIVE), not before
                if (owns.test(key) && !held.containsKey(key) && r.updated().isBefore(strandedBefore)) {
                    strandedRequests.add(r);
                }
            } else if (owns.test(key)) {
                owned.put(key, r);
            }
        }
        int subscribed = 0;
        for (var e : owned.entrySet()) {
            if (!held.containsKey(e.getKey())) {
                restore.accept(e.getValue());
                subscribed++;
            }
        }
        for (Relationship r : strandedRequests) {
            askAgain.accept(r);
            subscribed++;
        }
        int released = 0;
        for (String key : List.copyOf(held.keySet())) {
            // another member owns it now and subscribes itself; this member's dialog ends
            if (!owned.containsKey(key) && !pending.contains(key) && !owns.test(key) && release(key)) {
                released++;
            }
        }
        return new Router.Rehoming(subscribed, released, held.size());
    }

    /** Drain of one member: its SIP subscriptions end without telling the XMPP watchers; their new owners subscribe. */
    int handOver() {
        int n = 0;
        for (String key : List.copyOf(held.keySet())) {
            if (release(key)) {
                n++;
            }
        }
        return n;
    }
}
