package org.parley.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Entry point of the Parley gateway service. Wiring of the protocol modules lives in one
 * {@code @Configuration} per module; this class only boots Spring.
 */
@SpringBootApplication
public class ParleyApplication {

    public static void main(String[] args) {
        SpringApplication.run(ParleyApplication.class, args);
    }
}
