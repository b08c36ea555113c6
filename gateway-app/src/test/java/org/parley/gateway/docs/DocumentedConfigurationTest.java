package org.parley.gateway.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.gateway.cli.ConfigLoader;
import org.parley.gateway.config.ParleyProperties;
import org.parley.gateway.wiring.GatewayConfiguration;
import org.parley.xmpp.s2s.PartnerPolicy;
import org.parley.xmpp.s2s.PartnerRules;
import org.parley.xmpp.s2s.S2sTarget;

/**
 * The configuration examples in docs/ are what Parley runs with: each is loaded the way the service loads
 * its file ({@code --config}), and the seed topology's partner policy, routes and dialects are asserted to be
 * the ones the text describes. A docs edit that stops meaning what it says fails here.
 */
class DocumentedConfigurationTest {

    /** Placeholders the examples leave to the environment. */
    private static final String[] SECRETS = {"--PARLEY_DIALBACK_SECRET=s3cret", "--PARLEY_ADMIN_TOKEN=t0ken", "--PARLEY_DB_PASSWORD=pw"};

    @TempDir
    Path dir;

    static Stream<DocsYaml.Block> parleyExamples() {
        return DocsYaml.all().stream().filter(b -> b.text().startsWith("parley:") || b.text().contains("\nparley:"));
    }

    private ParleyProperties load(DocsYaml.Block block) throws Exception {
        String[] args = Stream.concat(Stream.of("--config=" + DocsYaml.write(block, dir)), Stream.of(SECRETS)).toArray(String[]::new);
        return ConfigLoader.load(args);
    }

    private static DocsYaml.Block block(String file, int ordinal) {
        return DocsYaml.blocks(DocsYaml.docs().resolve(file)).get(ordinal - 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parleyExamples")
    void everyExampleLoads(DocsYaml.Block block) throws Exception {
        assertThat(load(block)).isNotNull();
    }

    @Test
    void theDocsHaveExamplesToCheck() {
        assertThat(parleyExamples().map(b -> b.file().getFileName().toString())).contains("configuration.md", "security.md");
    }

    @Test
    void theSeedTopologyIsThePolicyItDescribes() throws Exception {
        ParleyProperties p = load(block("configuration.md", 1));
        PartnerPolicy policy = GatewayConfiguration.partnerPolicy(p);

        // "unknown-partners: refuse": only the listed partners (and the additional domain) federate
        assertThat(policy.rulesFor("internalxmpp.contoso.com")).contains(new PartnerRules(true, true, false, Set.of()));
        assertThat(policy.rulesFor("fabrikam.example")).contains(new PartnerRules(true, false, true, Set.of("chat.fabrikam.example")));
        assertThat(policy.rulesFor("chat.fabrikam.example")).contains(new PartnerRules(true, false, true, Set.of("chat.fabrikam.example")));
        assertThat(policy.permits("example.org")).isFalse();
        assertThat(policy.permits("fabrikam")).as("no partner made of a domain's first label").isFalse();
        assertThat(policy.rulesFor("lab.tailspin.example")).contains(new PartnerRules(true, true, false, Set.of(),
                Set.of("Itq+o//tzQbjN14tVGiL/cW3Zf7x1gmeg8Aas/gj93c=")));

        assertThat(GatewayConfiguration.partnerTargets(p).targets("internalxmpp.contoso.com"))
                .containsExactly(new S2sTarget("internalxmpp.contoso.com", 5269));
        assertThat(p.lync().computerFqdn()).isEqualTo("parley01.contoso.com");
        assertThat(p.xmpp().s2s().dialbackSecret()).isEqualTo("s3cret");
    }

    @Test
    void theSecurityGuidesPartnersAreThePolicyItDescribes() throws Exception {
        PartnerPolicy policy = GatewayConfiguration.partnerPolicy(load(block("security.md", 1)));
        assertThat(policy.rulesFor("internalxmpp.contoso.com")).contains(new PartnerRules(true, true, false, Set.of()));
        assertThat(policy.rulesFor("chat.fabrikam.example")).isPresent();
        assertThat(policy.permits("spam.example")).isFalse();
        assertThat(policy.permits("unlisted.example")).isFalse();
    }

    @Test
    void dottedDomainKeysOfStringMapsKeepTheirWholeName() throws Exception {
        Path yml = java.nio.file.Files.writeString(dir.resolve("maps.yml"), """
                parley:
                  lync:
                    domains: [contoso.com, fabrikam.com]
                    dialects:
                      fabrikam.com: rfc
                  xmpp:
                    s2s:
                      routes:
                        chat.example.org: "xmpp.example.org:5270"
                """);
        ParleyProperties p = ConfigLoader.load("--config=" + yml);
        assertThat(p.lync().dialects()).containsExactly(java.util.Map.entry("fabrikam.com", "rfc"));
        assertThat(GatewayConfiguration.partnerTargets(p).targets("chat.example.org")).containsExactly(new S2sTarget("xmpp.example.org", 5269 + 1));
    }

    @Test
    void aConfigFileThatIsNotThereStopsTheLoadNamingIt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.load("--config=" + dir.resolve("missing.yml")))
                .hasStackTraceContaining(dir.resolve("missing.yml").toString());
    }

    @Test
    void camelCaseSettingsAsTheChartWritesThemAreRead() throws Exception {
        Path yml = java.nio.file.Files.writeString(dir.resolve("camel.yml"), """
                parley:
                  xmpp:
                    s2s:
                      partners:
                        fabrikam.example: {tls: required, saslExternal: required, dialback: false, additionalDomains: [chat.fabrikam.example]}
                """);
        assertThat(GatewayConfiguration.partnerPolicy(ConfigLoader.load("--config=" + yml)).rulesFor("chat.fabrikam.example"))
                .contains(new PartnerRules(true, true, false, Set.of("chat.fabrikam.example")));
    }
}
