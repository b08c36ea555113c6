package org.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.sip.testing.FreePorts;

/**
 * The first start on the embedded default, front end absent (as on any new machine), is quiet: no ERROR, no
 * stack trace, no library version warning, and the missing front end is one WARN line that says what and when.
 * The gateway runs in its own JVM, as an operator starts it, so its log is its own and nothing another test left.
 */
class QuietStartTest {

    @TempDir
    Path dir;

    @Test
    void aFirstStartWithoutFrontEndLogsOneWarningAboutItAndNothingAlarming() throws Exception {
        int frontEnd = FreePorts.next(); // nothing listens there
        int admin = FreePorts.next();
        Path log = dir.resolve("parley.log");
        Process parley = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ParleyApplication.class.getName(),
                "--parley.data-dir=" + dir.resolve("data"), "--server.port=" + admin,
                "--parley.lync.listen-port=" + FreePorts.next(), "--parley.lync.front-ends[0]=127.0.0.1:" + frontEnd,
                "--parley.xmpp.s2s.port=" + FreePorts.next()))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String health = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!health.contains("\"frontEnds\":{\"status\":\"DOWN\"") && System.nanoTime() < deadline && parley.isAlive()) {
                try {
                    health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/actuator/health"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
                } catch (java.io.IOException starting) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
            assertThat(health).as("the first OPTIONS probe ran and failed%n%s", Files.readString(log))
                    .contains("\"frontEnds\":{\"status\":\"DOWN\"");
            Thread.sleep(500); // anything a failed connection logs after the probe's verdict
        } finally {
            parley.destroy();
            if (!parley.waitFor(30, TimeUnit.SECONDS)) {
                parley.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        String out = Files.readString(log);
        assertThat(out.lines().filter(l -> l.contains("front end 127.0.0.1:" + frontEnd)))
                .as(out).singleElement().asString().contains(" WARN ").endsWith("unreachable: could not connect; retrying every 30 s");
        assertThat(out).doesNotContain(" ERROR ").doesNotContain("\tat ").doesNotContain("Exception")
                .doesNotContain("Flyway upgrade recommended").doesNotContain("default tls security policy")
                .contains("configuration: no file read");
    }
}
