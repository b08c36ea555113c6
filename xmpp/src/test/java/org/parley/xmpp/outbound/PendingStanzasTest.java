package org.parley.xmpp.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.xmpp.adapt.ModelToXmpp;
import org.parley.xmpp.adapt.XmppToModel;
import org.parley.xmpp.component.ComponentConfig;
import org.parley.xmpp.component.ComponentConnection;
import org.parley.xmpp.iq.IqHandler;

class PendingStanzasTest {

    private static final Address BOB = Address.xmpp("bob", "lync.test");
    private static final Address JULIET = Address.xmpp("juliet", "xmpp.test");

    private static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void fullQueueAndExpiredEventsAreAnsweredNotDropped() {
        ManualClock clock = new ManualClock();
        List<GatewayError> failures = new ArrayList<>();
        PendingStanzas q = new PendingStanzas(2, Duration.ofSeconds(10), clock, failures::add);

        q.offer(ChatMessage.text(BOB, JULIET, "a", "1"), "link");
        clock.now = clock.now.plusSeconds(5);
        q.offer(ChatMessage.text(BOB, JULIET, "b", "2"), "link");
        q.offer(ChatMessage.text(BOB, JULIET, "c", "3"), "link");
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.condition()).isEqualTo(ErrorCondition.RESOURCE_CONSTRAINT);
            assertThat(f.correlationId()).isEqualTo("c");
            assertThat(f.to()).isEqualTo(BOB);
            assertThat(f.from()).isEqualTo(JULIET);
        });

        clock.now = clock.now.plusSeconds(6);
        q.expire("link");
        assertThat(failures).hasSize(2);
        assertThat(failures.get(1).condition()).isEqualTo(ErrorCondition.REMOTE_SERVER_TIMEOUT);
        assertThat(failures.get(1).correlationId()).isEqualTo("a");
        assertThat(q.drain()).extracting(e -> ((ChatMessage) e).id()).containsExactly("b");
        assertThat(q.size()).isZero();
    }

    @Test
    void aComponentThatCannotConnectAnswersQueuedMessagesWithRemoteServerTimeout() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        AddressMapper mapper = AddressMapper.forDomains(List.of("lync.test", "xmpp.test"));
        BlockingQueue<GatewayEvent> events = new LinkedBlockingQueue<>();
        try (ComponentConnection c = new ComponentConnection(new ComponentConfig("127.0.0.1", closedPort, "lync.test", "secret",
                Duration.ofMillis(100), Duration.ofMillis(200), 10, Duration.ofMillis(400)),
                new XmppToModel(mapper), new ModelToXmpp(mapper), events::add, new IqHandler(Set.of("lync.test"), "test"))) {
            c.start();
            assertThat(c.send(ChatMessage.text(BOB, JULIET, "m1", "anyone?"))).isFalse();

            GatewayEvent answer = events.poll(5, TimeUnit.SECONDS);
            assertThat(answer).isInstanceOf(GatewayError.class);
            assertThat(((GatewayError) answer).condition()).isEqualTo(ErrorCondition.REMOTE_SERVER_TIMEOUT);
            assertThat(((GatewayError) answer).correlationId()).isEqualTo("m1");
            assertThat(c.lastError()).isNotNull();
        }
    }
}
