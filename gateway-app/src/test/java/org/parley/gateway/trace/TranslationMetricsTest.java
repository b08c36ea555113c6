package org.parley.gateway.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each translation counted once under its own tags, and timed, however many tag sets come and go. */
class TranslationMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TranslationMetrics metrics = new TranslationMetrics(registry, Set.of("lync.test"));

    @Test
    void eachTranslationCountsUnderItsPartnerDirectionKindAndOutcome() {
        metrics.accept(record("xmpp→sip", "message", "xmpp:juliet@xmpp.test/balcony", "sip:alice@lync.test", TranslationRecord.Outcome.DELIVERED));
        metrics.accept(record("xmpp→sip", "message", "xmpp:romeo@xmpp.test", "sip:alice@lync.test", TranslationRecord.Outcome.DELIVERED));
        metrics.accept(record("sip→xmpp", "message", "sip:alice@lync.test", "xmpp:juliet@other.test", TranslationRecord.Outcome.DELIVERED));
        metrics.accept(record("xmpp→sip", "message", "xmpp:juliet@xmpp.test", "sip:bob@lync.test", TranslationRecord.Outcome.REJECTED));

        assertThat(count("xmpp.test", "xmpp-sip", "message", "delivered")).isEqualTo(2);
        assertThat(count("other.test", "sip-xmpp", "message", "delivered")).isEqualTo(1);
        assertThat(count("xmpp.test", "xmpp-sip", "message", "rejected")).isEqualTo(1);
        assertThat(registry.get("parley.translation.latency").tags("direction", "xmpp-sip", "kind", "message").timer().count()).isEqualTo(3);
        assertThat(registry.get("parley.translation.errors").tags("partner", "xmpp.test").counter().count()).isEqualTo(1);
    }

    @Test
    void moreTagSetsThanItKeepsAreStillEachCountedOnTheRegistrysOneMeter() {
        int partners = TranslationMetrics.KEPT_METERS + 10;
        for (int round = 0; round < 2; round++) {
            for (int p = 0; p < partners; p++) {
                metrics.accept(record("xmpp→sip", "presence", "xmpp:u@p" + p + ".test", "sip:alice@lync.test", TranslationRecord.Outcome.DELIVERED));
            }
        }
        for (int p : new int[] {0, 1, partners / 2, partners - 1}) {
            assertThat(count("p" + p + ".test", "xmpp-sip", "presence", "delivered")).as("partner %d", p).isEqualTo(2);
        }
        assertThat(registry.find("parley.translations").counters()).hasSize(partners);
    }

    private double count(String partner, String direction, String kind, String outcome) {
        return registry.get("parley.translations")
                .tags("partner", partner, "direction", direction, "kind", kind, "outcome", outcome).counter().count();
    }

    private static TranslationRecord record(String direction, String kind, String from, String to, TranslationRecord.Outcome outcome) {
        return new TranslationRecord(1, Instant.EPOCH, direction, kind, from, to, null, "in", List.of(), null, List.of(), List.of(),
                outcome, outcome == TranslationRecord.Outcome.DELIVERED ? null : "recipient-unavailable: away", 1500);
    }
}
