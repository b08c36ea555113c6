package org.parley.presence.model;

import java.util.Objects;

/**
 * A failure reported across the gateway: an XMPP stanza error or a SIP final error response.
 *
 * @param from           entity that reports the error (the side that failed)
 * @param to             original sender, who receives the error
 * @param condition      XMPP defined condition (mapped by RFC 7247 §7 tables when the source is SIP)
 * @param type           XMPP error type
 * @param sipStatus      SIP status code when the source is (or the target will be) SIP, 0 otherwise
 * @param text           human-readable explanation, {@code null} if none
 * @param diagnostics    parsed ms-diagnostics, {@code null} if none
 * @param correlationId  id of the stanza / SIP transaction this error answers, {@code null} if unknown
 * @param kind           the kind of stanza that caused it, which the XMPP error stanza must be (RFC 6120 §8.3.1)
 */
public record GatewayError(
        Address from,
        Address to,
        ErrorCondition condition,
        ErrorType type,
        int sipStatus,
        String text,
        MsDiagnostics diagnostics,
        String correlationId,
        StanzaKind kind) implements GatewayEvent {

    public GatewayError {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(condition, "condition");
        type = type == null ? condition.defaultType() : type;
        kind = kind == null ? StanzaKind.MESSAGE : kind;
        if (sipStatus != 0 && (sipStatus < 300 || sipStatus > 699)) {
            throw new IllegalArgumentException("not a SIP error status: " + sipStatus);
        }
    }

    /** An error about a message (the usual case: an IM that could not be delivered). */
    public GatewayError(Address from, Address to, ErrorCondition condition, ErrorType type, int sipStatus, String text,
                        MsDiagnostics diagnostics, String correlationId) {
        this(from, to, condition, type, sipStatus, text, diagnostics, correlationId, StanzaKind.MESSAGE);
    }

    /** The same error, answering a stanza of {@code newKind}. */
    public GatewayError as(StanzaKind newKind) {
        return new GatewayError(from, to, condition, type, sipStatus, text, diagnostics, correlationId, newKind);
    }

    /** The same error between other addresses. */
    public GatewayError between(Address newFrom, Address newTo) {
        return new GatewayError(newFrom, newTo, condition, type, sipStatus, text, diagnostics, correlationId, kind);
    }

    /** As the generated one writes it, without JDK 17's {@code String.format} ({@link RecordText}). */
    @Override
    public String toString() {
        return new RecordText("GatewayError")
                .add("from", from)
                .add("to", to)
                .add("condition", condition)
                .add("type", type)
                .add("sipStatus", sipStatus)
                .add("text", text)
                .add("diagnostics", diagnostics)
                .add("correlationId", correlationId)
                .add("kind", kind)
                .toString();
    }
}
