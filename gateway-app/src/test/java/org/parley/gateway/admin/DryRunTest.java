package org.parley.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.gateway.cli.TranslateCommand;

/**
 * The dry run's engine without Spring: a SIP request missing a header RFC 3261 §8.1.1 makes mandatory is
 * refused with the SIP 400 reason naming the header, in either dialect, whatever the method; never an
 * exception (the endpoint would turn it into a 500, the fuzz target into a finding).
 */
class DryRunTest {

    private static final String REQUEST = """
            %1$s sip:juliet@xmpp.test SIP/2.0
            Via: SIP/2.0/TLS 10.0.0.1:5061;branch=z9hG4bK-dry
            Max-Forwards: 70
            From: <sip:alice@contoso.com>;tag=1
            To: <sip:juliet@xmpp.test>
            Call-ID: dry-missing@10.0.0.1
            CSeq: 1 %1$s
            Event: presence
            Content-Type: text/plain;charset=UTF-8

            hello""";

    static Stream<Arguments> requestsWithoutAMandatoryHeader() {
        return Stream.of("MESSAGE", "NOTIFY", "PUBLISH", "SUBSCRIBE", "INFO").flatMap(method -> Stream.of("From", "To", "Call-ID", "CSeq", "Via")
                .flatMap(header -> Stream.of(true, false).map(lync -> Arguments.of(method, header, lync))));
    }

    @ParameterizedTest(name = "{0} without {1} (lync dialect: {2})")
    @MethodSource("requestsWithoutAMandatoryHeader")
    void aRequestWithoutAMandatoryHeaderIsRefusedWithA400NamingIt(String method, String header, boolean lync) {
        String raw = REQUEST.formatted(method).lines().filter(line -> !line.startsWith(header + ":")).reduce((a, b) -> a + "\n" + b).orElseThrow();
        DryRun engine = TranslateCommand.engine(Set.of("xmpp.test"), lync, false);

        DryRun.Result r = engine.translate("sip", raw);

        assertThat(r.outcome()).isEqualTo("REJECTED");
        assertThat(r.reason()).contains("SIP 400").contains("no " + header + " header");
        assertThat(r.outputs()).isEmpty();
    }
    @org.junit.jupiter.api.Test
    void aMessageWithoutAnIdIsDeliveredAsTheLiveSipSideWouldDeliverIt() {
        // the id is optional (RFC 6120 §8.1.3); the SIP side answers such a message with a receipt for ""
        DryRun engine = TranslateCommand.engine(Set.of("xmpp.test", "contoso.com"), false, false);

        DryRun.Result r = engine.translate("xmpp", "<message from='juliet@xmpp.test/b' to='alice@contoso.com' type='chat'><body>hi</body></message>");

        assertThat(r.outcome()).as(r.reason()).isEqualTo("DELIVERED");
    }
}
