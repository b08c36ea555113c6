package org.parley.gateway.lab;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Parley as an operator runs it: its own process, {@code java -jar parley.jar --config FILE}. */
final class LabParley implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int adminPort;
    private final Path dataDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LabParley(Process process, Path log, int adminPort, Path dataDir) {
        this.process = process;
        this.log = log;
        this.adminPort = adminPort;
        this.dataDir = dataDir;
    }

    static LabParley start(Path jar, Path config, Path log, int adminPort) throws IOException {
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new LabParley(p, log, adminPort, config.getParent().resolve("parley-data"));
    }

    /** Waits until {@code /actuator/health} contains {@code expected}. */
    void awaitHealth(String expected, Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        String last = "";
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                last = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/actuator/health"))
                                .timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (last.contains(expected)) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new Lab.LabFailure("Parley's health never showed " + expected + " (last: " + last + ", alive: " + process.isAlive()
                + ")\n" + logTail());
    }

    /** How many translations the admin API lists (with the token Parley generated on first start). */
    int traceCount() throws IOException, InterruptedException {
        String token = Files.readString(dataDir.resolve("admin-token")).strip();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/admin/api/translations"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new Lab.LabFailure("admin API answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().split("\"direction\"", -1).length - 1;
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return "--- " + log + " (last lines)\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM: Parley drains as in production; forcibly after 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
