package org.parley.gateway.load;

import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Latencies of one measurement at a time, from any thread: arrival − intended send time, so a
 * generator that falls behind still records its full delay (no coordinated omission).
 */
final class LatencyRecorder {

    private static final long MAX_NANOS = 120_000_000_000L;

    private final AtomicLong arrived = new AtomicLong();
    private final AtomicLong stale = new AtomicLong();
    private Histogram histogram = new Histogram(MAX_NANOS, 3);
    private volatile long since = Long.MIN_VALUE;

    /** Records one arrival whose send was intended at {@code intendedNanos} ({@link System#nanoTime()} clock). */
    void arrivedFor(long intendedNanos) {
        if (intendedNanos - since < 0) {
            stale.incrementAndGet(); // a straggler of an earlier measurement must not count in this one
            return;
        }
        long latency = Math.max(0, System.nanoTime() - intendedNanos);
        synchronized (this) {
            histogram.recordValue(Math.min(latency, MAX_NANOS));
        }
        arrived.incrementAndGet();
    }

    long arrived() {
        return arrived.get();
    }

    /** Starts a new measurement: only messages intended at or after {@code sinceNanos} count in it. */
    synchronized void reset(long sinceNanos) {
        histogram = new Histogram(MAX_NANOS, 3);
        since = sinceNanos;
    }

    long stale() {
        return stale.get();
    }

    synchronized Histogram snapshot() {
        return histogram.copy();
    }
}
