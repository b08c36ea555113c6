package org.parley.gateway.load;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/** Fixed-rate (open-loop) and flood runs of one sender against one recorder; each returns its figures as a JSON-ready map. */
final class OpenLoop {

    /** Sends one message; {@code intendedNanos} is the time it was due, which the message carries to its receiver. */
    interface Sender {
        void send(long intendedNanos) throws Exception;
    }

    private OpenLoop() {
    }

    /**
     * Sends {@code rate × seconds} messages each at its intended time, then waits up to 10 s for them
     * to arrive. Quiet output for warm-ups (paths starting with "warm").
     */
    static Map<String, Object> paced(String path, int rate, double seconds, LatencyRecorder recorder, Sender sender) throws InterruptedException {
        long n = Math.max(1, Math.round(rate * seconds));
        long period = 1_000_000_000L / rate;
        long start = System.nanoTime() + 50_000_000L;
        recorder.reset(start);
        long before = recorder.arrived();
        long sendErrors = 0;
        for (long i = 0; i < n; i++) {
            long intended = start + i * period;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            try {
                sender.send(intended);
            } catch (Exception e) {
                sendErrors++;
            }
        }
        long sentAt = System.nanoTime();
        long got = awaitArrivals(recorder, before, n, sentAt + 10_000_000_000L);
        double elapsed = (Math.max(System.nanoTime(), sentAt) - start) / 1e9;
        Map<String, Object> r = figures(path, recorder.snapshot());
        r.put("rate", rate);
        r.put("sent", n - sendErrors);
        r.put("lost", n - got);
        r.put("achievedPerSecond", got / Math.max(elapsed, 1e-9));
        if (!path.startsWith("warm")) {
            System.out.printf("%-12s @ %6d/s: %d arrived of %d, p50 %.2f ms, p99 %.2f ms%n", path, rate, got, n, r.get("p50ms"), r.get("p99ms"));
        }
        return r;
    }

    /**
     * Sends {@code count} messages back to back (the sender blocks only as its stream pushes back)
     * and reports the rate at which they arrived: first send to last arrival.
     */
    static Map<String, Object> flood(String path, int count, LatencyRecorder recorder, Sender sender) throws InterruptedException {
        long start = System.nanoTime();
        recorder.reset(start);
        long before = recorder.arrived();
        long cpuBefore = processCpuNanos();
        long sendErrors = 0;
        for (int i = 0; i < count; i++) {
            try {
                sender.send(System.nanoTime());
            } catch (Exception e) {
                sendErrors++;
            }
        }
        long sentAt = System.nanoTime();
        long got = awaitArrivals(recorder, before, count, sentAt + 30_000_000_000L);
        long lastArrival = System.nanoTime();
        long cpu = processCpuNanos() - cpuBefore;
        Map<String, Object> r = figures(path, recorder.snapshot());
        // the whole JVM's CPU: gateway, peers and generator together — an upper bound for the gateway's share
        r.put("processCpuMicrosPerMessage", got == 0 ? null : cpu / 1e3 / got);
        r.put("rate", "flood");
        r.put("sent", count - sendErrors);
        r.put("lost", count - got);
        r.put("sendPerSecond", count / ((sentAt - start) / 1e9));
        r.put("achievedPerSecond", got / ((lastArrival - start) / 1e9));
        System.out.printf("%-12s flood of %d: %.0f/s arrived (%d lost), %.1f CPU-µs per message (whole process)%n", path, count,
                (Double) r.get("achievedPerSecond"), count - got, got == 0 ? 0.0 : cpu / 1e3 / got);
        return r;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static Map<String, Object> figures(String path, Histogram h) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("path", path);
        r.put("count", h.getTotalCount());
        r.put("p50ms", h.getValueAtPercentile(50) / 1e6);
        r.put("p90ms", h.getValueAtPercentile(90) / 1e6);
        r.put("p99ms", h.getValueAtPercentile(99) / 1e6);
        r.put("p999ms", h.getValueAtPercentile(99.9) / 1e6);
        r.put("maxMs", h.getMaxValue() / 1e6);
        return r;
    }

    /** Waits until {@code n} more arrivals than {@code before} or the deadline; returns how many came. */
    static long awaitArrivals(LatencyRecorder recorder, long before, long n, long deadlineNanos) throws InterruptedException {
        long lastCount = -1;
        long lastChange = System.nanoTime();
        while (recorder.arrived() - before < n && System.nanoTime() < deadlineNanos) {
            long c = recorder.arrived();
            if (c != lastCount) {
                lastCount = c;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > 3_000_000_000L) {
                break; // nothing arrived for 3 s: the rest is lost, not late
            }
            Thread.sleep(5);
        }
        return recorder.arrived() - before;
    }
}
