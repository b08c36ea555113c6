package org.parley.presence.model;

import java.util.Objects;

/** A presence subscription request or answer from {@code from} about / to {@code to}. */
public record SubscriptionEvent(Address from, Address to, SubscriptionAction action) implements GatewayEvent {

    public SubscriptionEvent {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(action, "action");
    }

    /** As the generated one writes it, without JDK 17's {@code String.format} ({@link RecordText}). */
    @Override
    public String toString() {
        return new RecordText("SubscriptionEvent")
                .add("from", from)
                .add("to", to)
                .add("action", action)
                .toString();
    }
}
