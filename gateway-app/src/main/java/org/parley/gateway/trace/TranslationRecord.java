package org.parley.gateway.trace;

import java.time.Instant;
import java.util.List;

/**
 * One translated message, as the admin API and the flow view show it.
 *
 * @param direction   {@code xmpp→sip} or {@code sip→xmpp}
 * @param kind        message, presence, subscription, chat-state, receipt, error
 * @param correlation stanza id / message id
 * @param input       what arrived (model form; bodies redacted unless configured)
 * @param outputs     what Parley sent on
 * @param decisions   why, including lossy choices
 * @param inputWire   the input as it arrived on the wire (the XMPP stanza, the SIP request's bytes) where the module
 *                    hands it on, else rendered from the model; bodies redacted unless configured
 * @param outputWires what Parley sent, in wire form: XMPP exactly; SIP as the request went on the wire once the SIP
 *                    side sent it (one per request: a NOTIFY in each of a watcher's dialogs, a MESSAGE retried on
 *                    the next front end), until then as Parley renders it
 * @param outcome     DELIVERED, REJECTED or FAILED
 * @param latencyMicros from arrival to the outcome
 */
public record TranslationRecord(long id, Instant at, String direction, String kind, String from, String to, String correlation,
                                String input, List<String> outputs, String inputWire, List<String> outputWires, List<String> decisions,
                                Outcome outcome, String reason, long latencyMicros) implements java.io.Serializable {

    public enum Outcome { DELIVERED, REJECTED, FAILED }

    /**
     * Every kind a record can have: the translations ({@link TranslationTrace#kind}), the keep-alive
     * probes, and the refusals below the translation (Router: {@code sip-request}; the XMPP module's
     * {@code XmppRefusal}: {@code stanza}, {@code stream}). The admin API refuses a filter on any other.
     */
    public static final java.util.List<String> KINDS = java.util.List.of("message", "presence", "subscription", "chat-state", "receipt",
            "error", "keep-alive", "sip-request", "stanza", "stream", "certificate");

    public TranslationRecord {
        outputs = List.copyOf(outputs);
        outputWires = List.copyOf(outputWires);
        decisions = List.copyOf(decisions);
    }

    /** This record with output wire {@code index} replaced by {@code wire}, or {@code wire} added after the others. */
    TranslationRecord withOutputWire(int index, String wire, boolean replace) {
        List<String> wires = new java.util.ArrayList<>(outputWires);
        if (replace && index < wires.size()) {
            wires.set(index, wire);
        } else {
            wires.add(wire);
        }
        return new TranslationRecord(id, at, direction, kind, from, to, correlation, input, outputs, inputWire, wires, decisions, outcome,
                reason, latencyMicros);
    }
}
