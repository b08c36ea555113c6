package org.parley.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.parley.gateway.ParleyApplication;
import org.parley.sip.SipEndpoint;
import org.parley.sip.config.SipTimers;
import org.parley.sip.testing.FreePorts;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** {@code parley.lync.options-probe} and {@code keep-alive} reach the SIP endpoint; a negative one stops start-up. */
class FrontEndTimersConfigTest {

    private static Map<String, Object> base() throws Exception {
        Map<String, Object> p = new HashMap<>();
        p.put("parley.data-dir", Files.createTempDirectory("parley-timers").toString());
        p.put("server.port", "0");
        p.put("parley.lync.listen-port", Integer.toString(FreePorts.next()));
        p.put("parley.xmpp.s2s.port", Integer.toString(FreePorts.next()));
        return p;
    }

    @Test
    void theProbeAndKeepAliveIntervalsAreTheConfiguredOnes() throws Exception {
        Map<String, Object> p = base();
        p.put("parley.lync.options-probe", "45s");
        p.put("parley.lync.keep-alive", "0s");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(ParleyApplication.class).properties(p).run()) {
            SipTimers timers = app.getBean(SipEndpoint.class).config().timers();
            assertThat(timers.optionsProbe()).isEqualTo(Duration.ofSeconds(45));
            assertThat(timers.keepAlive()).isZero();
        }
    }

    @Test
    void byDefaultBothRunEveryThirtySeconds() throws Exception {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(ParleyApplication.class).properties(base()).run()) {
            SipTimers timers = app.getBean(SipEndpoint.class).config().timers();
            assertThat(timers.optionsProbe()).isEqualTo(Duration.ofSeconds(30));
            assertThat(timers.keepAlive()).isEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void aNegativeIntervalNamesTheProperty() throws Exception {
        Map<String, Object> p = base();
        p.put("parley.lync.options-probe", "-5s");
        StringBuilder messages = new StringBuilder();
        try {
            new SpringApplicationBuilder(ParleyApplication.class).properties(p).run().close();
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
        }
        assertThat(messages.toString()).contains("parley.lync.options-probe must be 0s (off) or a positive interval");
    }
}
