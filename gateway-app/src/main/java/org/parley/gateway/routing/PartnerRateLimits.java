package org.parley.gateway.routing;

import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-partner rate limits, the analogue of Lync's ThrottleAsServer: each XMPP partner domain may send
 * at most {@code perSecond} stanzas a second through the gateway (bursts up to {@code burst}), and
 * each may be sent at most as much from the Lync side. What exceeds it is refused at once —
 * {@code resource-constraint} to the XMPP sender, {@code 503} with {@code Retry-After} to the SIP
 * one — instead of queueing without bound. A token bucket per domain; the table of buckets is
 * bounded: past {@code maxDomains}, buckets that are full again (idle partners) are dropped.
 */
public final class PartnerRateLimits {

    /** A limit of zero turns limiting off. */
    public static final PartnerRateLimits OFF = new PartnerRateLimits(0, 0, Clock.systemUTC(), 1);

    private final double perSecond;
    private final double burst;
    private final Clock clock;
    private final int maxDomains;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public PartnerRateLimits(double perSecond, double burst, Clock clock, int maxDomains) {
        this.perSecond = perSecond;
        this.burst = Math.max(burst, perSecond);
        this.clock = clock;
        this.maxDomains = maxDomains;
    }

    boolean enabled() {
        return perSecond > 0;
    }

    double perSecond() {
        return perSecond;
    }

    /** Takes one stanza's worth for {@code domain}; false when the domain is over its limit. */
    boolean tryAcquire(String domain) {
        if (!enabled() || domain == null) {
            return true;
        }
        if (buckets.size() >= maxDomains) {
            evictIdle();
        }
        long now = clock.millis();
        Bucket b = buckets.computeIfAbsent(domain.toLowerCase(Locale.ROOT), d -> new Bucket(burst, now));
        return b.take(now, perSecond, burst);
    }

    int trackedDomains() {
        return buckets.size();
    }

    private void evictIdle() {
        long now = clock.millis();
        buckets.values().removeIf(b -> b.isFull(now, perSecond, burst));
        if (buckets.size() >= maxDomains) {
            buckets.clear(); // all busy at once: forgetting them only lets each one burst once more
        }
    }

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.last = now;
        }

        synchronized boolean take(long now, double perSecond, double burst) {
            refill(now, perSecond, burst);
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }

        synchronized boolean isFull(long now, double perSecond, double burst) {
            refill(now, perSecond, burst);
            return tokens >= burst;
        }

        private void refill(long now, double perSecond, double burst) {
            if (now > last) {
                tokens = Math.min(burst, tokens + (now - last) * perSecond / 1000.0);
                last = now;
            }
        }
    }
}
