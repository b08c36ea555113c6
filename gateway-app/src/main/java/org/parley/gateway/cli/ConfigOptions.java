package org.parley.gateway.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.parley.gateway.config.ParleyProperties;
import picocli.CommandLine.Option;

/**
 * The configuration option every operator command shares with the service: {@code --config FILE}. A picocli mixin, so that {@code --config FILE} is an option of the command
 * (an unmatched {@code --config} would let picocli take FILE as the command's own positional argument).
 */
public final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "the application.yml to read, as the service's --config (default: PARLEY_CONFIG, else the working directory's)")
    Path config;

    /**
     * The configuration, loaded exactly as the service loads it.
     *
     * @param overrides the command's {@code --parley.x=y} arguments (its own {@code @Unmatched}: picocli does not
     *                  collect unmatched arguments into a mixin)
     */
    public ParleyProperties load(List<String> overrides) {
        List<String> args = new ArrayList<>(overrides);
        if (config != null) {
            args.add("--config=" + config.toAbsolutePath());
        }
        return ConfigLoader.load(args.toArray(String[]::new));
    }
}
