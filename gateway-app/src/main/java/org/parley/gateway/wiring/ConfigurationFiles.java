package org.parley.gateway.wiring;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.stereotype.Component;

/** Says at start which configuration files were read, so "which application.yml?" has an answer in the log. */
@Component
public class ConfigurationFiles {

    private static final System.Logger LOG = System.getLogger(ConfigurationFiles.class.getName());
    /** Spring names a file's property source {@code Config resource 'file [path]' via location '...'}. */
    private static final Pattern RESOURCE = Pattern.compile("Config resource '(file|class path resource) \\[([^\\]]+)\\]'");

    private final List<String> read;

    public ConfigurationFiles(ConfigurableEnvironment environment) {
        this.read = read(environment);
        if (read.stream().noneMatch(f -> !f.startsWith("classpath:"))) {
            LOG.log(System.Logger.Level.INFO, "configuration: no file read (working directory " + Path.of("").toAbsolutePath()
                    + "; give one with --config FILE or PARLEY_CONFIG): built-in defaults and overrides only");
        } else {
            LOG.log(System.Logger.Level.INFO, "configuration read from " + String.join(", ", read));
        }
    }

    /** The files in precedence order (highest first); the jar's own defaults as {@code classpath:…}. */
    public List<String> files() {
        return read;
    }

    static List<String> read(ConfigurableEnvironment environment) {
        List<String> files = new ArrayList<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            Matcher m = RESOURCE.matcher(source.getName());
            if (m.find()) {
                files.add(m.group(1).equals("file") ? Path.of(m.group(2)).toAbsolutePath().toString() : "classpath:" + m.group(2));
            }
        }
        return files;
    }
}
