package org.parley.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.gateway.testing.DocsExamples;

/**
 * {@code parley lync-commands}: a static route for every XMPP domain Lync users reach through
 * Parley, and the example in docs/operations.md is what the documented command prints for the
 * documented configuration — both read from the docs, so neither can drift.
 */
class LyncCommandsTest {

    @TempDir
    Path dir;

    private static String run(List<String> args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = ParleyCli.run(args.toArray(String[]::new));
            assertThat(code).as("exit code; printed:\n%s", captured.toString(StandardCharsets.UTF_8)).isZero();
            return captured.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void theDocumentedCommandPrintsTheDocumentedCommandsForTheSeedConfiguration() throws Exception {
        String command = DocsExamples.block("operations.md", "lync-commands-command").replace("\\\n", " ").strip();
        List<String> words = new ArrayList<>(Arrays.asList(command.split("\\s+")));
        assertThat(words.subList(0, 2)).isEqualTo(List.of("parley", "lync-commands"));
        List<String> args = new ArrayList<>(words.subList(1, words.size()));
        // the seed configuration of docs/configuration.md, named as an operator names it
        args.add("--config");
        args.add(DocsExamples.seedConfiguration(dir).toString());

        assertThat(run(args)).isEqualTo(DocsExamples.block("operations.md", "lync-commands-output"));
    }

    @Test
    void everyPartnerTheirAdditionalDomainsRoutesAndXmppDomainsGetOneRouteEachSorted() {
        String out = run(List.of("lync-commands", "--parley.lync.pool-fqdn=parley.contoso.com", "--parley.lync.domains[0]=contoso.com",
                "--parley.lync.front-ends[0]=lyncpool.contoso.com:5061",
                "--parley.xmpp.s2s.partners[fabrikam.example].additional-domains[0]=chat.fabrikam.example",
                "--parley.xmpp.s2s.partners[fabrikam.example].additional-domains[1]=Internal.Contoso.Example",
                "--parley.xmpp.s2s.partners[litware.example].tls=required",
                "--parley.xmpp.s2s.routes[internal.contoso.example]=10.0.0.7:5269",
                "--parley.xmpp.s2s.routes[fabrikam.example]=xmpp.fabrikam.example:5269",
                "--parley.xmpp.domains[0]=conference.contoso.example", "--parley.xmpp.domains[1]=LITWARE.example"));

        assertThat(out.lines().filter(l -> l.startsWith("$route")).map(l -> l.substring(l.indexOf("-MatchUri ") + 10)).toList())
                .containsExactly("chat.fabrikam.example", "conference.contoso.example", "fabrikam.example", "internal.contoso.example", "litware.example");
        assertThat(out.lines().filter(l -> l.startsWith("Set-CsStaticRoutingConfiguration"))).hasSize(5);
        assertThat(out).contains("-Destination parley.contoso.com -Port 5061");
    }

    @Test
    void aLyncDomainNeverGetsAStaticRouteToParley() {
        // a route for contoso.com would send every Lync user's own traffic to Parley
        String out = run(List.of("lync-commands", "--parley.lync.pool-fqdn=parley.contoso.com", "--parley.lync.domains[0]=contoso.com",
                "--parley.lync.front-ends[0]=lyncpool.contoso.com:5061", "--parley.xmpp.domains[0]=Contoso.com",
                "--parley.xmpp.domains[1]=fabrikam.example"));

        assertThat(out).contains("-MatchUri fabrikam.example").doesNotContainPattern("(?i)-MatchUri contoso\\.com");
        assertThat(out).contains("# no static route for contoso.com: it is a Lync domain");
    }
}
