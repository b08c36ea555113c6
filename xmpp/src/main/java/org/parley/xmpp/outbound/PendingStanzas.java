package org.parley.xmpp.outbound;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;

/**
 * Stanzas waiting for a link (component or s2s stream) that is being (re-)established. Bounded
 * in count and in time: when full, or when an event has waited too long, it is answered with a
 * {@link GatewayError} ({@code resource-constraint} / {@code remote-server-timeout}) handed to
 * {@code failures} — nothing grows without bound and nothing vanishes.
 */
public final class PendingStanzas {

    private record Pending(GatewayEvent event, Instant deadline) {
    }

    private final int capacity;
    private final Duration maxWait;
    private final Clock clock;
    private final java.util.function.BiConsumer<GatewayEvent, GatewayError> failures;
    private final Deque<Pending> queue = new ArrayDeque<>();

    public PendingStanzas(int capacity, Duration maxWait, Clock clock, Consumer<GatewayError> failures) {
        this(capacity, maxWait, clock, (event, error) -> failures.accept(error), true);
    }

    /** @param failures told which event failed and with what error (for callers that track each stanza) */
    public PendingStanzas(int capacity, Duration maxWait, Clock clock, java.util.function.BiConsumer<GatewayEvent, GatewayError> failures,
                          boolean tracked) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.maxWait = maxWait;
        this.clock = clock;
        this.failures = failures;
    }

    /** Queues the event; when full it is answered at once with resource-constraint and {@code false} is returned. */
    public boolean offer(GatewayEvent event, String linkName) {
        boolean full;
        synchronized (this) {
            full = queue.size() >= capacity;
            if (!full) {
                queue.addLast(new Pending(event, clock.instant().plus(maxWait)));
            }
        }
        if (full) {
            failures.accept(event, failure(event, ErrorCondition.RESOURCE_CONSTRAINT,
                    "link " + linkName + " is down and " + capacity + " stanzas already wait for it"));
        }
        return !full;
    }

    /** Everything queued, oldest first, to send now that the link is up. */
    public List<GatewayEvent> drain() {
        List<GatewayEvent> out = new ArrayList<>();
        synchronized (this) {
            for (Pending p : queue) {
                out.add(p.event());
            }
            queue.clear();
        }
        return out;
    }

    /** Answers every event that waited past its deadline with remote-server-timeout. */
    public void expire(String linkName) {
        Instant now = clock.instant();
        List<GatewayEvent> expired = new ArrayList<>();
        synchronized (this) {
            while (!queue.isEmpty() && !queue.peekFirst().deadline().isAfter(now)) {
                expired.add(queue.pollFirst().event());
            }
        }
        for (GatewayEvent e : expired) {
            failures.accept(e, failure(e, ErrorCondition.REMOTE_SERVER_TIMEOUT,
                    "link " + linkName + " could not be established within " + maxWait));
        }
    }

    public synchronized int size() {
        return queue.size();
    }

    /** The error that answers {@code event} when it cannot be delivered: from the unreachable address back to the sender. */
    public static GatewayError failure(GatewayEvent event, ErrorCondition condition, String text) {
        Address unreachable = event.to() != null ? event.to() : event.from();
        String id = event instanceof ChatMessage m ? m.id() : null;
        return new GatewayError(unreachable, event.from(), condition, null, 0, text, null, id);
    }
}
