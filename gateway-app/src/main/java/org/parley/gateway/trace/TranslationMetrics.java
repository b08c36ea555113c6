package org.parley.gateway.trace;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Prometheus figures from the translation records: {@code parley_translations_total} by partner
 * domain, direction, kind and outcome, {@code parley_translation_errors_total} by condition, and
 * the {@code parley_translation_latency} histogram. The partner domain is the non-Lync side's
 * domain, so a dashboard shows each federation partner.
 */
public final class TranslationMetrics implements Consumer<TranslationRecord> {

    /** More distinct tag sets than this and the kept meters start over (the registry still holds them all). */
    static final int KEPT_METERS = 4096;

    private final MeterRegistry registry;
    private final java.util.Set<String> lyncDomains;
    /**
     * The meters of every translation, by their tags. Micrometer's builder makes an id, sorts its tags and looks it up
     * in the registry on every call: a few microseconds per IM, which the load harness saw (docs/performance.md).
     */
    private final Map<List<String>, Counter> translations = new ConcurrentHashMap<>();
    private final Map<List<String>, Timer> latencies = new ConcurrentHashMap<>();

    public TranslationMetrics(MeterRegistry registry, java.util.Set<String> lyncDomains) {
        this.registry = registry;
        this.lyncDomains = java.util.Set.copyOf(lyncDomains);
    }

    @Override
    public void accept(TranslationRecord r) {
        if ("keep-alive".equals(r.kind())) {
            return; // not a translation: the front end's health is in readiness and the sessions view
        }
        if (REFUSAL_KINDS.contains(r.kind())) {
            // tagged by kind and condition only: a refused peer's addresses are whatever it claimed, unbounded
            Counter.builder("parley.refusals").description("input refused before translation (answered or dropped)")
                    .tags("kind", r.kind(), "condition", condition(r)).register(registry).increment();
            return;
        }
        String partner = partner(r);
        String direction = r.direction().startsWith("xmpp") ? "xmpp-sip" : "sip-xmpp";
        String outcome = r.outcome().name().toLowerCase(java.util.Locale.ROOT);
        kept(translations, List.of(partner, direction, r.kind(), outcome), () -> Counter.builder("parley.translations")
                .description("translated events")
                .tags("partner", partner, "direction", direction, "kind", r.kind(), "outcome", outcome)
                .register(registry)).increment();
        if (r.outcome() != TranslationRecord.Outcome.DELIVERED) {
            Counter.builder("parley.translation.errors").description("refused or failed translations by condition")
                    .tags("partner", partner, "condition", condition(r)).register(registry).increment();
        }
        kept(latencies, List.of(direction, r.kind()), () -> Timer.builder("parley.translation.latency")
                .description("arrival to outcome").publishPercentileHistogram()
                .tags("direction", direction, "kind", r.kind())
                .register(registry)).record(Duration.ofNanos(r.latencyMicros() * 1000));
    }

    private static <M> M kept(Map<List<String>, M> meters, List<String> tags, java.util.function.Supplier<M> registered) {
        M meter = meters.get(tags);
        if (meter == null) {
            meter = registered.get(); // the registry's own meter for these tags, new or not
            if (meters.size() >= KEPT_METERS) {
                meters.clear();
            }
            meters.put(tags, meter);
        }
        return meter;
    }

    /** What {@link TranslationTrace#refusal} records: not translations, and from peers whose addresses are not trusted. */
    private static final java.util.Set<String> REFUSAL_KINDS = java.util.Set.of("sip-request", "stanza", "stream");

    /** The first word of the reason: a condition name or a status code (bounded sets), never free text. */
    private static String condition(TranslationRecord r) {
        if (r.reason() == null) {
            return "unknown";
        }
        String first = r.reason().split("[: ]", 2)[0].toLowerCase(java.util.Locale.ROOT);
        return first.matches("[a-z0-9-]{1,40}") ? first : "other";
    }

    private String partner(TranslationRecord r) {
        for (String address : new String[] {r.from(), r.to()}) {
            String domain = domainOf(address);
            if (domain != null && !lyncDomains.contains(domain)) {
                return domain;
            }
        }
        return "none";
    }

    /** "xmpp:juliet@xmpp.test/balcony" or "sip:alice@contoso.com" → the domain. */
    static String domainOf(String address) {
        if (address == null || address.equals("null")) {
            return null;
        }
        String s = address.substring(address.indexOf(':') + 1);
        int at = s.indexOf('@');
        s = at >= 0 ? s.substring(at + 1) : s;
        int end = s.indexOf('/');
        s = end >= 0 ? s.substring(0, end) : s;
        int semi = s.indexOf(';');
        return (semi >= 0 ? s.substring(0, semi) : s).toLowerCase(java.util.Locale.ROOT);
    }
}
