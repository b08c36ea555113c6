package org.parley.presence.xmpp;

import java.util.Optional;
import org.parley.presence.model.SubscriptionAction;

/** RFC 6121 presence types for subscription management ⇄ {@link SubscriptionAction}. */
public final class XmppSubscriptionType {

    private XmppSubscriptionType() {
    }

    public static Optional<SubscriptionAction> decode(String type) {
        if (type == null) {
            return Optional.empty();
        }
        return switch (type) {
            case "subscribe" -> Optional.of(SubscriptionAction.REQUEST);
            case "subscribed" -> Optional.of(SubscriptionAction.APPROVE);
            case "unsubscribe" -> Optional.of(SubscriptionAction.CANCEL);
            case "unsubscribed" -> Optional.of(SubscriptionAction.DENY);
            case "probe" -> Optional.of(SubscriptionAction.PROBE);
            default -> Optional.empty();
        };
    }

    public static String encode(SubscriptionAction action) {
        return switch (action) {
            case REQUEST -> "subscribe";
            case APPROVE -> "subscribed";
            case CANCEL -> "unsubscribe";
            case DENY -> "unsubscribed";
            case PROBE -> "probe";
        };
    }
}
