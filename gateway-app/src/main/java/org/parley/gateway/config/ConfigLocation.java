package org.parley.gateway.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the configuration file is: {@code --config FILE} (or {@code --config=FILE}), else the environment
 * variable {@code PARLEY_CONFIG}. Given either, Parley reads that file and its built-in defaults and nothing
 * from the working directory — one file an operator can point at. Given neither, Spring Boot's usual places:
 * {@code application.yml} in the working directory or its {@code config/} subdirectory (not beside the jar).
 * The service and every command resolve it here, and the service logs the files it read.
 */
public final class ConfigLocation {

    public static final String ENVIRONMENT_VARIABLE = "PARLEY_CONFIG";

    private ConfigLocation() {
    }

    /** {@code args} with the config option turned into Spring's {@code spring.config.location}. */
    public static String[] arguments(String[] args, Map<String, String> environment) {
        List<String> out = new ArrayList<>();
        String file = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--config=")) {
                file = a.substring("--config=".length());
            } else if (a.equals("--config")) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new IllegalArgumentException("--config needs a file, e.g. --config /etc/parley/application.yml");
                }
                file = args[++i];
            } else {
                out.add(a);
            }
        }
        if (file == null) {
            String fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
            file = fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment.trim();
        }
        if (file != null) {
            if (file.isBlank()) {
                throw new IllegalArgumentException("--config needs a file, e.g. --config /etc/parley/application.yml");
            }
            // not optional: a file the operator named and that is missing stops start-up, naming it
            out.add("--spring.config.location=optional:classpath:/,optional:classpath:/config/,file:" + Path.of(file).toAbsolutePath());
        }
        return out.toArray(String[]::new);
    }
}
