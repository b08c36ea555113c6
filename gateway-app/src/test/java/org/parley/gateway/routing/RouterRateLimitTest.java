package org.parley.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.parley.gateway.store.OverlayRelationshipStore;
import org.parley.gateway.trace.TranslationTrace;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.Receipt;

/**
 * Ten times the configured limit from one partner: the limit's worth goes through, every other
 * message is answered resource-constraint (XMPP) / 503 (SIP) at once, nothing queues; a flood from
 * many domains does not grow the limiter's table without bound.
 */
class RouterRateLimitTest {

    private static final Clock FROZEN = Clock.fixed(Instant.parse("2026-11-22T02:00:00Z"), ZoneOffset.UTC);

    private static final org.parley.gateway.store.RelationshipStore EMPTY = new EmptyRelationshipStore();

    private final List<GatewayEvent> toXmpp = new CopyOnWriteArrayList<>();
    private final List<ChatMessage> toSip = new CopyOnWriteArrayList<>();

    private Router router(PartnerRateLimits limits) {
        TranslationTrace trace = new TranslationTrace(100_000, false, FROZEN);
        Router r = new Router(AddressMapper.anyDomain(), new OverlayRelationshipStore(EMPTY),
                trace, FROZEN, WireForms.modelOnly(), limits);
        r.connect(e -> {
            toXmpp.add(e);
            return CompletableFuture.completedFuture(e);
        }, new StubSipSide() {
            @Override
            public CompletableFuture<GatewayEvent> sendMessage(ChatMessage m) {
                toSip.add(m);
                return CompletableFuture.completedFuture(new Receipt(m.to(), m.from(), m.id()));
            }
        });
        return r;
    }

    @Test
    void tenTimesTheLimitFromOnePartnerIsAnsweredNotQueued() throws Exception {
        Router router = router(new PartnerRateLimits(50, 50, FROZEN, 1_000));
        for (int i = 0; i < 500; i++) {
            router.onEvent(ChatMessage.text(Address.xmpp("juliet", "flood.example", "r"), Address.xmpp("alice", "contoso.com"), "m" + i, "x"),
                    "<message/>");
        }
        assertThat(toSip).hasSize(50);
        assertThat(toXmpp).hasSize(450).allSatisfy(e -> {
            assertThat(e).isInstanceOf(GatewayError.class);
            assertThat(((GatewayError) e).condition()).isEqualTo(ErrorCondition.RESOURCE_CONSTRAINT);
            assertThat(((GatewayError) e).to().domain()).isEqualTo("flood.example");
        });
        // another partner is not affected by the first one's flood
        router.onEvent(ChatMessage.text(Address.xmpp("romeo", "calm.example", "r"), Address.xmpp("alice", "contoso.com"), "c1", "hi"), "<message/>");
        assertThat(toSip).hasSize(51);
    }

    @Test
    void tenTimesTheLimitTowardOnePartnerGets503() throws Exception {
        Router router = router(new PartnerRateLimits(20, 20, FROZEN, 1_000));
        int refused = 0;
        for (int i = 0; i < 200; i++) {
            GatewayEvent outcome = router.onMessage(ChatMessage.text(Address.sip("alice", "contoso.com"), Address.sip("juliet", "flood.example"),
                    "s" + i, "x")).toCompletableFuture().get(1, TimeUnit.SECONDS);
            if (outcome instanceof GatewayError g) {
                assertThat(g.sipStatus()).isEqualTo(503);
                assertThat(g.condition()).isEqualTo(ErrorCondition.RESOURCE_CONSTRAINT);
                refused++;
            }
        }
        assertThat(refused).isEqualTo(180);
        assertThat(toXmpp).hasSize(20);
    }

    @Test
    void theLimitersTableStaysBoundedUnderAFloodFromManyDomains() {
        PartnerRateLimits limits = new PartnerRateLimits(10, 10, Clock.systemUTC(), 1_000);
        for (int i = 0; i < 100_000; i++) {
            limits.tryAcquire("d" + i + ".example");
        }
        assertThat(limits.trackedDomains()).isLessThanOrEqualTo(1_000);
    }

    @Test
    void aLimitOfZeroIsOff() {
        assertThat(PartnerRateLimits.OFF.tryAcquire("any.example")).isTrue();
        PartnerRateLimits off = new PartnerRateLimits(0, 0, FROZEN, 10);
        for (int i = 0; i < 1_000; i++) {
            assertThat(off.tryAcquire("one.example")).isTrue();
        }
        assertThat(off.trackedDomains()).isZero();
    }
}
