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

    @Test
    void isLiveButNotReadyWhileNoFrontEndHasAnswered() {
        ResponseEntity<String> liveness = http.getForEntity("/actuator/health/liveness", String.class);
        ResponseEntity<String> readiness = http.getForEntity("/actuator/health/readiness", String.class);

        assertThat(liveness.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(liveness.getBody()).contains("\"status\":\"UP\"");
        // the embedded default points at 127.0.0.1:5062, where nothing answers in this test
        assertThat(readiness.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(readiness.getBody()).contains("OUT_OF_SERVICE");
    }
}
