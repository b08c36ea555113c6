package org.parley.gateway.routing;

import java.util.concurrent.CompletableFuture;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.PresenceUpdate;

/** A SIP side for router tests that only look at messages: presence calls do nothing, subscriptions never answer. */
abstract class StubSipSide implements SipSide {

    @Override
    public abstract CompletableFuture<GatewayEvent> sendMessage(ChatMessage m);

    @Override
    public void sendChatState(ChatStateChange change) {
    }

    @Override
    public CompletableFuture<GatewayEvent> subscribe(Address watcher, Address presentity) {
        return new CompletableFuture<>();
    }

    @Override
    public void unsubscribe(Address watcher, Address presentity) {
    }

    @Override
    public void publish(PresenceUpdate presence) {
    }

    @Override
    public void authorize(Address presentity, Address watcher, PresenceUpdate current) {
    }

    @Override
    public void reject(Address presentity, Address watcher) {
    }
}
