package org.parley.gateway.routing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.parley.presence.model.GatewayEvent;

/**
 * Which gateway member handles what. A presence relationship (and the SIP subscription behind it) and a
 * conversation each have one owning member, chosen by key; events that arrive elsewhere are handed to the
 * owner. One gateway owns everything ({@link #SOLE}).
 */
public interface Ownership {

    /** A single gateway: everything is local, nothing is ever forwarded. */
    Ownership SOLE = new Ownership() {
        @Override
        public boolean isLocal(String key) {
            return true;
        }

        @Override
        public CompletionStage<Boolean> forward(String key, GatewayEvent event, String rawStanza) {
            return CompletableFuture.completedFuture(false);
        }

        @Override
        public String ownerOf(String key) {
            return "this gateway";
        }
    };

    boolean isLocal(String key);

    /**
     * Hands an XMPP-side event to the member owning {@code key}. Completes {@code true} once the owner has
     * taken it, {@code false} when it could not be handed over (the owner left meanwhile): the caller then
     * handles it itself, so nothing is dropped.
     */
    CompletionStage<Boolean> forward(String key, GatewayEvent event, String rawStanza);

    /** The owner's name, for traces and logs. */
    String ownerOf(String key);

    /** The key of a presence relationship: the watcher watches the presentity (bare user@domain as stored: already normalised). */
    static String relationship(String watcher, String presentity) {
        return "rel|" + watcher + "|" + presentity;
    }

    /** The key of a conversation between an XMPP and a Lync user (bare user@domain). */
    static String conversation(String xmppUser, String lyncUser) {
        return "im|" + xmppUser + "|" + lyncUser;
    }
}
