package org.parley.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Entry point: {@code parley <command>} runs an operator tool ({@link org.parley.gateway.cli.ParleyCli}),
 * no command runs the gateway service. Wiring of the protocol modules lives in the
 * {@code @Configuration} classes; this class only boots Spring.
 */
@SpringBootApplication
public class ParleyApplication {

    public static void main(String[] args) {
        if (org.parley.gateway.cli.ParleyCli.isCommand(args)) {
            System.exit(org.parley.gateway.cli.ParleyCli.run(args));
        }
        String[] springArgs;
        try {
            springArgs = org.parley.gateway.config.ConfigLocation.arguments(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("parley: " + e.getMessage());
            System.exit(2);
            return;
        }
        SpringApplication.run(ParleyApplication.class, springArgs);
    }
}
