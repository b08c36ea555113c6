package org.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ParleyApplicationTest {

    @Autowired
    private TestRestTemplate http;

    @Test
    void servesLivenessAndReadinessOnLoopback() {
        ResponseEntity<String> liveness = http.getForEntity("/actuator/health/liveness", String.class);
        ResponseEntity<String> readiness = http.getForEntity("/actuator/health/readiness", String.class);

        assertThat(liveness.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(liveness.getBody()).contains("\"status\":\"UP\"");
        assertThat(readiness.getStatusCode()).isEqualTo(HttpStatus.OK);
    }
}
