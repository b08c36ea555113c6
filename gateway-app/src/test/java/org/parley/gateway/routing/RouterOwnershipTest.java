package org.parley.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.parley.gateway.store.OverlayRelationshipStore;
import org.parley.gateway.store.RelationshipStore;
import org.parley.gateway.store.RelationshipStore.Direction;
import org.parley.gateway.store.RelationshipStore.Relationship;
import org.parley.gateway.store.RelationshipStore.State;
import org.parley.gateway.trace.TranslationTrace;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.Availability;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.model.Receipt;
import org.parley.presence.model.SubscriptionAction;
import org.parley.presence.model.SubscriptionEvent;

/**
 * The router in a cluster, with ownership decided by the test: events owned elsewhere are forwarded and
 * handled here only when the owner cannot take them; subscriptions follow ownership as it moves.
 */
class RouterOwnershipTest {

    private static final Clock FROZEN = Clock.fixed(Instant.parse("2026-11-22T02:00:00Z"), ZoneOffset.UTC);

    /** Ownership the test moves around; forwards are recorded and answered as the test says. */
    private static final class MovableOwnership implements Ownership {
        final Set<String> local = ConcurrentHashMap.newKeySet();
        final List<String> forwardedKeys = new CopyOnWriteArrayList<>();
        volatile boolean ownerTakesIt = true;

        @Override
        public boolean isLocal(String key) {
            return local.contains(key);
        }

        @Override
        public CompletionStage<Boolean> forward(String key, GatewayEvent event, String rawStanza) {
            forwardedKeys.add(key);
            return CompletableFuture.completedFuture(ownerTakesIt);
        }

        @Override
        public String ownerOf(String key) {
            return "member-b";
        }
    }

    private final MovableOwnership ownership = new MovableOwnership();
    private final List<String> subscribed = new CopyOnWriteArrayList<>();
    private final List<String> unsubscribed = new CopyOnWriteArrayList<>();
    private final List<ChatMessage> messages = new CopyOnWriteArrayList<>();
    private final List<PresenceUpdate> published = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<GatewayEvent>> subscribeAnswers = new CopyOnWriteArrayList<>();
    private final List<GatewayEvent> toXmpp = new CopyOnWriteArrayList<>();
    private final RelationshipStore store = new OverlayRelationshipStore(new EmptyRelationshipStore());

    private Router router() {
        Router r = new Router(AddressMapper.anyDomain(), store, new TranslationTrace(1000, false, FROZEN), FROZEN, WireForms.modelOnly(),
                PartnerRateLimits.OFF, new Clustering(ownership, PresenceBook.inMemory(), WatcherDialogCopies.NONE));
        r.connect(event -> {
            toXmpp.add(event);
            return CompletableFuture.completedFuture(event);
        }, new SipSide() {
            @Override
            public CompletableFuture<GatewayEvent> sendMessage(ChatMessage m) {
                messages.add(m);
                return CompletableFuture.completedFuture(new Receipt(m.to(), m.from(), m.id()));
            }

            @Override
            public void sendChatState(ChatStateChange change) {
            }

            @Override
            public CompletableFuture<GatewayEvent> subscribe(Address watcher, Address presentity) {
                subscribed.add(watcher.userAtDomain() + "→" + presentity.userAtDomain());
                CompletableFuture<GatewayEvent> answer = new CompletableFuture<>();
                subscribeAnswers.add(answer);
                return answer;
            }

            @Override
            public void unsubscribe(Address watcher, Address presentity) {
                unsubscribed.add(watcher.userAtDomain() + "→" + presentity.userAtDomain());
            }

            @Override
            public void publish(PresenceUpdate presence) {
                published.add(presence);
            }

            @Override
            public void authorize(Address presentity, Address watcher, PresenceUpdate current) {
            }

            @Override
            public void reject(Address presentity, Address watcher) {
            }
        });
        return r;
    }

