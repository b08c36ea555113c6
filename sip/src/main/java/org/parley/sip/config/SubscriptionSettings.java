package org.parley.sip.config;

import java.time.Duration;

/**
 * Subscription timing.
 *
 * @param subscribeExpires  Expires Parley asks for in its own SUBSCRIBEs
 * @param minExpires        shortest subscription Parley grants (423 below it)
 * @param maxExpires        longest subscription Parley grants (longer requests are shortened)
 * @param notifyInterval    at most one NOTIFY per presentity per interval (RFC 3856 §6.5 suggests 5 s)
 * @param retryBackoff      wait before re-subscribing after a lost subscription
 */
public record SubscriptionSettings(Duration subscribeExpires, Duration minExpires, Duration maxExpires,
                                   Duration notifyInterval, Duration retryBackoff) {

    public static SubscriptionSettings defaults() {
        return new SubscriptionSettings(Duration.ofHours(1), Duration.ofMinutes(1), Duration.ofHours(1),
                Duration.ofSeconds(5), Duration.ofSeconds(10));
    }
}
