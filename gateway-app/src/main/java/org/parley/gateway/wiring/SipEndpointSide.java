package org.parley.gateway.wiring;

import java.util.concurrent.CompletableFuture;
import org.parley.gateway.routing.SipSide;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.PresenceUpdate;
import org.parley.sip.SipEndpoint;

/** The SIP endpoint as the router sees it: what production wires, and what the assembled-gateway tests wire. */
public record SipEndpointSide(SipEndpoint sip) implements SipSide {

    @Override
    public CompletableFuture<GatewayEvent> sendMessage(ChatMessage message) {
        return sip.sendMessage(message);
    }

    @Override
    public void sendChatState(ChatStateChange change) {
        sip.sendChatState(change);
    }

    @Override
    public CompletableFuture<GatewayEvent> subscribe(Address watcher, Address presentity) {
        return sip.subscriber().subscribe(watcher, presentity);
    }

    @Override
    public void unsubscribe(Address watcher, Address presentity) {
        sip.subscriber().unsubscribe(watcher, presentity);
    }

    @Override
    public void publish(PresenceUpdate presence) {
        sip.notifier().publish(presence);
    }

    @Override
    public void authorize(Address presentity, Address watcher, PresenceUpdate current) {
        sip.notifier().authorize(presentity, watcher, current);
    }

    @Override
    public void reject(Address presentity, Address watcher) {
        sip.notifier().reject(presentity, watcher);
    }
}
