package org.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.parley.sip.SipEndpoint;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The first start on the embedded default, front end absent (as on any new machine), is quiet: no ERROR, no
 * stack trace, no library version warning, and the missing front end is one WARN line that says what and when.
 */
@ExtendWith(OutputCaptureExtension.class)
class QuietStartTest {

    @Test
    void aFirstStartWithoutFrontEndLogsOneWarningAboutItAndNothingAlarming(CapturedOutput output) throws Exception {
        int frontEnd = org.parley.sip.testing.FreePorts.next(); // nothing listens there
        Map<String, Object> p = Map.of(
                "parley.data-dir", Files.createTempDirectory("parley-quiet").toString(),
                "server.port", "0",
                "parley.lync.listen-port", Integer.toString(org.parley.sip.testing.FreePorts.next()),
                "parley.lync.front-ends[0]", "127.0.0.1:" + frontEnd,
                "parley.xmpp.s2s.port", Integer.toString(org.parley.sip.testing.FreePorts.next()));
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(ParleyApplication.class).properties(p).run()) {
            SipEndpoint sip = app.getBean(SipEndpoint.class);
            assertThat(sip.config().computerFqdn()).as("the Via / Contact host a loopback peer can reach").isEqualTo("127.0.0.1");
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (sip.reachability().states().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(sip.reachability().states()).as("the first OPTIONS probe ran").isNotEmpty();
            Thread.sleep(500); // anything a failed connection logs after the probe's verdict
        }
        String log = output.getAll();
        assertThat(log.lines().filter(l -> l.contains("front end 127.0.0.1:" + frontEnd)))
                .containsExactly(log.lines().filter(l -> l.contains(" WARN ") && l.contains("front end 127.0.0.1:" + frontEnd)
                        && l.endsWith("unreachable: could not connect; retrying every 30 s")).findFirst().orElse("(no such WARN line)"));
        assertThat(log).doesNotContain(" ERROR ").doesNotContain("\tat ").doesNotContain("Exception")
                .doesNotContain("Flyway upgrade recommended").doesNotContain("default tls security policy");
        assertThat(log).contains("configuration: no file read");
    }
}
