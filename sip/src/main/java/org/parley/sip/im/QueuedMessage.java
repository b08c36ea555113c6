package org.parley.sip.im;

import java.util.concurrent.CompletableFuture;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.GatewayEvent;

/**
 * An IM toward a Lync user with the future its sender waits on.
 *
 * @param retried set once the message was sent again in a new session because its session was gone: a second loss fails it
 */
record QueuedMessage(ChatMessage message, CompletableFuture<GatewayEvent> result, boolean retried) {

    QueuedMessage retry() {
        return new QueuedMessage(message, result, true);
    }

    /** The stanza id the receipt or error answers ({@code ""} when the stanza had none). */
    String id() {
        return message.id() == null ? "" : message.id();
    }
}
