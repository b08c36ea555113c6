package org.parley.presence.model;

import java.util.Objects;

/** XEP-0184 delivery receipt / the 2xx final response of a SIP MESSAGE. */
public record Receipt(Address from, Address to, String messageId) implements GatewayEvent {

    public Receipt {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(messageId, "messageId");
    }

    /** As the generated one writes it, without JDK 17's {@code String.format} ({@link RecordText}). */
    @Override
    public String toString() {
        return new RecordText("Receipt")
                .add("from", from)
                .add("to", to)
                .add("messageId", messageId)
                .toString();
    }
}
