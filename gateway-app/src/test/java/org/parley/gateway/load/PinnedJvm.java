package org.parley.gateway.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A process measured on its own: a child JVM (the gateway, the relay) on this harness's class path,
 * pinned with {@code taskset} to its own core, its GC logged to a file, its CPU time read from the
 * kernel. The peers stay in the harness JVM on the other core ({@link #pinSelf}), so what the
 * child's CPU clock counts is its own work only.
 */
final class PinnedJvm implements AutoCloseable {

    /** The core the measured process runs on; the harness and its peers run on the other. */
    static final int MEASURED_CORE = 0;
    static final int PEER_CORE = 1;

    private final String name;
    private final Process process;
    private final Path log;

    private PinnedJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code mainClass} in a new JVM pinned to {@link #MEASURED_CORE}, with a GC log and the
     * output in {@code dir}. {@code extraJvmArgs} (space-separated, may be blank) come before the class.
     */
    static PinnedJvm start(String name, Path dir, String extraJvmArgs, String mainClass, List<String> args) throws IOException {
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>();
        if (canPin()) {
            command.addAll(List.of("taskset", "-c", Integer.toString(MEASURED_CORE)));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // the heap committed up front, as the helm chart does (InitialRAMPercentage = MaxRAMPercentage): left to its
        // default, the initial heap is 1/64 of this machine's memory, and the young generation's size, which sets how
        // often a collection pauses the traffic, would depend on the machine rather than on the gateway
        command.add("-Xms1g");
        command.add("-Xmx1g");
        command.add("-Xlog:gc*:file=" + dir.resolve("gc-" + name + ".log") + ":uptime,level,tags");
        if (extraJvmArgs != null && !extraJvmArgs.isBlank()) {
            command.addAll(List.of(extraJvmArgs.strip().split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        Path log = dir.resolve(name + ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new PinnedJvm(name, p, log);
    }

    /** Waits until every port accepts a TCP connection (the child is listening) or fails with its output. */
    PinnedJvm awaitListening(Duration timeout, int... ports) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int port : ports) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IOException(name + " exited with " + process.exitValue() + ":\n" + tail());
                }
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    break;
                } catch (IOException notYet) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException(name + " not listening on " + port + " after " + timeout + ":\n" + tail());
                    }
                    Thread.sleep(100);
                }
            }
        }
        return this;
    }

    /** The first line of the child's output that starts with {@code prefix}, waiting for it up to {@code timeout}. */
    String awaitLine(String prefix, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new IOException(name + " printed no '" + prefix + "' line:\n" + tail());
    }

    long pid() {
        return process.pid();
    }

    /** The child's CPU time so far (user + system, all threads), as the kernel counts it (10 ms ticks). */
    long cpuNanos() {
        return cpuNanosOf(process.pid());
    }

    /** CPU time of any process (user + system), 0 when the kernel does not tell. */
    static long cpuNanosOf(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(Duration::toNanos).orElse(0L);
    }

    /**
     * CPU time so far per kind of thread of the child, in clock ticks (10 ms): the kernel's per-thread
     * counters ({@code /proc/<pid>/task/<tid>/stat}), threads grouped by name without their numbers
     * and addresses ("C2 CompilerThre", "parley-s2s-in-", "PipelineThread-"). Empty where the kernel does not tell.
     */
    Map<String, Long> threadTicks() {
        return threadTicksOf(pid());
    }

    /** {@link #threadTicks()} of any process (this harness's own peers, say). */
    /** The JIT compiler threads' ticks among {@code threadTicks} (names as {@link #threadTicksOf} gives them). */
    static long compilerTicks(Map<String, Long> threadTicks) {
        return threadTicks.entrySet().stream().filter(e -> e.getKey().contains("CompilerThre")).mapToLong(Map.Entry::getValue).sum();
    }

    static Map<String, Long> threadTicksOf(long pid) {
        Map<String, Long> ticks = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    // the name is between the first '(' and the last ')'; fields 14 and 15 after it are utime, stime
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[\\d/.:]", "");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended while being read
                }
            }
        } catch (IOException noProc) {
            return Map.of();
        }
        return ticks;
    }

    /** The child's heap in use right after a full collection ({@code jcmd GC.run}, then {@code jstat -gc}), in bytes. */
    long heapAfterFullGc() throws IOException, InterruptedException {
        run("jcmd", Long.toString(pid()), "GC.run");
        List<String> lines = run("jstat", "-gc", Long.toString(pid()));
        String[] header = lines.get(0).strip().split("\\s+");
        String[] values = lines.get(1).strip().split("\\s+");
        double kib = 0;
        for (int i = 0; i < header.length; i++) {
            if (List.of("S0U", "S1U", "EU", "OU").contains(header[i])) {
                kib += Double.parseDouble(values[i]);
            }
        }
        return (long) (kib * 1024);
    }

    /** Pins every thread of this JVM (and those it starts later) to {@link #PEER_CORE}; false where it cannot. */
    static boolean pinSelf() throws IOException, InterruptedException {
        if (!canPin()) {
            return false;
        }
        run("taskset", "-a", "-p", "-c", Integer.toString(PEER_CORE), Long.toString(ProcessHandle.current().pid()));
        return true;
    }

    /** Pins every thread of another process (a peer such as Prosody, measured like the gateway) to {@link #MEASURED_CORE}. */
    static void pinToMeasuredCore(long pid) throws IOException, InterruptedException {
        if (canPin()) {
            run("taskset", "-a", "-p", "-c", Integer.toString(MEASURED_CORE), Long.toString(pid));
        }
    }

    /** Two cores at least and taskset installed: otherwise the run says it was not pinned. */
    static boolean canPin() {
        return Runtime.getRuntime().availableProcessors() >= 2 && Files.isExecutable(Path.of("/usr/bin/taskset"));
    }

    private static List<String> run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.add(line);
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + String.join("\n", out));
        }
        return out;
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