    @Test
    void aSubscribeOwnedByAnotherMemberIsForwardedNotSubscribedHere() {
        Router router = router();
        router.onEvent(new SubscriptionEvent(Address.xmpp("juliet", "xmpp.test", "r"), Address.xmpp("alice", "contoso.com"),
                SubscriptionAction.REQUEST), "<presence type='subscribe'/>");
        assertThat(ownership.forwardedKeys).containsExactly(Ownership.relationship("juliet@xmpp.test", "alice@contoso.com"));
        assertThat(subscribed).isEmpty();
        assertThat(router.forwarded()).isEqualTo(1);
    }

    @Test
    void whenTheOwnerCannotTakeItTheMemberThatReceivedItHandlesIt() {
        ownership.ownerTakesIt = false;
        Router router = router();
        router.onEvent(new SubscriptionEvent(Address.xmpp("juliet", "xmpp.test", "r"), Address.xmpp("alice", "contoso.com"),
                SubscriptionAction.REQUEST), "<presence type='subscribe'/>");
        router.onEvent(ChatMessage.text(Address.xmpp("juliet", "xmpp.test", "r"), Address.xmpp("alice", "contoso.com"), "m1", "hi"), "<message/>");
        assertThat(subscribed).containsExactly("juliet@xmpp.test→alice@contoso.com");
        assertThat(messages).extracting(ChatMessage::id).containsExactly("m1");
    }

    @Test
    void anImGoesToTheConversationsOwnerAndPresenceIsPublishedWhereItArrived() {
        // alice watches juliet: juliet's presence to her has somewhere to go
        store.put(new Relationship("alice@contoso.com", "juliet@xmpp.test", Direction.SIP_WATCHES_XMPP, State.ACTIVE, FROZEN.instant()));
        Router router = router();
        router.onEvent(ChatMessage.text(Address.xmpp("juliet", "xmpp.test", "r"), Address.xmpp("alice", "contoso.com"), "m1", "hi"), "<message/>");
        router.onEvent(PresenceUpdate.of(Address.xmpp("juliet", "xmpp.test", "r"), Availability.AWAY).withTo(Address.xmpp("alice", "contoso.com")),
                "<presence/>");
        assertThat(ownership.forwardedKeys).containsExactly(Ownership.conversation("juliet@xmpp.test", "alice@contoso.com"));
        assertThat(messages).isEmpty();
        assertThat(published).hasSize(1);
    }

    @Test
    void subscriptionsFollowOwnershipAsItMoves() {
        for (String watcher : List.of("a", "b", "c", "d")) {
            store.put(new Relationship(watcher + "@xmpp.test", "alice@contoso.com", Direction.XMPP_WATCHES_SIP, State.ACTIVE, FROZEN.instant()));
        }
        store.put(new Relationship("e@xmpp.test", "alice@contoso.com", Direction.XMPP_WATCHES_SIP, State.PENDING, FROZEN.instant()));
        Router router = router();
        ownership.local.add(Ownership.relationship("a@xmpp.test", "alice@contoso.com"));
        ownership.local.add(Ownership.relationship("b@xmpp.test", "alice@contoso.com"));

        Router.Rehoming first = router.reconcileSubscriptions();
        assertThat(first).isEqualTo(new Router.Rehoming(2, 0, 2));
        assertThat(subscribed).containsExactlyInAnyOrder("a@xmpp.test→alice@contoso.com", "b@xmpp.test→alice@contoso.com");

        // another member died: its relationships are this member's now
        ownership.local.add(Ownership.relationship("c@xmpp.test", "alice@contoso.com"));
        ownership.local.add(Ownership.relationship("d@xmpp.test", "alice@contoso.com"));
        assertThat(router.reconcileSubscriptions()).isEqualTo(new Router.Rehoming(2, 0, 4));
        assertThat(router.reconcileSubscriptions()).as("nothing changed: nothing done").isEqualTo(new Router.Rehoming(0, 0, 4));

        // a member joined and took three of them
        ownership.local.clear();
        ownership.local.add(Ownership.relationship("d@xmpp.test", "alice@contoso.com"));
        assertThat(router.reconcileSubscriptions()).isEqualTo(new Router.Rehoming(0, 3, 1));
        assertThat(unsubscribed).containsExactlyInAnyOrder("a@xmpp.test→alice@contoso.com", "b@xmpp.test→alice@contoso.com",
                "c@xmpp.test→alice@contoso.com");
        assertThat(subscribed).as("a pending relationship is not subscribed by reconciliation").doesNotContain("e@xmpp.test→alice@contoso.com");
    }

