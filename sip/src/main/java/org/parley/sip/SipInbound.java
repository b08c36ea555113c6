package org.parley.sip;

import java.util.concurrent.CompletionStage;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.GatewayEvent;

/**
 * What the SIP side hands to the rest of Parley. Answers are asynchronous: the SIP final response
 * is sent when the returned stage completes — with a {@link org.parley.presence.model.Receipt}
 * (200 OK) or a {@link org.parley.presence.model.GatewayError} (mapped by RFC 7247 §7).
 */
public interface SipInbound {

    CompletionStage<GatewayEvent> onMessage(ChatMessage message);
}
