package org.parley.gateway.routing;

import java.util.concurrent.CompletableFuture;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.PresenceUpdate;

/** Where the router sends events bound for SIP (addresses in the SIP scheme). */
public interface SipSide {

    /** Completes with a Receipt (2xx) or the GatewayError the SIP side answered. */
    CompletableFuture<GatewayEvent> sendMessage(ChatMessage message);

    void sendChatState(ChatStateChange change);

    /** Completes with APPROVE once the front end accepts, or a GatewayError. */
    CompletableFuture<GatewayEvent> subscribe(Address watcher, Address presentity);

    void unsubscribe(Address watcher, Address presentity);

    /**
     * New presence of a user behind the gateway ({@code presence.from()}) for one SIP watcher ({@code presence.to()}):
     * reaches that watcher's dialogs only, and only once the user approved it.
     */
    void publish(PresenceUpdate presence);

    /** The user behind the gateway approved the watcher: its dialogs turn active with {@code current}. */
    void authorize(Address presentity, Address watcher, PresenceUpdate current);

    /** The user refused or revoked the watcher: its dialogs end ({@code terminated;reason=rejected}). */
    void reject(Address presentity, Address watcher);
}
