package org.parley.sip.testing;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.model.Receipt;
import org.parley.presence.model.SubscriptionEvent;
import org.parley.sip.SipInbound;

/** The rest of Parley, as far as SIP tests need it: records what arrives, answers as told. */
public final class RecordingInbound implements SipInbound, org.parley.sip.SipWireTap {

    public final BlockingQueue<ChatMessage> messages = new LinkedBlockingQueue<>();
    public final BlockingQueue<PresenceUpdate> presence = new LinkedBlockingQueue<>();
    public final BlockingQueue<SubscriptionEvent> subscriptionEvents = new LinkedBlockingQueue<>();
    public final BlockingQueue<ChatStateChange> chatStates = new LinkedBlockingQueue<>();
    public final BlockingQueue<org.parley.sip.SipRefusal> refusals = new LinkedBlockingQueue<>();
    public final AtomicReference<GatewayEvent> messageAnswer = new AtomicReference<>();
    /** Current presence of users behind the gateway, by bare SIP address; absent users are refused (404). */
    public final Map<Address, PresenceUpdate> states = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<GatewayEvent> onMessage(ChatMessage message) {
        messages.add(message);
        GatewayEvent answer = messageAnswer.get();
        return CompletableFuture.completedFuture(answer != null ? answer : new Receipt(message.to(), message.from(), message.id()));
    }

    @Override
    public CompletionStage<GatewayEvent> onSubscribe(SubscriptionEvent request) {
        subscriptionEvents.add(request);
        PresenceUpdate state = states.get(request.to());
        return CompletableFuture.completedFuture(state != null ? state
                : new GatewayError(request.to(), request.from(), ErrorCondition.ITEM_NOT_FOUND, null, 0, "no such user", null, null));
    }

    @Override
    public void onUnsubscribe(SubscriptionEvent event) {
        subscriptionEvents.add(event);
    }

    @Override
    public void onPresence(PresenceUpdate update) {
        presence.add(update);
    }

    @Override
    public void onSubscriptionEnded(SubscriptionEvent event) {
        subscriptionEvents.add(event);
    }

    @Override
    public void onChatState(ChatStateChange change) {
        chatStates.add(change);
    }

    /** Every request as it arrived on the wire, in order. */
    public final BlockingQueue<String> requestWires = new LinkedBlockingQueue<>();

    /** This recorder as the endpoint's events and wire tap (no cluster). */
    public org.parley.sip.SipSides sides() {
        return new org.parley.sip.SipSides(this, this, org.parley.sip.subscription.WatcherDialogReplication.NONE);
    }

    @Override
    public void onRequestWire(String rawRequest) {
        if (rawRequest != null) {
            requestWires.add(rawRequest);
        }
    }

    @Override
    public void onRefused(org.parley.sip.SipRefusal refusal) {
        refusals.add(refusal);
    }
}
