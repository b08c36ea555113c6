package org.parley.gateway.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runs of one harness invocation folded into what docs/performance.md reports: per row (path and
 * rate, watchers, churn…), the median of every figure over the runs with its spread (lowest and
 * highest run), and each issue #29 milestone judged on those medians.
 */
final class RunSummary {

    private RunSummary() {
    }

    /**
     * Rows of the same key (the values of {@code keys}) across runs, each numeric figure replaced by
     * {@code {median, min, max}}. {@code section} names the list in each run's map.
     */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> medians(List<Map<String, Object>> runs, String section, String... keys) {
        Map<List<Object>, List<Map<String, Object>>> byKey = new LinkedHashMap<>();
        for (Map<String, Object> run : runs) {
            Object rows = run.get(section);
            if (!(rows instanceof List<?> list)) {
                continue;
            }
            for (Map<String, Object> row : (List<Map<String, Object>>) list) {
                List<Object> key = Arrays.stream(keys).map(row::get).toList();
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        byKey.forEach((key, rows) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < keys.length; i++) {
                m.put(keys[i], key.get(i));
            }
            m.put("runs", rows.size());
            for (String field : rows.get(0).keySet()) {
                if (m.containsKey(field) || !(rows.get(0).get(field) instanceof Number)) {
                    continue;
                }
                double[] v = rows.stream().map(r -> r.get(field)).filter(Number.class::isInstance)
                        .mapToDouble(n -> ((Number) n).doubleValue()).sorted().toArray();
                m.put(field, Map.of("median", median(v), "min", v[0], "max", v[v.length - 1]));
            }
            out.add(m);
        });
        return out;
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Per path, the highest paced rate at which nothing was lost and p99 stayed at or under 10 ms, in one run. */
    static Map<String, Integer> highestRate(List<Map<String, Object>> rows) {
        Map<String, Integer> best = new LinkedHashMap<>();
        for (Map<String, Object> r : rows) {
            String path = (String) r.get("path");
            best.putIfAbsent(path, 0);
            if ((Long) r.get("lost") == 0 && (Long) r.get("errorAnswered") == 0 && (Double) r.get("p99ms") <= 10.0) {
                best.put(path, Math.max(best.get(path), (Integer) r.get("rate")));
            }
        }
        return best;
    }

    /** The median figure of one row of {@link #medians}, or NaN when that row or figure is missing. */
    static double medianOf(List<Map<String, Object>> medians, String keyField, Object keyValue, String field) {
        return statOf(medians, keyField, keyValue, field, "median");
    }

    /** {@code stat} ("median", "min", "max") of one figure of one row of {@link #medians}; NaN when missing. */
    @SuppressWarnings("unchecked")
    static double statOf(List<Map<String, Object>> medians, String keyField, Object keyValue, String field, String stat) {
        return medians.stream().filter(m -> keyValue.equals(m.get(keyField))).findFirst()
                .map(m -> (Map<String, Object>) m.get(field)).map(f -> ((Number) f.get(stat)).doubleValue()).orElse(Double.NaN);
    }

    /** The milestones of issue #29, each with its figure, its bound and whether the medians meet it. */
    static List<Map<String, Object>> milestones(Map<String, Double> highestRateMedian, List<Map<String, Object>> flood,
                                                List<Map<String, Object>> fanOut, List<Map<String, Object>> churn) {
        List<Map<String, Object>> out = new ArrayList<>();
        Double s1 = highestRateMedian.get("parley-s1");
        Double relay = highestRateMedian.get("tls-relay");
        if (s1 != null && relay != null && relay > 0) {
            out.add(verdict("S1 paced rate at p99 ≤ 10 ms, nothing lost, as a share of the relay's", s1 / relay, "≥ 0.25", s1 / relay >= 0.25));
        }
        double s1Cpu = medianOf(flood, "path", "parley-s1", "cpuMicrosPerMessage");
        if (!Double.isNaN(s1Cpu)) {
            out.add(verdict("gateway CPU-µs per IM XMPP→SIP (flood)", s1Cpu, "≤ 50 (target 25)", s1Cpu <= 50));
        }
        double s2Cpu = medianOf(flood, "path", "parley-s2", "cpuMicrosPerMessage");
        if (!Double.isNaN(s2Cpu)) {
            out.add(verdict("gateway CPU-µs per IM SIP→XMPP (flood)", s2Cpu, "≤ 60 (target 40)", s2Cpu <= 60));
        }
        // fan-out and churn hold in every run, so the worst run is judged
        double fan = statOf(fanOut, "watchers", 1000, "p99ms", "max");
        if (!Double.isNaN(fan)) {
            out.add(verdict("fan-out to 1,000 watchers, NOTIFY p99 ms (worst run)", fan, "≤ 250", fan <= 250));
        }
        double base = medianOf(churn, "churnPerSecond", 0, "p99ms");
        double at50 = statOf(churn, "churnPerSecond", 50, "p99ms", "max");
        if (!Double.isNaN(base) && !Double.isNaN(at50)) {
            out.add(verdict("IM p99 at 50 new MTLS connections/s (worst run) over the no-churn p99 (median)", at50 / base, "≤ 2",
                    at50 <= 2 * base));
        }
        return out;
    }

    private static Map<String, Object> verdict(String what, double value, String bound, boolean met) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("milestone", what);
        m.put("median", value);
        m.put("bound", bound);
        m.put("met", met);
        return m;
    }
}
