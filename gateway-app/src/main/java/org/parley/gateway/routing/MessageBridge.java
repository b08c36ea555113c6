package org.parley.gateway.routing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.parley.gateway.trace.TranslationRecord.Outcome;
import org.parley.gateway.trace.TranslationTrace;
import org.parley.presence.MappingException;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.Receipt;

/**
 * Instant messages both ways (RFC 7572), with typing (XEP-0085 ⇄ Lync KeyboardActivity / RFC 3994) and receipts
 * (XEP-0184 from the SIP 2xx). Every IM is answered: one the other side refuses comes back to its sender as an error
 * carrying the reason (ms-diagnostics included).
 */
final class MessageBridge {

    private final RoutingContext ctx;

    MessageBridge(RoutingContext ctx) {
        this.ctx = ctx;
    }

    CompletionStage<Void> toSip(ChatMessage m, TranslationTrace.Translation t) throws MappingException {
        ChatMessage out = (ChatMessage) ctx.addresses().toSip(m);
        t.outputToSip(out).decision("RFC 7572: XMPP " + m.kind().name().toLowerCase(java.util.Locale.ROOT)
                + " message → SIP instant message to " + out.to());
        return ctx.sides().sip().sendMessage(out).handle((outcome, failure) -> {
            if (outcome instanceof Receipt) {
                if (m.receiptRequested()) {
                    ctx.sides().xmpp().send(new Receipt(m.to().bare(), m.from(), m.id()));
                    t.decision("XEP-0184 receipt from the SIP 2xx");
                }
                t.done(Outcome.DELIVERED, null);
            } else if (outcome instanceof GatewayError g) {
                GatewayError back = new GatewayError(m.to(), m.from(), g.condition(), g.type(), g.sipStatus(), reasonText(g), g.diagnostics(), m.id());
                ctx.sides().xmpp().send(back);
                t.output(back, ctx.wire().xmpp()).done(Outcome.REJECTED, "SIP " + g.sipStatus() + " " + g.condition());
            } else {
                Admission.answerXmpp(ctx, m, ErrorCondition.INTERNAL_SERVER_ERROR, failure == null ? "no answer" : failure.getMessage(), t);
            }
            return null;
        });
    }

    void chatStateToSip(ChatStateChange c, TranslationTrace.Translation t) throws MappingException {
        ChatStateChange out = (ChatStateChange) ctx.addresses().toSip(c);
        t.outputToSip(out); // before sending: the request's wire comes back to it
        ctx.sides().sip().sendChatState(out);
        t.done(Outcome.DELIVERED, null);
    }

    /** The ms-diagnostics reason, when the front end gave one, is what an operator needs to read. */
    private static String reasonText(GatewayError g) {
        if (g.diagnostics() != null && g.diagnostics().reason() != null) {
            return g.diagnostics().reason() + (g.text() != null ? " (" + g.text() + ")" : "");
        }
        return g.text();
    }

    /** A SIP MESSAGE (or a message of a Lync IM session): answered once XMPP took it, or with the error it got. */
    CompletionStage<GatewayEvent> fromSip(ChatMessage message, TranslationTrace.Translation t) {
        try {
            ChatMessage out = (ChatMessage) ctx.addresses().toXmpp(message);
            t.output(out, ctx.wire().xmpp()).decision("RFC 7572: SIP instant message → XMPP chat message to " + out.to());
            CompletableFuture<GatewayEvent> sent = ctx.sides().xmpp().send(out);
            // the trace closes on the XMPP outcome itself: the SIP side may stop waiting first (its own timeout)
            sent.whenComplete((outcome, failure) -> {
                if (outcome instanceof GatewayError g) {
                    t.done(Outcome.REJECTED, g.condition() + ": " + g.text());
                } else if (outcome != null) {
                    t.done(Outcome.DELIVERED, null);
                } else {
                    t.done(Outcome.FAILED, failure == null ? "no outcome" : failure.getMessage());
                }
            });
            return sent.thenApply(outcome -> outcome instanceof GatewayError g
                    ? new GatewayError(message.to(), message.from(), g.condition(), g.type(), g.sipStatus(), g.text(), null, message.id())
                    : new Receipt(message.to(), message.from(), message.id()));
        } catch (MappingException e) {
            t.done(Outcome.REJECTED, e.getMessage());
            return CompletableFuture.completedFuture(new GatewayError(message.to(), message.from(), e.reason().condition(), null,
                    e.reason().sipStatus(), e.getMessage(), null, message.id()));
        }
    }
}
