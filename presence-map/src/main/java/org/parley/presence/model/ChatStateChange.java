package org.parley.presence.model;

import java.util.Objects;

/** A standalone typing notification (XEP-0085 / Lync KeyboardActivity / RFC 3994 isComposing). */
public record ChatStateChange(Address from, Address to, ChatState state, String conversationId)
        implements GatewayEvent {

    public ChatStateChange {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(state, "state");
    }

    /** As the generated one writes it, without JDK 17's {@code String.format} ({@link RecordText}). */
    @Override
    public String toString() {
        return new RecordText("ChatStateChange")
                .add("from", from)
                .add("to", to)
                .add("state", state)
                .add("conversationId", conversationId)
                .toString();
    }
}