    @Test
    void reconciliationDecidesOnTheSnapshotItIsGivenNotTheLiveTable() {
        for (String watcher : List.of("a", "b")) {
            store.put(new Relationship(watcher + "@xmpp.test", "alice@contoso.com", Direction.XMPP_WATCHES_SIP, State.ACTIVE, FROZEN.instant()));
        }
        String a = Ownership.relationship("a@xmpp.test", "alice@contoso.com");
        String b = Ownership.relationship("b@xmpp.test", "alice@contoso.com");
        Router router = router();
        ownership.local.add(a);
        assertThat(router.reconcileSubscriptions()).isEqualTo(new Router.Rehoming(1, 0, 1));

        // the live table still says "a is here", the snapshot of this round says it has moved on and b came instead
        assertThat(router.reconcileSubscriptions(b::equals)).isEqualTo(new Router.Rehoming(1, 1, 1));
        assertThat(subscribed).containsExactly("a@xmpp.test→alice@contoso.com", "b@xmpp.test→alice@contoso.com");
        assertThat(unsubscribed).containsExactly("a@xmpp.test→alice@contoso.com");
    }

    @Test
    void aRequestNoMemberWaitsForAnymoreIsAskedAgainAndItsAnswerReachesTheXmppUser() {
        Instant stranded = FROZEN.instant().minus(Router.STRANDED_REQUEST).minusSeconds(1);
        store.put(new Relationship("e@xmpp.test", "alice@contoso.com", Direction.XMPP_WATCHES_SIP, State.PENDING, stranded));
        // still within a SUBSCRIBE's lifetime: perhaps in flight on another member, not asked twice
        store.put(new Relationship("f@xmpp.test", "alice@contoso.com", Direction.XMPP_WATCHES_SIP, State.PENDING, FROZEN.instant()));
        // stranded too, but another member owns it
        store.put(new Relationship("g@xmpp.test", "alice@contoso.com", Direction.XMPP_WATCHES_SIP, State.PENDING, stranded));
        ownership.local.add(Ownership.relationship("e@xmpp.test", "alice@contoso.com"));
        ownership.local.add(Ownership.relationship("f@xmpp.test", "alice@contoso.com"));
        Router router = router();

        assertThat(router.reconcileSubscriptions()).isEqualTo(new Router.Rehoming(1, 0, 1));
        assertThat(subscribed).containsExactly("e@xmpp.test→alice@contoso.com");
        assertThat(router.reconcileSubscriptions()).as("asked once, not again while its answer is awaited").isEqualTo(new Router.Rehoming(0, 0, 1));

        subscribeAnswers.get(0).complete(new SubscriptionEvent(Address.sip("alice", "contoso.com"), Address.sip("e", "xmpp.test"),
                SubscriptionAction.APPROVE));
        assertThat(store.find("e@xmpp.test", "alice@contoso.com")).map(Relationship::state).contains(State.ACTIVE);
        assertThat(toXmpp).contains(new SubscriptionEvent(Address.xmpp("alice", "contoso.com"), Address.xmpp("e", "xmpp.test"),
                SubscriptionAction.APPROVE));
        assertThat(subscribed).as("the others were left alone").containsExactly("e@xmpp.test→alice@contoso.com");
    }

    @Test
    void aDrainingMemberEndsItsSubscriptionsWithoutTellingTheXmppWatchers() {
        store.put(new Relationship("a@xmpp.test", "alice@contoso.com", Direction.XMPP_WATCHES_SIP, State.ACTIVE, FROZEN.instant()));
        ownership.local.add(Ownership.relationship("a@xmpp.test", "alice@contoso.com"));
        Router router = router();
        router.reconcileSubscriptions();
        assertThat(router.handOver()).isEqualTo(1);
        assertThat(unsubscribed).containsExactly("a@xmpp.test→alice@contoso.com");
        assertThat(router.heldSubscriptions()).isZero();
    }
}
