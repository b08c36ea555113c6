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

    /** New presence of a user behind the gateway, for every SIP watcher. */
    void publish(PresenceUpdate presence);

    /** The current presence of a user behind the gateway, for one SIP watcher only (just approved; the others have it). */
    void publishTo(PresenceUpdate presence, Address watcher);
}
