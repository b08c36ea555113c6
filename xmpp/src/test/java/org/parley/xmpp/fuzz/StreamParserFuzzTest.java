package org.parley.xmpp.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Set;
import org.parley.xmpp.stream.StanzaReader;
import org.parley.xmpp.stream.StreamErrorException;
import org.parley.xmpp.stream.StreamLimits;

/**
 * Fuzz target for the XMPP stream parser, fed as a socket would feed it: in several reads whose
 * sizes come from the input. Contract: events, or a {@link StreamErrorException} naming the stream
 * error — never another exception, never a hang, never more than the limits allow.
 */
class StreamParserFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void stream(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int chunk = 1 + Byte.toUnsignedInt(input[0]) % 64;
        StanzaReader reader = new StanzaReader(new StreamLimits(16 * 1024, 24), Set.of("jabber:server", "jabber:component:accept"));
        try {
            for (int at = 1; at < input.length; at += chunk) {
                reader.feed(input, at, Math.min(chunk, input.length - at));
            }
        } catch (StreamErrorException expected) {
            // the stream ends with a stream error, as it would on the wire
        }
    }
}
