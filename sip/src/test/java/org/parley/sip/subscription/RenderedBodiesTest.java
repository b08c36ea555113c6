package org.parley.sip.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.presence.model.Address;
import org.parley.presence.model.Availability;
import org.parley.presence.model.PresenceUpdate;

class RenderedBodiesTest {

    private static final Address JULIET = Address.xmpp("juliet", "xmpp.test");
    private final List<String> rendered = new ArrayList<>();
    private final RenderedBodies bodies = new RenderedBodies((type, state) -> {
        rendered.add(type + " " + state.availability());
        return type + " " + state.availability() + " #" + rendered.size();
    }, 100);

    private static PresenceUpdate to(int watcher, Availability a) {
        return new PresenceUpdate(JULIET, Address.sip("w" + watcher, "lync.test"), a, 0, List.of(), null, null);
    }

    @Test
    void oneChangeToAThousandWatchersIsRenderedOncePerContentType() {
        for (int w = 0; w < 1000; w++) {
            assertThat(bodies.body("application/pidf+xml", to(w, Availability.AWAY))).isEqualTo("application/pidf+xml AWAY #1");
        }
        assertThat(bodies.body("application/msrtc-event-categories+xml", to(1, Availability.AWAY)))
                .isEqualTo("application/msrtc-event-categories+xml AWAY #2");
        assertThat(rendered).hasSize(2);
    }

    @Test
    void aStateThatComesBackIsRenderedAgainSoItsPublishTimeDoesNotGoBack() {
        bodies.body("application/pidf+xml", to(1, Availability.AWAY));
        bodies.body("application/pidf+xml", to(1, Availability.AVAILABLE));
        assertThat(bodies.body("application/pidf+xml", to(2, Availability.AWAY))).isEqualTo("application/pidf+xml AWAY #3");
    }

    @Test
    void presentitiesDoNotShareBodiesAndTheMemoStaysBounded() {
        for (int p = 0; p < 250; p++) {
            bodies.body("application/pidf+xml", new PresenceUpdate(Address.xmpp("p" + p, "xmpp.test"), null, Availability.AWAY, 0, List.of(),
                    null, null));
        }
        assertThat(rendered).hasSize(250);
        assertThat(bodies.body("application/pidf+xml", new PresenceUpdate(Address.xmpp("p249", "xmpp.test"), null, Availability.AWAY, 0,
                List.of(), null, null))).isEqualTo("application/pidf+xml AWAY #250");
    }
}
