package org.parley.gateway.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Refusals below the translation land in the trace (bodies redacted) and in a counter whose tags stay bounded. */
class RefusalTraceTest {

    private static final Clock FROZEN = Clock.fixed(Instant.parse("2026-11-22T05:00:00Z"), ZoneOffset.UTC);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TranslationTrace trace = new TranslationTrace(100, false, FROZEN,
            new TranslationMetrics(registry, Set.of("contoso.com")));

    @Test
    void aRefusedSipRequestIsRecordedWithItsAnswerAndWithoutItsBody() {
        String raw = "MESSAGE sip:juliet@xmpp.test SIP/2.0\r\nTo: <sip:juliet@xmpp.test>\r\nTo: <sip:romeo@xmpp.test>\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 11\r\n\r\nsecret text";
        trace.refusal("sip→xmpp", "sip-request", "<sip:alice@contoso.com>;tag=1", "<sip:juliet@xmpp.test>", "c1", raw, true,
                "SIP/2.0 400", "400: several To headers (RFC 3261 §7.3: it takes one value)");

        TranslationRecord r = trace.find(x -> true, 10).get(0);
        assertThat(r.kind()).isEqualTo("sip-request");
        assertThat(r.outcome()).isEqualTo(TranslationRecord.Outcome.REJECTED);
        assertThat(r.reason()).startsWith("400: several To headers");
        assertThat(r.correlation()).isEqualTo("c1");
        assertThat(r.outputWires()).containsExactly("SIP/2.0 400");
        assertThat(r.inputWire()).startsWith("MESSAGE sip:juliet@xmpp.test SIP/2.0").doesNotContain("secret text");
    }

    @Test
    void aRefusedStanzaAndItsErrorCopyAreRedacted() {
        String stanza = "<message from='juliet@xmpp.test/x' to='alice@lync.test/' id='m1'><body>secret text</body></message>";
        String error = "<message from='lync.test' to='juliet@xmpp.test/x' id='m1' type='error'><body>secret text</body>"
                + "<error type='modify'><jid-malformed xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>";
        trace.refusal("xmpp→sip", "stanza", "juliet@xmpp.test/x", "alice@lync.test/", "m1", stanza, false, error, "jid-malformed: bad 'to'");

        TranslationRecord r = trace.find(x -> true, 10).get(0);
        assertThat(r.inputWire()).doesNotContain("secret text");
        assertThat(r.outputWires()).singleElement().satisfies(w -> assertThat(w).contains("jid-malformed").doesNotContain("secret text"));
    }

    @Test
    void refusalsAreCountedByKindAndConditionNeverByTheAddressesAPeerClaimed() {
        for (int i = 0; i < 50; i++) {
            trace.refusal("xmpp→sip", "stanza", "x@forged" + i + ".example", "y@lync.test", null, null, false, null,
                    "jid-malformed: forged " + i);
        }
        trace.refusal("xmpp→sip", "stream", "203.0.113.9:4444", "lync.test", null, null, false, "<stream:error/>",
                "not-well-formed: unexpected end tag");
        trace.refusal("sip→xmpp", "sip-request", null, null, null, null, true, null, "dropped: JAIN-SIP cannot parse it");
        trace.refusal("sip→xmpp", "sip-request", null, null, null, null, true, null, "<script>: free text first");

        assertThat(registry.get("parley.refusals").tags("kind", "stanza", "condition", "jid-malformed").counter().count()).isEqualTo(50);
        assertThat(registry.get("parley.refusals").tags("kind", "stream", "condition", "not-well-formed").counter().count()).isEqualTo(1);
        assertThat(registry.get("parley.refusals").tags("kind", "sip-request", "condition", "dropped").counter().count()).isEqualTo(1);
        assertThat(registry.get("parley.refusals").tags("kind", "sip-request", "condition", "other").counter().count()).isEqualTo(1);
        assertThat(registry.find("parley.translations").counters()).as("refusals are not translations").isEmpty();
        assertThat(registry.getMeters()).hasSize(4);
        List<TranslationRecord> all = trace.find(x -> true, 100);
        assertThat(all).hasSize(53).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(TranslationRecord.Outcome.REJECTED));
    }
}
