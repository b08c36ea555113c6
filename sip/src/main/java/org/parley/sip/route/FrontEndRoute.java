package org.parley.sip.route;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.sip.config.HostPort;

/**
 * The static route to a DNS-load-balanced front-end pool: new requests are spread round-robin
 * over the targets that are not backing off; a target that failed (connect, TLS, transaction
 * timeout) is skipped until its back-off ends. When every target is backing off, the one whose
 * back-off ends first is tried rather than failing outright.
 */
public final class FrontEndRoute {

    private volatile List<HostPort> targets;
    private final long backoffMillis;
    private final Clock clock;
    private final AtomicInteger cursor = new AtomicInteger();
    private final Map<HostPort, Instant> backingOffUntil = new ConcurrentHashMap<>();
    private final java.util.Set<HostPort> confirmed = ConcurrentHashMap.newKeySet();

    public FrontEndRoute(List<HostPort> targets, java.time.Duration backoff, Clock clock) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no front-end targets");
        }
        this.targets = List.copyOf(targets);
        this.backoffMillis = backoff.toMillis();
        this.clock = clock;
    }

    /** Targets in the order this request should try them: healthy ones first, rotated. */
    public List<HostPort> plan() {
        Instant now = clock.instant();
        List<HostPort> targets = this.targets;
        int start = Math.floorMod(cursor.getAndIncrement(), targets.size());
        List<HostPort> healthy = new ArrayList<>(targets.size());
        List<HostPort> backingOff = new ArrayList<>(2);
        for (int i = 0; i < targets.size(); i++) {
            HostPort t = targets.get((start + i) % targets.size());
            Instant until = backingOff(t, now);
            if (until == null) {
                healthy.add(t);
            } else {
                backingOff.add(t);
            }
        }
        backingOff.sort((a, b) -> backingOffUntil.getOrDefault(a, now).compareTo(backingOffUntil.getOrDefault(b, now)));
        healthy.addAll(backingOff);
        return healthy;
    }

    /** Replaces the targets (a pool name resolved again); health of targets that stay is kept. */
    public void replaceTargets(List<HostPort> newTargets) {
        if (newTargets.isEmpty()) {
            throw new IllegalArgumentException("no front-end targets");
        }
        this.targets = List.copyOf(newTargets);
        backingOffUntil.keySet().retainAll(this.targets);
    }

    public void markFailed(HostPort target) {
        backingOffUntil.put(target, clock.instant().plusMillis(backoffMillis));
    }

    public void markHealthy(HostPort target) {
        backingOffUntil.remove(target);
        confirmed.add(target);
    }

    /** The target answered (e.g. an OPTIONS probe): healthy, and known to be reachable. */
    public void markConfirmed(HostPort target) {
        markHealthy(target);
    }

    /** Whether a target that is healthy now has ever answered: what readiness needs. */
    public boolean anyConfirmedHealthy() {
        Instant now = clock.instant();
        return this.targets.stream().anyMatch(t -> confirmed.contains(t) && backingOff(t, now) == null);
    }

    public boolean isHealthy(HostPort target) {
        return backingOff(target, clock.instant()) == null;
    }

    public boolean anyHealthy() {
        Instant now = clock.instant();
        return this.targets.stream().anyMatch(t -> backingOff(t, now) == null);
    }

    public List<HostPort> targets() {
        return targets;
    }

    private Instant backingOff(HostPort t, Instant now) {
        Instant until = backingOffUntil.get(t);
        if (until == null || !until.isAfter(now)) {
            return null;
        }
        return until;
    }
}
