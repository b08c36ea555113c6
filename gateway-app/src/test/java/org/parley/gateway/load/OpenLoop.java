package org.parley.gateway.load;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/** Fixed-rate (open-loop) and flood runs of one sender against one recorder; each returns its figures as a JSON-ready map. */
final class OpenLoop {

    /** Sends one message; {@code intendedNanos} is the time it was due, which the message carries to its receiver. */
    interface Sender {
        void send(long intendedNanos) throws Exception;
    }

    /**
     * The process a path measures and what its answers say: its CPU clock (the gateway's, the relay's,
     * Prosody's own, never the harness's) and the count, so far, of messages answered with an error
     * (an XMPP stanza error back at the sender, a SIP 4xx–6xx).
     */
    record Measured(String process, LongSupplier cpuNanos, LongSupplier errorAnswers, Supplier<Map<String, Long>> threadTicks) {

        Measured(String process, LongSupplier cpuNanos, LongSupplier errorAnswers) {
            this(process, cpuNanos, errorAnswers, Map::of);
        }

        static Measured of(String process, LongSupplier cpuNanos) {
            return new Measured(process, cpuNanos, () -> 0);
        }
    }

    /**
     * How long a step waits, at most, for its backlog after the last send: an overloaded gateway's queue
     * drains late rather than being counted lost. A step still ends 3 s after the last arrival or answer.
     */
    private static final long DRAIN_NANOS = 120_000_000_000L;

    private OpenLoop() {
    }

    /**
     * Sends {@code rate × seconds} messages each at its intended time, then waits up to 10 s for them
     * to arrive. Quiet output for warm-ups (paths starting with "warm").
     */
    static Map<String, Object> paced(String path, int rate, double seconds, LatencyRecorder recorder, Measured measured, Sender sender)
            throws InterruptedException {
        long n = Math.max(1, Math.round(rate * seconds));
        long period = 1_000_000_000L / rate;
        long start = System.nanoTime() + 50_000_000L;
        recorder.reset(start);
        long before = recorder.arrived();
        long errorsBefore = measured.errorAnswers().getAsLong();
        long cpuBefore = measured.cpuNanos().getAsLong();
        long peersBefore = PinnedJvm.cpuNanosOf(ProcessHandle.current().pid());
        Map<String, Long> threadsBefore = measured.threadTicks().get();
        Map<String, Long> peerThreadsBefore = PinnedJvm.threadTicksOf(ProcessHandle.current().pid());
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
        awaitSettled(recorder, before, measured, errorsBefore, n, sentAt + DRAIN_NANOS);
        long got = recorder.arrived() - before;
        long errors = measured.errorAnswers().getAsLong() - errorsBefore;
        long cpu = measured.cpuNanos().getAsLong() - cpuBefore;
        double elapsed = (Math.max(System.nanoTime(), sentAt) - start) / 1e9;
        Map<String, Object> r = figures(path, recorder.snapshot());
        r.put("rate", rate);
        account(r, n, sendErrors, got, errors, measured, cpu);
        r.put("peersCpuPercent", 100.0 * (PinnedJvm.cpuNanosOf(ProcessHandle.current().pid()) - peersBefore) / 1e9 / Math.max(elapsed, 1e-9));
        r.put("cpuByThread", busiestThreads(threadsBefore, measured.threadTicks().get()));
        // a peer thread near the step's whole duration is the peer's own limit, not the gateway's
        r.put("peerCpuByThread", busiestThreads(peerThreadsBefore, PinnedJvm.threadTicksOf(ProcessHandle.current().pid())));
        r.put("achievedPerSecond", got / Math.max(elapsed, 1e-9));
        if (!path.startsWith("warm")) {
            System.out.printf("%-12s @ %6d/s: %d delivered, %d error-answered, %d lost of %d; p50 %.2f ms, p99 %.2f ms; %s %.1f CPU-µs/msg;"
                    + " peers' core %.0f %% busy; %s CPU ms by thread %s; peers' %s%n", path, rate, got, errors, r.get("lost"), n, r.get("p50ms"),
                    r.get("p99ms"), measured.process(), r.get("cpuMicrosPerMessage"), r.get("peersCpuPercent"), measured.process(), r.get("cpuByThread"),
                    r.get("peerCpuByThread"));
        }
        return r;
    }

