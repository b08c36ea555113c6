package org.parley.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.parley.gateway.store.OverlayRelationshipStore;
import org.parley.gateway.trace.TranslationTrace;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;

/** A fault inside routing is answered internal-server-error and logged by kind and addresses — never with the body. */
class RouterFailureLogTest {

    private static final Clock FROZEN = Clock.fixed(Instant.parse("2026-12-07T06:00:00Z"), ZoneOffset.UTC);

    @Test
    void aRoutingFaultIsAnsweredAndLoggedWithoutTheMessageBody() {
        // the router's System.Logger is the JDK's: its records are read here, whatever backend an earlier test left
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger(Router.class.getName());
        List<java.util.logging.LogRecord> records = new CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Level before = jul.getLevel();
        jul.setLevel(java.util.logging.Level.ALL);
        jul.addHandler(capture);
        try {
            routeAFaultyMessage();
        } finally {
            jul.removeHandler(capture);
            jul.setLevel(before);
        }
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.getMessage()).startsWith("routing failed for ChatMessage from xmpp:juliet@xmpp.example/r")
                    .doesNotContain("secret merger plan");
            assertThat(r.getThrown()).hasMessage("a bug in the SIP side");
        });
    }

    private void routeAFaultyMessage() {
        List<GatewayEvent> toXmpp = new CopyOnWriteArrayList<>();
        Router router = new Router(AddressMapper.anyDomain(), new OverlayRelationshipStore(new EmptyRelationshipStore()),
                new TranslationTrace(100, false, FROZEN), FROZEN, WireForms.modelOnly(), PartnerRateLimits.OFF);
        router.connect(e -> {
            toXmpp.add(e);
            return CompletableFuture.completedFuture(e);
        }, new StubSipSide() {
            @Override
            public CompletableFuture<GatewayEvent> sendMessage(ChatMessage m) {
                throw new IllegalStateException("a bug in the SIP side");
            }
        });

        router.onEvent(ChatMessage.text(Address.xmpp("juliet", "xmpp.example", "r"), Address.xmpp("alice", "contoso.com"), "m1",
                "the secret merger plan"), "<message/>");

        assertThat(toXmpp).singleElement().isInstanceOfSatisfying(GatewayError.class,
                e -> assertThat(e.condition()).isEqualTo(ErrorCondition.INTERNAL_SERVER_ERROR));
    }
}
