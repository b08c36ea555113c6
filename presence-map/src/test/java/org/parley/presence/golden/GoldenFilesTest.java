package org.parley.presence.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.presence.MappingException;

/**
 * Every mapping table's golden files, as one parameterised test. To (re)write the expected
 * output of file pairs after a deliberate change: {@code ./mvnw -pl presence-map test
 * -Dtest=GoldenFilesTest -Dgolden.update=true}, then review the diff.
 */
class GoldenFilesTest {

    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    static Stream<GoldenCase> cases() {
        return GoldenFiles.load().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void translatesAsTheGoldenFileSays(GoldenCase golden) throws MappingException, IOException {
        String actual = new GoldenTranslations().translate(golden.table(), golden.input().strip());
        if (UPDATE && golden.expectedFile() != null) {
            Files.writeString(golden.expectedFile(), actual + "\n", StandardCharsets.UTF_8);
            return;
        }
        assertThat(golden.expected()).as("expected output for %s", golden.source()).isNotNull();
        assertThat(normalise(actual)).as(golden.source()).isEqualTo(normalise(golden.expected()));
    }

    @Test
    void everyTableHasCases() {
        List<String> tables = GoldenFiles.load().stream().map(GoldenCase::table).distinct().sorted().toList();
        assertThat(tables).contains(
                "jid-to-sip", "sip-to-jid", "xmpp-error-to-sip", "sip-error-to-xmpp",
                "lync-availability-to-model", "model-to-lync-availability", "model-to-xmpp-show",
                "ms-diagnostics", "xmpp-to-model", "xmpp-to-pidf", "pidf-to-xmpp", "xmpp-to-msrtc",
                "msrtc-to-xmpp", "xmpp-aggregate-to-pidf", "xml-safety");
    }

    private static String normalise(String s) {
        return s.strip().replace("\r\n", "\n");
    }
}
