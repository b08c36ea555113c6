package org.parley.gateway.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The load harness (issues #9, #29), one command for S1–S6 against the whole gateway on loopback.
 * The gateway runs in its own JVM on its own core, the peers in this JVM on the other
 * ({@link PinnedJvm}); the relay baseline and Prosody are pinned and measured the same way. Each run
 * starts a fresh gateway; the report gives every run and, per figure, the median over the runs with
 * the lowest and highest run. Scenarios:
 * <ul>
 *   <li>S1 IM XMPP→SIP, S2 IM SIP→XMPP, the TLS byte relay baseline and (scenario {@code prosody}) real
 *       Prosody relaying c2s→c2s, paced at each rate, open loop;</li>
 *   <li>flood: the same three paths sent back to back, for the throughput ceiling;</li>
 *   <li>S3 presence fan-out to 1 / 10 / 100 / 1,000 Lync watchers;</li>
 *   <li>S4 held subscriptions and heap per subscription;</li>
 *   <li>S5 mutual-TLS connection churn beside IM at 1,000 msg/s;</li>
 *   <li>S6 a soak at half the S1 maximum (60 s by default; hours by the fifth argument).</li>
 * </ul>
 * Arguments: {@code rates seconds [scenarios] [maxSubscriptions] [soakSeconds] [runs]}, e.g.
 * {@code 500,1000,2000,5000,10000,20000 5 s1,flood,s3,s4,s5,s6 100000 60 3}; S4 and S6 run in the first
 * run only. System property {@code load.gatewayJvmArgs}: extra JVM options for the gateway process
 * (e.g. a JFR recording). Writes one JSON file, the SVG plots, and per run the gateway's output and
 * GC log, to {@code gateway-app/target/load/}.
 */
public final class LoadHarness {

    private LoadHarness() {
    }

    /** What one invocation asked for. */
    private record Plan(List<Integer> rates, double seconds, Set<String> scenarios, int maxSubscriptions, long soakSeconds, int runs,
                        String gatewayJvmArgs) {

        static Plan of(String[] args) {
            List<Integer> rates = new ArrayList<>();
            for (String r : (args.length > 0 ? args[0] : "500,1000,2000").split(",")) {
                rates.add(Integer.parseInt(r.strip()));
            }
            return new Plan(rates, args.length > 1 ? Double.parseDouble(args[1]) : 5,
                    Set.of((args.length > 2 ? args[2] : "s1,prosody,flood,s3,s4,s5,s6").split(",")),
                    args.length > 3 ? Integer.parseInt(args[3]) : 100_000, args.length > 4 ? Long.parseLong(args[4]) : 60,
                    args.length > 5 ? Integer.parseInt(args[5]) : 3, System.getProperty("load.gatewayJvmArgs", ""));
        }
    }

    public static void main(String[] args) throws Exception {
        Plan plan = Plan.of(args);
        long began = System.nanoTime();
        boolean pinned = PinnedJvm.pinSelf();

        Path out = Path.of("target", "load");
        Files.createDirectories(out);
        String stamp = Long.toString(System.currentTimeMillis());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("at", Instant.now().toString());
        report.put("machine", Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version"));
        report.put("pinning", pinned ? "gateway, relay and Prosody on core " + PinnedJvm.MEASURED_CORE + "; harness and peers on core "
                + PinnedJvm.PEER_CORE : "none (fewer than 2 cores or no taskset): CPU figures are still per process");
        report.put("secondsPerRate", plan.seconds());
        report.put("gatewayJvmArgs", plan.gatewayJvmArgs());

        List<Map<String, Object>> runs = new ArrayList<>();
        for (int run = 1; run <= plan.runs(); run++) {
            System.out.printf("%n== run %d of %d%n", run, plan.runs());
            runs.add(runOnce(plan, run, out.resolve("run-" + stamp + "-" + run)));
        }
        report.put("runs", runs);
        summarize(report, runs, out);
        report.put("elapsedSeconds", (System.nanoTime() - began) / 1e9);
        Path file = out.resolve("load-" + stamp + ".json");
        Files.writeString(file, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
        System.out.printf("%nJSON: %s%nplots: %s/*.svg%nwhole run: %.0f s%n", file.toAbsolutePath(), out.toAbsolutePath(),
                (System.nanoTime() - began) / 1e9);
        System.exit(0);
    }

    /** Scenarios that need the front end's dialogs, so the JAIN-SIP simulator plays it ({@link LoadRig.FrontEnd}). */
    private static final Set<String> SUBSCRIPTION_SCENARIOS = Set.of("s3", "s4");

    /**
     * One run: a fresh gateway process and peers for the IM scenarios, with the raw front end; then, when S3 or S4 is
     * asked for, another fresh gateway with the simulator as its front end (S4 and S6, the long ones, in the first
     * run only). Each gateway is warmed up first.
     */
    private static Map<String, Object> runOnce(Plan plan, int run, Path runDir) throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("run", run);
        report.put("dir", runDir.toAbsolutePath().toString());
        if (plan.scenarios().stream().anyMatch(s -> !SUBSCRIPTION_SCENARIOS.contains(s))) {
            try (LoadRig rig = new LoadRig(runDir.resolve("im"), plan.gatewayJvmArgs(), LoadRig.FrontEnd.RAW)) {
                report.put("imGateway", gatewayFacts(rig));
                imScenarios(plan, run, rig, report);
                report.put("staleArrivals", rig.im.stale());
                report.put("frontEndUnreadable", rig.frontEndUnreadable());
            }
        }
        if (plan.scenarios().stream().anyMatch(SUBSCRIPTION_SCENARIOS::contains)) {
            try (LoadRig rig = new LoadRig(runDir.resolve("subscriptions"), plan.gatewayJvmArgs(), LoadRig.FrontEnd.SIMULATOR)) {
                report.put("subscriptionGateway", gatewayFacts(rig));
                subscriptionScenarios(plan, run, rig, report);
            }
        }
        return report;
    }

    /** S1, S2, the relay and Prosody paced and flooded; S5; S6 (first run only). */
    private static void imScenarios(Plan plan, int run, LoadRig rig, Map<String, Object> report) throws Exception {
        if (plan.scenarios().contains("s1")) {
            List<Map<String, Object>> s1 = new ArrayList<>();
            ProsodyBaseline prosody = plan.scenarios().contains("prosody") ? new ProsodyBaseline(rig.im) : null;
            if (prosody != null) {
                OpenLoop.paced("warm-up prosody", 500, 3, rig.im, prosody.measured(), prosody::send);
            }
            for (int rate : plan.rates()) {
                s1.add(OpenLoop.paced("parley-s1", rate, plan.seconds(), rig.im, rig.s1(), rig::sendXmppIm));
                s1.add(OpenLoop.paced("tls-relay", rate, plan.seconds(), rig.im, rig.relayed(), i -> rig.relay.send(i, "x".repeat(180))));
                s1.add(OpenLoop.paced("parley-s2", rate, plan.seconds(), rig.im, rig.s2(), rig.sipSource::send));
                if (prosody != null) {
                    s1.add(OpenLoop.paced("prosody-c2s", rate, plan.seconds(), rig.im, prosody.measured(), prosody::send));
                }
            }
            if (prosody != null) {
                prosody.close();
            }
            report.put("s1s2", s1);
            report.put("highestRateWithP99Under10ms", RunSummary.highestRate(s1));
        }
        if (plan.scenarios().contains("flood")) {
            int count = (int) Math.max(2_000, Math.min(100_000, 20_000 * plan.seconds()));
            List<Map<String, Object>> flood = new ArrayList<>();
            flood.add(OpenLoop.flood("parley-s1", count, rig.im, rig.s1(), rig::sendXmppIm));
            flood.add(OpenLoop.flood("tls-relay", count, rig.im, rig.relayed(), i -> rig.relay.send(i, "x".repeat(180))));
            flood.add(OpenLoop.flood("parley-s2", count, rig.im, rig.s2(), rig.sipSource::send));
            report.put("flood", flood);
        }
        report.put("s2SipAnswers", Map.of("ok", rig.sipSource.answeredOk(), "error", rig.sipSource.answeredWithError()));
        if (plan.scenarios().contains("s5")) {
            report.put("s5Churn", ChurnScenario.run(rig, new int[] {0, 10, 50, 100}, 1000, Math.max(plan.seconds(), 2)));
        }
        if (plan.scenarios().contains("s6") && run == 1) {
            // half the S1 maximum measured on this machine (docs/performance.md); S4's subscriptions, which keep
            // refreshing and would blur the soak's heap, are held by the other gateway
            report.put("s6Soak", SoakScenario.run(rig, 1000, plan.soakSeconds()));
        }
    }

    /** S3 fan-out and many presentities; S4 held subscriptions (first run only). */
    private static void subscriptionScenarios(Plan plan, int run, LoadRig rig, Map<String, Object> report) throws Exception {
        if (plan.scenarios().contains("s3")) {
            report.put("s3FanOut", FanOutScenario.run(rig, new int[] {1, 10, 100, 1000}, 3));
            if (run == 1) {
                report.put("s3ManyPresentities", FanOutScenario.manyPresentities(rig, 10_000, Math.max(plan.seconds(), 30)));
            }
        }
        if (plan.scenarios().contains("s4") && run == 1) {
            List<Integer> steps = new ArrayList<>();
            for (int s : new int[] {1_000, 5_000, 10_000, 25_000, 50_000, 100_000}) {
                if (s <= plan.maxSubscriptions()) {
                    steps.add(s);
                }
            }
            report.put("s4Subscriptions", SubscriptionHeapScenario.run(rig, steps.stream().mapToInt(Integer::intValue).toArray(), 2_000, 420));
        }
    }

    private static Map<String, Object> gatewayFacts(LoadRig rig) throws Exception {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("pid", rig.gateway.pid());
        facts.put("frontEnd", rig.frontEndKind.name().toLowerCase(java.util.Locale.ROOT));
        facts.putAll(warmUp(rig));
        return facts;
    }

    /**
     * Warm-up until the gateway and the peers are compiled: on its one core the JIT competes with the traffic, and a
     * Spring application's first minute of compilation would be billed to the first steps (measured: the C2 compiler
     * thread took 40–70 % of the gateway's CPU in the first 20 s of S1). The peers' JIT, on the other core, would
     * stall the generators and show as the gateway's latency (measured: 250 ms of the harness's C2 in the first
     * 2,000/s step). Rounds of S1, S2 and the relay at 2,000/s until the compiler threads use under 3 % of the
     * gateway's core and of the peers' over a round (at least 3 rounds, at most 20); the rounds and the last shares
     * are reported.
     */
    private static Map<String, Object> warmUp(LoadRig rig) throws Exception {
        long began = System.nanoTime();
        double jitPercent = 100;
        double peersJitPercent = 100;
        int rounds = 0;
        long harness = ProcessHandle.current().pid();
        while (rounds < 20 && (rounds < 3 || jitPercent >= 3 || peersJitPercent >= 3)) {
            rounds++;
            long roundStart = System.nanoTime();
            long jitBefore = PinnedJvm.compilerTicks(rig.gateway.threadTicks());
            long peersJitBefore = PinnedJvm.compilerTicks(PinnedJvm.threadTicksOf(harness));
            OpenLoop.paced("warm-up", 2000, 3, rig.im, rig.s1(), rig::sendXmppIm);
            OpenLoop.paced("warm-up s2", 2000, 3, rig.im, rig.s2(), rig.sipSource::send);
            OpenLoop.paced("warm-up relay", 2000, 1, rig.im, rig.relayed(), i -> rig.relay.send(i, "w"));
            long elapsed = System.nanoTime() - roundStart;
            jitPercent = (PinnedJvm.compilerTicks(rig.gateway.threadTicks()) - jitBefore) * 10e6 / elapsed * 100;
            peersJitPercent = (PinnedJvm.compilerTicks(PinnedJvm.threadTicksOf(harness)) - peersJitBefore) * 10e6 / elapsed * 100;
            System.out.printf("warm-up round %d: the JIT used %.1f %% of the gateway's core, %.1f %% of the peers'%n", rounds, jitPercent,
                    peersJitPercent);
        }
        long idleFrom = rig.gateway.cpuNanos();
        Thread.sleep(1_000);
        return Map.of("warmUpRounds", rounds, "warmUpSeconds", (System.nanoTime() - began) / 1e9, "warmUpLastJitPercent", jitPercent,
                "warmUpLastPeersJitPercent", peersJitPercent, "gatewayIdleCpuPercent", (rig.gateway.cpuNanos() - idleFrom) / 1e9 * 100);
    }

    /** Medians and spreads over the runs, the milestones judged on them, the table and the plots. */
    @SuppressWarnings("unchecked")
    private static void summarize(Map<String, Object> report, List<Map<String, Object>> runs, Path out) throws Exception {
        List<Map<String, Object>> s1 = RunSummary.medians(runs, "s1s2", "path", "rate");
        List<Map<String, Object>> flood = RunSummary.medians(runs, "flood", "path");
        List<Map<String, Object>> fanOut = RunSummary.medians(runs, "s3FanOut", "watchers");
        List<Map<String, Object>> churn = RunSummary.medians(runs, "s5Churn", "churnPerSecond");
        Map<String, Double> highest = new LinkedHashMap<>();
        List<Map<String, Integer>> perRun = runs.stream().map(r -> (Map<String, Integer>) r.get("highestRateWithP99Under10ms"))
                .filter(java.util.Objects::nonNull).toList();
        if (!perRun.isEmpty()) {
            for (String path : perRun.get(0).keySet()) {
                highest.put(path, RunSummary.median(perRun.stream().mapToDouble(m -> m.getOrDefault(path, 0)).sorted().toArray()));
            }
        }
        Map<String, Object> median = new LinkedHashMap<>();
        median.put("highestRateWithP99Under10ms", highest);
        median.put("s1s2", s1);
        median.put("flood", flood);
        median.put("s3FanOut", fanOut);
        median.put("s5Churn", churn);
        report.put("median", median);
        List<Map<String, Object>> milestones = RunSummary.milestones(highest, flood, fanOut, churn);
        report.put("milestones", milestones);

        printTable("paced (median of runs [min–max])", s1);
        printTable("flood", flood);
        System.out.println("\nhighest paced rate with p99 ≤ 10 ms and nothing lost (median of runs): " + highest);
        milestones.forEach(m -> System.out.printf("%-95s %10.2f  %-18s %s%n", m.get("milestone"), (Double) m.get("median"), m.get("bound"),
                Boolean.TRUE.equals(m.get("met")) ? "met" : "NOT MET"));
        if (!s1.isEmpty()) {
            latencyChart(s1).write(out.resolve("latency-vs-rate.svg"));
        }
        if (!fanOut.isEmpty()) {
            new SvgChart("S3 presence fan-out: NOTIFY latency (median of runs)", "Lync watchers of one XMPP user", "latency (ms)", true, true)
                    .series("p50", points(fanOut, "watchers", "p50ms"))
                    .series("p99", points(fanOut, "watchers", "p99ms"))
                    .series("max", points(fanOut, "watchers", "maxMs"))
                    .write(out.resolve("fan-out.svg"));
        }
        if (!churn.isEmpty()) {
            new SvgChart("S5 IM at 1,000/s beside mutual-TLS connection churn (median of runs)", "new TLS connections per second",
                    "IM latency (ms)", false, true)
                    .series("IM p50", points(churn, "churnPerSecond", "p50ms"))
                    .series("IM p99", points(churn, "churnPerSecond", "p99ms"))
                    .series("handshake+OPTIONS p50", points(churn.subList(1, churn.size()), "churnPerSecond", "connectP50ms"))
                    .write(out.resolve("churn.svg"));
        }
        Map<String, Object> first = runs.get(0);
        if (first.get("s6Soak") instanceof Map<?, ?> s6) {
            List<Map<String, Object>> windows = (List<Map<String, Object>>) s6.get("windows");
            new SvgChart("S6 soak at 1,000 IM/s: gateway heap after GC and p99 per window", "window", "MB / ms", false, false)
                    .series("heap after GC (MB)", points(windows, "window", "heapAfterGcMB"))
                    .series("p99 latency (ms)", points(windows, "window", "p99ms"))
                    .write(out.resolve("soak.svg"));
        }
        if (first.get("s4Subscriptions") instanceof List<?> s4) {
            new SvgChart("S4 gateway heap after full GC vs held subscriptions", "subscriptions held", "heap (MB)", false, false)
                    .series("heap", points(((List<Map<String, Object>>) s4).stream().filter(r -> "s4-subscriptions".equals(r.get("path"))).toList(),
                            "subscriptions", "heapMB"))
                    .write(out.resolve("heap-vs-subscriptions.svg"));
        }
    }

    private static SvgChart latencyChart(List<Map<String, Object>> runs) {
        SvgChart chart = new SvgChart("S1 / S2 latency vs offered rate (open loop)", "messages per second", "latency (ms)", true, true);
        for (String path : List.of("parley-s1", "parley-s2", "tls-relay", "prosody-c2s")) {
            List<Map<String, Object>> mine = runs.stream().filter(r -> path.equals(r.get("path"))).toList();
            chart.series(path + " p50", points(mine, "rate", "p50ms"));
            chart.series(path + " p99", points(mine, "rate", "p99ms"));
        }
        return chart;
    }

    /** Points of figure {@code y} over {@code x}; a figure folded by {@link RunSummary#medians} gives its median. */
    private static List<SvgChart.Point> points(List<Map<String, Object>> rows, String x, String y) {
        Function<Object, Double> num = o -> o instanceof Map<?, ?> m ? ((Number) m.get("median")).doubleValue() : ((Number) o).doubleValue();
        return rows.stream().map(r -> new SvgChart.Point(num.apply(r.get(x)), num.apply(r.get(y)))).toList();
    }

    private static void printTable(String title, List<Map<String, Object>> rows) {
        System.out.printf("%n%s%n%-12s %7s %22s %9s %9s %9s %24s %22s%n", title, "path", "rate/s", "delivered/s", "errors", "lost", "p50 ms",
                "p99 ms", "CPU-µs/msg (process)");
        for (Map<String, Object> r : rows) {
            System.out.printf("%-12s %7s %22s %9s %9s %9s %24s %22s%n", r.get("path"), r.get("rate") == null ? "flood" : r.get("rate"),
                    spread(r.get("achievedPerSecond"), "%.0f"), spread(r.get("errorAnswered"), "%.0f"), spread(r.get("lost"), "%.0f"),
                    spread(r.get("p50ms"), "%.2f"), spread(r.get("p99ms"), "%.2f"), spread(r.get("cpuMicrosPerMessage"), "%.1f"));
        }
    }

    private static String spread(Object folded, String format) {
        if (!(folded instanceof Map<?, ?> m)) {
            return String.valueOf(folded);
        }
        return String.format(format + " [" + format + "–" + format + "]", m.get("median"), m.get("min"), m.get("max"));
    }
}
