package org.parley.presence.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Timed batches for the paired benchmark tools (presence-map's {@code SameJvmAb}, sip's {@code PeerRatio}): the
 * mean cost of one operation over a batch of a fixed duration, and percentiles of the batch figures.
 */
public final class Batches {

    /** One call of what is measured; its result is kept so the JIT cannot drop the call. */
    @FunctionalInterface
    public interface Operation {
        Object run() throws Throwable;
    }

    /** Results go here so the JIT cannot drop the calls. */
    private static volatile Object sink;

    private Batches() {
    }

    /** Mean ns per call of {@code operation} over a batch of about {@code nanos}, in rounds of {@code callsPerRound}. */
    public static double meanNanos(Operation operation, long nanos, int callsPerRound) throws Throwable {
        long start = System.nanoTime();
        long stop = start + nanos;
        long now;
        int calls = 0;
        do {
            for (int i = 0; i < callsPerRound; i++) {
                sink = operation.run();
            }
            calls += callsPerRound;
        } while ((now = System.nanoTime()) < stop);
        return (now - start) / (double) calls;
    }

    /** The {@code p}th percentile (0-100) of {@code values}, nearest rank. */
    public static double percentile(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
    }
}
