package org.parley.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.parley.gateway.cli.ConfigLoader;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Partner entries keyed by dotted domains, from every kind of source an operator uses. */
class PartnerEntriesTest {

    @Test
    void aPlaceholderInAPartnerSettingIsResolvedAsAnywhereElse() {
        XmppProperties.Partner p = ConfigLoader.load("--PARTNER_SASL=required",
                "--parley.xmpp.s2s.partners.fabrikam.example.sasl-external=${PARTNER_SASL:allowed}").xmpp().s2s().partners().get("fabrikam.example");
        assertThat(p.saslExternal()).isEqualTo("required");
    }

    @Test
    void aWrongValueNamesThePropertyAsWritten() {
        assertThatThrownBy(() -> ConfigLoader.load("--parley.xmpp.s2s.partners.fabrikam.example.tls=sometimes"))
                .hasStackTraceContaining("parley.xmpp.s2s.partners[fabrikam.example]").hasStackTraceContaining("'sometimes'");
    }

    @Test
    void aHigherSourceOverridesOneSettingOfAPartnerAndKeepsTheOthers() {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("file", Map.of(
                "parley.xmpp.s2s.partners.fabrikam.example.tls", "required",
                "parley.xmpp.s2s.partners.fabrikam.example.additional-domains[0]", "chat.fabrikam.example")));
        env.getPropertySources().addFirst(new MapPropertySource("command line", Map.of(
                "parley.xmpp.s2s.partners.fabrikam.example.dialback", "false")));
        XmppProperties.Partner p = PartnerEntries.read(ConfigurationPropertySources.get(env), null).get("fabrikam.example");
        assertThat(p.dialback()).isFalse();
        assertThat(p.tls()).isEqualTo("required");
        assertThat(p.additionalDomains()).containsExactly("chat.fabrikam.example");
    }

    @Test
    void environmentVariablesCannotSayWhereADomainEndsSoTheyAreRefused() {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of("PARLEY_XMPP_S2S_PARTNERS_FABRIKAM_EXAMPLE_TLS", "required")));
        assertThatThrownBy(() -> PartnerEntries.read(ConfigurationPropertySources.get(env), null))
                .hasMessageContaining("partners cannot be set by environment variables").hasMessageContaining("configuration file");
    }
}
