package org.parley.sip.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.parley.sip.config.HostPort;

class FrontEndReachabilityTest {

    private final HostPort fe = new HostPort("127.0.0.1", 5062);
    private final FrontEndReachability reachability =
            new FrontEndReachability(Duration.ofSeconds(30), Clock.fixed(Instant.parse("2026-12-07T06:00:00Z"), ZoneOffset.UTC));

    /** What JAIN-SIP throws when nothing listens: its own IOException around the socket's. */
    private static IOException refused() {
        return new IOException("Could not connect to /127.0.0.1:5062", new ConnectException("Connection refused"));
    }

    @Test
    void aFrontEndThatStaysDownIsOneLineNotOnePerProbe() {
        assertThat(reachability.unreachable(fe, refused()))
                .contains("front end 127.0.0.1:5062 unreachable: connection refused; retrying every 30 s");
        assertThat(reachability.unreachable(fe, refused())).isEmpty();
        assertThat(reachability.unreachable(fe, "no answer to OPTIONS within 8 s")).as("still down: no new line").isEmpty();
        assertThat(reachability.states().get(fe).reachable()).isFalse();
        assertThat(reachability.states().get(fe).detail()).isEqualTo("no answer to OPTIONS within 8 s");
    }

    @Test
    void itsReturnAndItsNextFailureAreOneLineEach() {
        reachability.unreachable(fe, refused());
        assertThat(reachability.answered(fe, 200)).contains("front end 127.0.0.1:5062 answered OPTIONS with 200");
        assertThat(reachability.answered(fe, 200)).isEmpty();
        assertThat(reachability.unreachable(fe, refused())).isPresent();
    }

    @Test
    void theReasonIsTheInnermostCauseInWords() {
        assertThat(FrontEndReachability.reason(refused())).isEqualTo("connection refused");
        assertThat(FrontEndReachability.reason(new IOException("Could not connect to /127.0.0.1:5062")))
                .as("JAIN-SIP's own, without a cause").isEqualTo("could not connect");
        assertThat(FrontEndReachability.reason(new IOException("x", new java.net.UnknownHostException("lyncpool.contoso.com"))))
                .isEqualTo("unknown host lyncpool.contoso.com");
        assertThat(FrontEndReachability.reason(new IOException("x", new javax.net.ssl.SSLHandshakeException("PKIX path building failed"))))
                .isEqualTo("TLS failed: PKIX path building failed");
    }
}
