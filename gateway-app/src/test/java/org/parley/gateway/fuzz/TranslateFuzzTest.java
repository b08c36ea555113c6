package org.parley.gateway.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import org.parley.gateway.admin.DryRun;
import org.parley.gateway.cli.TranslateCommand;

/**
 * Fuzz target for the translate endpoint ({@code POST /admin/api/translate}, {@code parley translate}):
 * whatever an operator pastes — a stanza, a SIP request, garbage — comes back as a result with an
 * outcome, never as an exception (which the endpoint would turn into a 500), nor as an internal error
 * (an exception the router caught). Both dialects.
 */
class TranslateFuzzTest {

    // built without Spring's binder: a fuzz test runs under Jazzer's agent in a JVM of its own
    private final DryRun rfc = TranslateCommand.engine(Set.of("xmpp.test", "contoso.com"), false, false);
    private final DryRun lync = TranslateCommand.engine(Set.of("xmpp.test", "contoso.com"), true, false);

    /** First byte: protocol and dialect; the rest: the raw message. */
    @FuzzTest(maxDuration = "60s")
    void translate(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int selector = Byte.toUnsignedInt(input[0]);
        String raw = new String(Arrays.copyOfRange(input, 1, input.length), StandardCharsets.UTF_8);
        DryRun engine = (selector & 2) == 0 ? rfc : lync;
        DryRun.Result r = engine.translate((selector & 1) == 0 ? "xmpp" : "sip", raw);
        assertThat(r).isNotNull();
        assertThat(r.outcome()).isNotBlank();
        // the dry run's sides answer everything: an internal error is an exception the router caught and logged
        assertThat(String.valueOf(r.reason())).as("the router caught an exception (see the log)").doesNotStartWith("INTERNAL_SERVER_ERROR");
    }
}
