package org.parley.sip.config;

import java.time.Duration;

/**
 * Subscription and IM-session timing.
 *
 * @param subscribeExpires  Expires Parley asks for in its own SUBSCRIBEs
 * @param minExpires        shortest subscription Parley grants (423 below it)
 * @param maxExpires        longest subscription Parley grants (longer requests are shortened)
 * @param notifyInterval    at most one NOTIFY per presentity per interval (RFC 3856 §6.5 suggests 5 s)
 * @param retryBackoff      wait before re-subscribing after a lost subscription
 * @param imSessionIdle     an IM session Parley holds is ended with BYE after this long without a message
 * @param keepAlive         RFC 5626 CRLF keep-alive interval toward each front-end target (zero: off)
 * @param optionsProbe      OPTIONS health probe interval toward each front-end target (zero: off — then
 *                          readiness sees a front end only once real traffic got an answer)
 */
public record SipTimers(Duration subscribeExpires, Duration minExpires, Duration maxExpires,
                        Duration notifyInterval, Duration retryBackoff, Duration imSessionIdle, Duration keepAlive,
                        Duration optionsProbe) {

    public SipTimers {
        keepAlive = keepAlive == null ? Duration.ofSeconds(30) : keepAlive;
        optionsProbe = optionsProbe == null ? Duration.ofSeconds(30) : optionsProbe;
    }

    public SipTimers(Duration subscribeExpires, Duration minExpires, Duration maxExpires, Duration notifyInterval,
                     Duration retryBackoff, Duration imSessionIdle, Duration keepAlive) {
        this(subscribeExpires, minExpires, maxExpires, notifyInterval, retryBackoff, imSessionIdle, keepAlive, null);
    }

    public SipTimers withOptionsProbe(Duration interval) {
        return new SipTimers(subscribeExpires, minExpires, maxExpires, notifyInterval, retryBackoff, imSessionIdle, keepAlive, interval);
    }

    public SipTimers(Duration subscribeExpires, Duration minExpires, Duration maxExpires, Duration notifyInterval,
                     Duration retryBackoff, Duration imSessionIdle) {
        this(subscribeExpires, minExpires, maxExpires, notifyInterval, retryBackoff, imSessionIdle, null, null);
    }

    public static SipTimers defaults() {
        return new SipTimers(Duration.ofHours(1), Duration.ofMinutes(1), Duration.ofHours(1),
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofSeconds(30));
    }
}
