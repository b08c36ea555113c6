package org.parley.sip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.sip.testing.RawSipOverTls;

/**
 * RFC 3261 §8.2.1: a method Parley knows but does not serve is answered 405, one it does not know 501, both with
 * {@code Allow} listing what it serves, before any header inspection; OPTIONS says the same in its 200.
 */
class MethodHandlingTest {

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

    private static String allow(String response) {
        return response.lines().filter(l -> l.startsWith("Allow:")).findFirst().orElse("(no Allow)");
    }

    @Test
    void aRegisterIs405WithAllow() throws Exception {
        try (RawSipOverTls.Connection c = sip.connect()) {
            String r = c.send(sip.request("REGISTER", "sip:contoso.com", "TLS 127.0.0.1:5071", "reg")).finalResponse();
            assertThat(r).startsWith("SIP/2.0 405");
            assertThat(allow(r)).contains("INVITE").contains("MESSAGE").contains("SUBSCRIBE").contains("NOTIFY").doesNotContain("REGISTER");
        }
    }

    @Test
    void anUnknownMethodIs501WithAllowEvenWhenItRequiresAnExtension() throws Exception {
        try (RawSipOverTls.Connection c = sip.connect()) {
            String request = sip.request("NEWMETHOD", "sip:juliet@xmpp.test", "TLS 127.0.0.1:5071", "newm")
                    .replace("Max-Forwards: 70\r\n", "Max-Forwards: 70\r\nRequire: nothing-parley-knows\r\n");
            String r = c.send(request).finalResponse();
            assertThat(r).as("§8.2.1 comes before §8.2.2's 420").startsWith("SIP/2.0 501");
            assertThat(allow(r)).contains("INVITE").contains("OPTIONS");
        }
    }

    @Test
    void optionsSaysWhatParleyServesAndSupports() throws Exception {
        try (RawSipOverTls.Connection c = sip.connect()) {
            String r = c.send(sip.request("OPTIONS", "sip:127.0.0.1:" + sip.port(), "TLS 127.0.0.1:5071", "opt")).finalResponse();
            assertThat(r).startsWith("SIP/2.0 200");
            assertThat(allow(r)).contains("MESSAGE").contains("BENOTIFY");
            assertThat(r).contains("Supported: ");
        }
    }
}
