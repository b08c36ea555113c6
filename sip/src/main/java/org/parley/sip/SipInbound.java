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
 */
public interface SipInbound {

    /** A page-mode MESSAGE for a user behind the gateway. */
    CompletionStage<GatewayEvent> onMessage(ChatMessage message);

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

    /** A SIP watcher ended its subscription ({@code CANCEL}) or it expired. */
    default void onUnsubscribe(SubscriptionEvent event) {
    }

    /** A NOTIFY for one of Parley's own subscriptions: {@code update.from()} is the presentity, {@code to()} the watcher. */
    default void onPresence(PresenceUpdate update) {
    }

    /**
     * One of Parley's own subscriptions ended for good: {@code DENY} (rejected, noresource, 403/404)
     * or {@code CANCEL} (unsubscribed). {@code from} is the presentity, {@code to} the watcher.
     */
    default void onSubscriptionEnded(SubscriptionEvent event) {
    }

    /**
     * The request as it arrived, called on the thread that then hands its translation to one of the
     * methods above (or to none, for requests Parley answers itself): for the translation trace.
     */
    default void onRequestWire(String rawRequest) {
    }

    /**
     * An OPTIONS keep-alive to a front-end target finished: {@code status} is the final response
     * code, or 0 when none came. For the trace and the flow view.
     */
    default void onKeepAlive(String target, int status, long latencyMicros) {
    }

    /** A request refused before it became an event (answered 4xx/505 here, or dropped as unparseable): for the trace. */
    default void onRefused(SipRefusal refusal) {
    }

    /** Typing notification from a SIP user (Lync KeyboardActivity INFO, RFC 3994 isComposing), or GONE when an IM session ends. */
    default void onChatState(ChatStateChange change) {
    }

    /**
     * A SIP watcher's subscription is held (new, or refreshed) by this endpoint: a clustered gateway
     * keeps a copy so that another member can end it cleanly when this one dies.
     */
    default void onWatcherDialog(org.parley.sip.subscription.SubscriptionDialog dialog, boolean benotify) {
    }

    /** The SIP watcher's subscription with this Call-ID is no longer held here. */
    default void onWatcherDialogEnded(String callId) {
    }
}