    /**
     * Sends {@code count} messages back to back (the sender blocks only as its stream pushes back)
     * and reports the rate at which they arrived: first send to last arrival.
     */
    static Map<String, Object> flood(String path, int count, LatencyRecorder recorder, Measured measured, Sender sender) throws InterruptedException {
        long start = System.nanoTime();
        recorder.reset(start);
        long before = recorder.arrived();
        long errorsBefore = measured.errorAnswers().getAsLong();
        long cpuBefore = measured.cpuNanos().getAsLong();
        long peersBefore = PinnedJvm.cpuNanosOf(ProcessHandle.current().pid());
        Map<String, Long> threadsBefore = measured.threadTicks().get();
        Map<String, Long> peerThreadsBefore = PinnedJvm.threadTicksOf(ProcessHandle.current().pid());
        long sendErrors = 0;
        for (int i = 0; i < count; i++) {
            try {
                sender.send(System.nanoTime());
            } catch (Exception e) {
                sendErrors++;
            }
        }
        long sentAt = System.nanoTime();
        awaitSettled(recorder, before, measured, errorsBefore, count, sentAt + DRAIN_NANOS);
        long lastArrival = System.nanoTime();
        long got = recorder.arrived() - before;
        long errors = measured.errorAnswers().getAsLong() - errorsBefore;
        long cpu = measured.cpuNanos().getAsLong() - cpuBefore;
        Map<String, Object> r = figures(path, recorder.snapshot());
        r.put("rate", "flood");
        account(r, count, sendErrors, got, errors, measured, cpu);
        r.put("peersCpuPercent", 100.0 * (PinnedJvm.cpuNanosOf(ProcessHandle.current().pid()) - peersBefore) / (lastArrival - start));
        r.put("cpuByThread", busiestThreads(threadsBefore, measured.threadTicks().get()));
        r.put("peerCpuByThread", busiestThreads(peerThreadsBefore, PinnedJvm.threadTicksOf(ProcessHandle.current().pid())));
        r.put("sendPerSecond", count / ((sentAt - start) / 1e9));
        r.put("achievedPerSecond", got / ((lastArrival - start) / 1e9));
        System.out.printf("%-12s flood of %d: %.0f/s delivered, %d error-answered, %d lost; %s %.1f CPU-µs per message; peers' core %.0f %% busy%n",
                path, count, (Double) r.get("achievedPerSecond"), errors, r.get("lost"), measured.process(), r.get("cpuMicrosPerMessage"),
                r.get("peersCpuPercent"));
        return r;
    }

    /**
     * Every message the generator offered ends as one of: delivered, answered with an error, refused
     * by the generator's own connection (a send that threw), or lost. CPU is the measured process's
     * own time over the step, per message it handled (delivered or answered).
     */
    private static void account(Map<String, Object> r, long offered, long sendErrors, long delivered, long errors, Measured measured, long cpuNanos) {
        long handled = delivered + errors;
        r.put("offered", offered);
        r.put("sent", offered - sendErrors);
        r.put("delivered", delivered);
        r.put("errorAnswered", errors);
        r.put("notSent", sendErrors);
        r.put("lost", Math.max(0, offered - sendErrors - handled));
        r.put("cpuProcess", measured.process());
        r.put("cpuMicrosPerMessage", handled == 0 ? 0.0 : cpuNanos / 1e3 / handled);
    }

    /** The measured process's threads that used the most CPU over the step: name → CPU ms, busiest first (six at most). */
    private static Map<String, Long> busiestThreads(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new LinkedHashMap<>();
        after.entrySet().stream().map(e -> Map.entry(e.getKey(), (e.getValue() - before.getOrDefault(e.getKey(), 0L)) * 10))
                .filter(e -> e.getValue() > 0).sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(6)
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
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
        awaitSettled(recorder, before, Measured.of("none", () -> 0), 0, n, deadlineNanos);
        return recorder.arrived() - before;
    }

    /** Waits until {@code n} messages more than before have arrived or been answered with an error, or the deadline. */
    private static void awaitSettled(LatencyRecorder recorder, long before, Measured measured, long errorsBefore, long n, long deadlineNanos)
            throws InterruptedException {
        LongSupplier settled = () -> recorder.arrived() - before + measured.errorAnswers().getAsLong() - errorsBefore;
        long lastCount = -1;
        long lastChange = System.nanoTime();
        while (settled.getAsLong() < n && System.nanoTime() < deadlineNanos) {
            long c = settled.getAsLong();
            if (c != lastCount) {
                lastCount = c;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > 3_000_000_000L) {
                break; // nothing arrived for 3 s: the rest is lost, not late
            }
            Thread.sleep(5);
        }
    }
}
