package org.parley.gateway.cli;

import org.parley.gateway.config.ParleyProperties;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.parley.gateway.config.ConfigurationBinding;

/**
 * Loads {@code parley.*} exactly as the service does — {@code --config FILE} / {@code PARLEY_CONFIG} or the working directory's application.yml, the
 * environment, {@code --parley.x=y} arguments, the same validation — without starting anything
 * else: the operator commands must never open the gateway's ports.
 */
public final class ConfigLoader {

    /** Only the configuration records, no component scan, no auto-configuration. */
    @Configuration(proxyBeanMethods = false)
    @Import(ConfigurationBinding.class)
    static class ConfigurationOnly {
    }

    private ConfigLoader() {
    }

    /** @param springArgs arguments of the form {@code --parley.lync.pool-fqdn=...} */
    public static ParleyProperties load(String... springArgs) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ConfigurationOnly.class)
                .web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF).logStartupInfo(false)
                .properties("spring.main.log-startup-info=false", "logging.level.root=warn")
                .run(org.parley.gateway.config.ConfigLocation.arguments(springArgs, System.getenv()))) {
            return context.getBean(ParleyProperties.class);
        }
    }
}
