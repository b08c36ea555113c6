package org.parley.xmpp;

import org.parley.presence.model.GatewayEvent;

/** What the XMPP side hands to the rest of Parley. */
public interface XmppInbound {

    /** A translated stanza (message, presence, subscription, receipt, chat state, error). */
    void onEvent(GatewayEvent event);

    /** As {@link #onEvent(GatewayEvent)}, with the stanza as it arrived (for the translation trace). */
    default void onEvent(GatewayEvent event, String rawStanza) {
        onEvent(event);
    }

    /** Something refused before it became an event (an error stanza or a stream error was sent): for the trace. */
    default void onRefused(XmppRefusal refusal) {
    }
}
