package org.parley.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.parley.gateway.store.OverlayRelationshipStore;
import org.parley.gateway.trace.TranslationTrace;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.PresenceUpdate;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A fault inside routing is answered internal-server-error and logged by kind and addresses — never with the body. */
@ExtendWith(OutputCaptureExtension.class)
class RouterFailureLogTest {

    private static final Clock FROZEN = Clock.fixed(Instant.parse("2026-12-07T06:00:00Z"), ZoneOffset.UTC);

    @Test
    void aRoutingFaultIsAnsweredAndLoggedWithoutTheMessageBody(CapturedOutput output) {
        List<GatewayEvent> toXmpp = new CopyOnWriteArrayList<>();
        Router router = new Router(AddressMapper.anyDomain(), new OverlayRelationshipStore(new EmptyRelationshipStore()),
                new TranslationTrace(100, false, FROZEN), FROZEN, WireForms.modelOnly(), PartnerRateLimits.OFF);
        router.connect(e -> {
            toXmpp.add(e);
            return CompletableFuture.completedFuture(e);
        }, new SipSide() {
            @Override
            public CompletableFuture<GatewayEvent> sendMessage(ChatMessage m) {
                throw new IllegalStateException("a bug in the SIP side");
            }

            @Override
            public void sendChatState(ChatStateChange change) {
            }

            @Override
            public CompletableFuture<GatewayEvent> subscribe(Address watcher, Address presentity) {
                return new CompletableFuture<>();
            }

            @Override
            public void unsubscribe(Address watcher, Address presentity) {
            }

            @Override
            public void publish(PresenceUpdate presence) {
            }

            @Override
            public void authorize(Address presentity, Address watcher, PresenceUpdate current) {
            }

            @Override
            public void reject(Address presentity, Address watcher) {
            }
        });

        router.onEvent(ChatMessage.text(Address.xmpp("juliet", "xmpp.example", "r"), Address.xmpp("alice", "contoso.com"), "m1",
                "the secret merger plan"), "<message/>");

        assertThat(toXmpp).singleElement().isInstanceOfSatisfying(GatewayError.class,
                e -> assertThat(e.condition()).isEqualTo(ErrorCondition.INTERNAL_SERVER_ERROR));
        assertThat(output.getAll()).contains("routing failed for ChatMessage from").contains("a bug in the SIP side")
                .doesNotContain("secret merger plan");
    }
}
