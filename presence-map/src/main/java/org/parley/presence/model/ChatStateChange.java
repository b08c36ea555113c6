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
}
