package org.parley.sip.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.parley.sip.transport.StrictSyntax;

/**
 * Fuzz target for the strict SIP syntax check that runs on every raw header block before JAIN-SIP's
 * parser, and for its stand-ins for unparseable headers. Contract: a verdict (or a stand-in / null)
 * for any input — never an exception, which would reach JAIN-SIP's reader thread.
 */
class SipSyntaxFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void requests(byte[] input) {
        String head = new String(input, StandardCharsets.UTF_8);
        StrictSyntax.Verdict verdict = StrictSyntax.inspect(head);
        if (verdict.repairedHead() != null) {
            StrictSyntax.inspect(verdict.repairedHead());
        }
        String[] lines = head.split("\r?\n", 10);
        for (int i = 0; i < Math.min(lines.length, 9); i++) {
            StrictSyntax.repairHeader(head, lines[i]); // the parser asks for at most four stand-ins per message
        }
    }
}
