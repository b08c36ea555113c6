package org.parley.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.sip.testing.RawSipOverTls;

/**
 * RFC 3261 §18.2.2: a request that arrives over TLS is answered on that connection, whatever its Via says. A Via
 * naming UDP or plain TCP and a host no DNS knows (as RFC 4475's messages and any proxy's do) must not send the
 * answer by UDP, by a new connection, or nowhere; and the connection keeps serving the next request.
 */
class AnswerOnArrivalConnectionTest {

    private static RawSipOverTls sip;

    @BeforeAll
    static void start() throws Exception {
        sip = RawSipOverTls.start();
    }

    @AfterAll
    static void stop() {
        if (sip != null) {
            sip.close();
        }
    }

    @Test
    void everyAnswerGoesBackOnTheConnectionTheRequestCameInOn() throws Exception {
        String uri = "sip:127.0.0.1:" + sip.port() + ";transport=tls";
        try (RawSipOverTls.Connection c = sip.connect()) {
            assertThat(c.send(sip.request("OPTIONS", uri, "UDP host1.example.com", "udp-via")).finalStatus())
                    .as("Via says UDP to an unknown host").isEqualTo(200);
            assertThat(c.send(sip.request("OPTIONS", uri, "TCP host9.example.com:5070", "tcp-via")).finalStatus())
                    .as("Via says TCP to another host").isEqualTo(200);
            // no Contact: JAIN-SIP builds no transaction, so this one is answered statelessly
            assertThat(c.send(sip.request("INVITE", "sip:juliet@xmpp.test", "UDP host1.example.com", "nocontact")).finalResponse())
                    .as("a stateless answer, Via UDP").startsWith("SIP/2.0 400").contains("host1.example.com;branch=z9hG4bK-nocontact");
            assertThat(c.send(sip.request("OPTIONS", uri, "TLS 127.0.0.1:5071", "after")).finalStatus())
                    .as("the connection keeps serving").isEqualTo(200);
        }
    }

    /**
     * RFC 3261 §8.2.6.2: the response's Via is the request's — sent-by and branch as sent, no {@code rport} value the
     * request did not ask for (RFC 3581 §4); §18.2.1's {@code received} is added. The transport is the one deviation,
     * documented in docs/security.md: JAIN-SIP writes the connection's own (TLS) into every Via it encodes.
     */
    @Test
    void theAnswerCarriesTheRequestsViaUnchanged() throws Exception {
        String uri = "sip:127.0.0.1:" + sip.port() + ";transport=tls";
        try (RawSipOverTls.Connection c = sip.connect()) {
            for (String[] via : new String[][] {{"UDP host1.example.com", "via-udp"}, {"TCP host9.example.com:5070", "via-tcp"}}) {
                String answer = c.send(sip.request("OPTIONS", uri, via[0], via[1])).finalResponse();
                String echoed = answer.lines().filter(l -> l.startsWith("Via:")).findFirst().orElseThrow().substring(4).strip();
                String sentBy = via[0].substring(via[0].indexOf(' '));
                assertThat(echoed).isEqualTo("SIP/2.0/TLS" + sentBy + ";branch=z9hG4bK-" + via[1] + ";received=127.0.0.1");
            }
        }
    }
}
