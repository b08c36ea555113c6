package org.parley.sip;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.model.SubscriptionEvent;

/**
 * What the SIP side hands to the rest of Parley. Answers are asynchronous: the SIP final response
 * is sent when the returned stage completes — with a {@link org.parley.presence.model.Receipt}
 * or a {@link PresenceUpdate} (2xx) or a {@link GatewayError} (mapped by RFC 7247 §7).
 *
 * <p>Each event also comes in a form with {@code wire}: the SIP message it was read from, as it arrived (its bytes,
 * not a re-encoding; {@code null} when no message caused it, e.g. an expiry). The translation trace takes those; the
 * plain forms are for sides that do not keep a trace. What went on the wire is told to the {@link SipWireTap}, and the
 * watcher dialogs a cluster replicates to its {@link org.parley.sip.subscription.WatcherDialogReplication}: each concern
 * has its interface, and {@link SipSides} hands the three to the endpoint.
 */
public interface SipInbound {

    /** A page-mode MESSAGE for a user behind the gateway. */
    CompletionStage<GatewayEvent> onMessage(ChatMessage message);

    default CompletionStage<GatewayEvent> onMessage(ChatMessage message, String wire) {
        return onMessage(message);
    }

    /**
     * A SIP watcher ({@code request.from()}) subscribes to a user behind the gateway ({@code request.to()}):
     * {@code REQUEST} for a subscription, {@code PROBE} for a fetch (Expires: 0, RFC 6665 §4.4.3: one look, nothing
     * to keep). Complete with:
     * <ul>
     *   <li>a {@link PresenceUpdate}: the user has approved this watcher; the first NOTIFY is {@code active}
     *       and carries that state (what the user's side last sent to this watcher);</li>
     *   <li>a {@link SubscriptionEvent} ({@code REQUEST}): the user has not decided yet; the dialog is
     *       {@code pending}, its NOTIFYs carry no state until the notifier is told to authorize it;</li>
     *   <li>a {@link GatewayError}: refused.</li>
     * </ul>
     * The default refuses: a gateway without presence wiring must not accept watchers.
     */
    default CompletionStage<GatewayEvent> onSubscribe(SubscriptionEvent request) {
        return CompletableFuture.completedFuture(new GatewayError(request.to(), request.from(),
                ErrorCondition.FEATURE_NOT_IMPLEMENTED, null, 0, "presence is not served", null, null));
    }

    default CompletionStage<GatewayEvent> onSubscribe(SubscriptionEvent request, String wire) {
        return onSubscribe(request);
    }

    /** A SIP watcher ended its subscription ({@code CANCEL}) or it expired. */
    default void onUnsubscribe(SubscriptionEvent event) {
    }

    default void onUnsubscribe(SubscriptionEvent event, String wire) {
        onUnsubscribe(event);
    }

    /** A NOTIFY for one of Parley's own subscriptions: {@code update.from()} is the presentity, {@code to()} the watcher. */
    default void onPresence(PresenceUpdate update) {
    }

    default void onPresence(PresenceUpdate update, String wire) {
        onPresence(update);
    }

    /**
     * One of Parley's own subscriptions ended for good: {@code DENY} (rejected, noresource, 403/404)
     * or {@code CANCEL} (unsubscribed). {@code from} is the presentity, {@code to} the watcher.
     */
    default void onSubscriptionEnded(SubscriptionEvent event) {
    }

    default void onSubscriptionEnded(SubscriptionEvent event, String wire) {
        onSubscriptionEnded(event);
    }

    /** Typing notification from a SIP user (Lync KeyboardActivity INFO, RFC 3994 isComposing), or GONE when an IM session ends. */
    default void onChatState(ChatStateChange change) {
    }

    default void onChatState(ChatStateChange change, String wire) {
        onChatState(change);
    }
}
