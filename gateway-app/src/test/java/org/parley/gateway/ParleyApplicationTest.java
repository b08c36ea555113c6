package org.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The embedded default starts with no configuration but a data directory and free loopback ports. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ParleyApplicationTest {

    @DynamicPropertySource
    static void embeddedDefaultOnFreePorts(DynamicPropertyRegistry registry) throws IOException {
        Path data = Files.createTempDirectory("parley-app-test");
        registry.add("parley.data-dir", data::toString);
        int sipPort = org.parley.sip.testing.FreePorts.next();
        int s2sPort = org.parley.sip.testing.FreePorts.next();
        registry.add("parley.lync.listen-port", () -> sipPort);
        registry.add("parley.xmpp.s2s.port", () -> s2sPort);
    }

    @Autowired
    private TestRestTemplate http;

    @Autowired
    private io.micrometer.core.instrument.MeterRegistry meters;

    @Autowired
    private org.parley.sip.SipEndpoint sip;

    /**
     * Readiness is the gateway's own state: with the front end away (the embedded default points at
     * 127.0.0.1:5062, where nothing answers here) it is still ready — XMPP partners get Parley's answers,
     * not connection failures — and the front end's absence shows as its own health component.
     */
    @Test
    void isLiveAndReadyWhileTheFrontEndIsAwayAndShowsTheFrontEndDown() throws InterruptedException {
        ResponseEntity<String> liveness = http.getForEntity("/actuator/health/liveness", String.class);
        ResponseEntity<String> readiness = http.getForEntity("/actuator/health/readiness", String.class);

        assertThat(liveness.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(liveness.getBody()).contains("\"status\":\"UP\"");
        assertThat(readiness.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(readiness.getBody()).contains("\"status\":\"UP\"");

        String health = "";
        for (int i = 0; i < 100 && !health.contains("\"frontEnds\":{\"status\":\"DOWN\""); i++) {
            Thread.sleep(100);
            health = http.getForEntity("/actuator/health", String.class).getBody();
        }
        assertThat(health).contains("\"frontEnds\":{\"status\":\"DOWN\"").contains("\"gateway\":{\"status\":\"UP\"");
        assertThat(sip.config().computerFqdn()).as("the Via / Contact host a loopback peer can reach, not localhost").isEqualTo("127.0.0.1");
        // exported as parley_sip_front_end_reachable{target="127.0.0.1:5062"} (tests leave the Prometheus export off)
        assertThat(meters.get("parley.sip.front.end.reachable").tag("target", "127.0.0.1:5062").gauge().value()).isZero();
    }
}
