package org.parley.sip.im;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Ends idle IM sessions with BYE, as Lync does after ≈ 10 min; the next message re-INVITEs. */
final class IdleSessionSweeper {

    private static final System.Logger LOG = System.getLogger(IdleSessionSweeper.class.getName());

    private final ImSessionRegistry sessions;
    private final ImSessionChannel channel;
    private final Clock clock;
    private final Duration idle;

    IdleSessionSweeper(ImSessionRegistry sessions, ImSessionChannel channel, Clock clock, Duration idle) {
        this.sessions = sessions;
        this.channel = channel;
        this.clock = clock;
        this.idle = idle;
    }

    /** How often to sweep: a quarter of the idle time, between 1 ms and 30 s. */
    long periodMillis() {
        return Math.max(1, Math.min(idle.toMillis() / 4, 30_000));
    }

    void sweep() {
        var cutoff = clock.instant().minus(idle);
        for (ImSession s : List.copyOf(sessions.all())) {
            if (s.lastActivity().isBefore(cutoff)) {
                // out of the registry before the BYE leaves: a message sent meanwhile starts a new session instead of
                // going into the one being ended (found by LyncDialectTest under CI load)
                ImSession removed = sessions.remove(s.callId());
                if (removed == null) {
                    continue; // ended meanwhile
                }
                if (!removed.lastActivity().isBefore(cutoff)) {
                    sessions.put(removed); // used since the sweep began: it stays
                    continue;
                }
                try {
                    channel.bye(removed); // the removed copy: its CSeq counts every request sent in the session
                } catch (RuntimeException e) {
                    // a broken session must not stop the sweeper (a thrown exception cancels the schedule)
                    LOG.log(System.Logger.Level.WARNING, "BYE for idle session " + s.callId() + " failed: " + e);
                }
            }
        }
    }
}
