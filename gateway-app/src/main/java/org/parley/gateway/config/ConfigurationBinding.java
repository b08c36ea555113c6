package org.parley.gateway.config;

import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How {@code parley.*} is bound, shared by the service and the operator commands so both read a file
 * the same way: Spring's binding plus {@link PartnerEntries} for partner maps keyed by domain.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ParleyProperties.class)
public class ConfigurationBinding {

    @Bean
    static ConfigurationPropertiesBindHandlerAdvisor partnerEntries(ConfigurableEnvironment environment) {
        PropertySourcesPlaceholdersResolver placeholders = new PropertySourcesPlaceholdersResolver(environment);
        return handler -> PartnerEntries.around(handler, placeholders);
    }
}
