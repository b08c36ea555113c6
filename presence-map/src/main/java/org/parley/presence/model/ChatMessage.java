package org.parley.presence.model;

import java.util.Objects;

/**
 * An instant message.
 *
 * @param id               stanza id / SIP correlation, {@code null} if the sender gave none
 * @param kind             chat, normal or headline
 * @param body             plain-text body (always present: HTML-only input gets a text rendering)
 * @param htmlBody         XHTML-IM / text/html body, {@code null} if none
 * @param conversationId   XMPP {@code <thread/>} / Lync {@code Ms-Conversation-ID}, {@code null} if none
 * @param receiptRequested XEP-0184 {@code <request/>} present
 * @param chatState        XEP-0085 state carried with the message, {@code null} if none
 */
public record ChatMessage(
        Address from,
        Address to,
        String id,
        MessageKind kind,
        String body,
        String htmlBody,
        String conversationId,
        boolean receiptRequested,
        ChatState chatState) implements GatewayEvent {

    public ChatMessage {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(body, "body");
    }

    public static ChatMessage text(Address from, Address to, String id, String body) {
        return new ChatMessage(from, to, id, MessageKind.CHAT, body, null, null, false, null);
    }

    /** As the generated one writes it, without JDK 17's {@code String.format} ({@link RecordText}). */
    @Override
    public String toString() {
        return new RecordText("ChatMessage")
                .add("from", from)
                .add("to", to)
                .add("id", id)
                .add("kind", kind)
                .add("body", body)
                .add("htmlBody", htmlBody)
                .add("conversationId", conversationId)
                .add("receiptRequested", receiptRequested)
                .add("chatState", chatState)
                .toString();
    }
}
