package org.parley.sip.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.parley.sip.config.HostPort;

class FrontEndRouteTest {

    private static final HostPort FE1 = new HostPort("10.0.0.1", 5061);
    private static final HostPort FE2 = new HostPort("10.0.0.2", 5061);
    private static final HostPort FE3 = new HostPort("10.0.0.3", 5061);

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void spreadsNewRequestsOverEveryTarget() {
        FrontEndRoute route = new FrontEndRoute(List.of(FE1, FE2, FE3), Duration.ofSeconds(30), new ManualClock());
        Set<HostPort> firsts = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            List<HostPort> plan = route.plan();
            assertThat(plan).containsExactlyInAnyOrder(FE1, FE2, FE3);
            firsts.add(plan.get(0));
        }
        assertThat(firsts).containsExactlyInAnyOrder(FE1, FE2, FE3);
    }

    @Test
    void aFailedTargetGoesLastUntilItsBackoffEnds() {
        ManualClock clock = new ManualClock();
        FrontEndRoute route = new FrontEndRoute(List.of(FE1, FE2), Duration.ofSeconds(30), clock);
        route.markFailed(FE1);
        for (int i = 0; i < 4; i++) {
            assertThat(route.plan()).containsExactly(FE2, FE1);
        }
        assertThat(route.isHealthy(FE1)).isFalse();
        assertThat(route.anyHealthy()).isTrue();

        clock.now = clock.now.plusSeconds(31);
        assertThat(route.isHealthy(FE1)).isTrue();
        Set<HostPort> firsts = new HashSet<>();
        firsts.add(route.plan().get(0));
        firsts.add(route.plan().get(0));
        assertThat(firsts).containsExactlyInAnyOrder(FE1, FE2);
    }

    @Test
    void whenAllTargetsBackOffTheOneRecoveringFirstIsTriedFirst() {
        ManualClock clock = new ManualClock();
        FrontEndRoute route = new FrontEndRoute(List.of(FE1, FE2), Duration.ofSeconds(30), clock);
        route.markFailed(FE2);
        clock.now = clock.now.plusSeconds(10);
        route.markFailed(FE1);
        assertThat(route.anyHealthy()).isFalse();
        assertThat(route.plan()).containsExactly(FE2, FE1);
        route.markHealthy(FE1);
        assertThat(route.plan()).containsExactly(FE1, FE2);
    }
}
