package org.parley.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.Receipt;
import org.parley.sip.testing.RawSipOverTls;

/**
 * The SIP message an event came from reaches the other side as it arrived — compact header names, odd spacing and
 * header order kept — not as JAIN-SIP re-encodes what it parsed: the trace must show the wire.
 */
class RequestWireTest {

    @Test
    void aPageModeMessageComesWithItsBytesAsTheyArrived() throws Exception {
        BlockingQueue<String> wires = new LinkedBlockingQueue<>();
        try (RawSipOverTls sip = RawSipOverTls.start(new SipInbound() {
            @Override
            public CompletionStage<GatewayEvent> onMessage(ChatMessage m) {
                return CompletableFuture.completedFuture(new Receipt(m.to(), m.from(), m.id()));
            }

            @Override
            public CompletionStage<GatewayEvent> onMessage(ChatMessage m, String wire) {
                wires.add(wire);
                return onMessage(m);
            }
        }); RawSipOverTls.Connection c = sip.connect()) {
            String sent = "MESSAGE sip:juliet@xmpp.test SIP/2.0\r\n"
                    + "v: SIP/2.0/TLS 127.0.0.1:5071;branch=z9hG4bK-wire1\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "f: <sip:alice@contoso.com>;tag=wire1\r\n"
                    + "t:   <sip:juliet@xmpp.test>\r\n"
                    + "i: wire1@fe1.contoso.com\r\n"
                    + "CSeq: 1 MESSAGE\r\n"
                    + "c: text/plain;charset=UTF-8\r\n"
                    + "l: 12\r\n\r\n"
                    + "hello juliet";
            assertThat(c.send(sent).finalResponse()).startsWith("SIP/2.0 200");
            assertThat(wires.poll(5, TimeUnit.SECONDS)).isEqualTo(sent);
        }
    }
}
