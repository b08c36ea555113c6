package org.parley.sip.transport;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParserFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.function.Consumer;
import org.parley.sip.SipRefusal;

/**
 * JAIN-SIP's message parser with {@link StrictSyntax} in front (named by class in the stack
 * properties; JAIN-SIP instantiates it). A request that breaks a rule JAIN-SIP would read leniently
 * is parsed anyway and carries its {@link StrictSyntax.Violation} as application data, so the
 * listener answers it 400 / 505 ({@link #violationOf}); a request JAIN-SIP cannot parse at all is
 * still dropped, as JAIN-SIP does, but reported to the stack's refusal sink for the trace.
 */
public final class StrictMessageParserFactory implements MessageParserFactory {

    private final MessageParserFactory jainSip = new StringMsgParserFactory();

    @Override
    public MessageParser createMessageParser(SIPTransactionStack stack) {
        Consumer<SipRefusal> refusals = stack instanceof ParleySipStack parley ? parley.refusals() : r -> { };
        return new StrictParser(jainSip.createMessageParser(stack), refusals);
    }

    /** What the parser knew of a message that JAIN-SIP's parsed object does not keep: its bytes, the strict check's verdict. */
    record Arrival(String wire, boolean withBody, StrictSyntax.Violation violation) {
    }

    /** The violation the strict check found in this request, or null. */
    public static StrictSyntax.Violation violationOf(javax.sip.message.Message message) {
        return message instanceof SIPMessage m && m.getApplicationData() instanceof Arrival a ? a.violation() : null;
    }

    /**
     * The message as it arrived on the wire (decoded as UTF-8; on a stream, line ends as CRLF), not JAIN-SIP's
     * re-encoding of what it parsed (which expands compact forms, reorders and normalises); the re-encoding only for a
     * message this parser did not read.
     */
    public static String wireOf(javax.sip.message.Message message) {
        if (!(message instanceof SIPMessage m && m.getApplicationData() instanceof Arrival a)) {
            return message.toString();
        }
        if (a.withBody()) {
            return a.wire();
        }
        String wire = joined(a.wire(), m.getRawContent());
        // the dispatcher and the handler both ask: the message keeps the finished text, the verdict stays with it
        m.setApplicationData(new Arrival(wire, true, a.violation()));
        return wire;
    }

    /** The header block with CRLF line ends, then the body: the message as it was on the wire. */
    private static String joined(String headerBlock, byte[] body) {
        // JAIN-SIP's stream framing hands over the header block line by line with LF ends: SIP's are CRLF (RFC 3261 §7)
        StringBuilder text = new StringBuilder(headerBlock.length() + 32 + (body == null ? 0 : body.length));
        for (int i = 0; i < headerBlock.length(); i++) {
            char c = headerBlock.charAt(i);
            if (c == '\n' && (i == 0 || headerBlock.charAt(i - 1) != '\r')) {
                text.append('\r');
            }
            text.append(c);
        }
        if (body == null || body.length == 0) {
            return text.toString();
        }
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\r' || text.charAt(end - 1) == '\n')) {
            end--;
        }
        text.setLength(end);
        return text.append("\r\n\r\n").append(new String(body, StandardCharsets.UTF_8)).toString();
    }

    private static final class StrictParser implements MessageParser {
        private final MessageParser delegate;
        private final Consumer<SipRefusal> refusals;

        StrictParser(MessageParser delegate, Consumer<SipRefusal> refusals) {
            this.delegate = delegate;
            this.refusals = refusals;
        }

        @Override
        public SIPMessage parseSIPMessage(byte[] raw, boolean readBody, boolean strict, ParseExceptionListener listener)
                throws ParseException {
            String text = new String(raw, StandardCharsets.UTF_8);
            int blank = text.indexOf("\r\n\r\n");
            String head = blank < 0 ? text : text.substring(0, blank + 2);
            String rest = text.substring(head.length());
            StrictSyntax.Verdict verdict;
            try {
                verdict = StrictSyntax.inspect(head);
            } catch (RuntimeException bug) {
                verdict = StrictSyntax.Verdict.CLEAN; // the check must never cost a message JAIN-SIP can read
            }
            StrictSyntax.Violation violation = verdict.violation();
            String parsed = verdict.repairedHead() != null ? verdict.repairedHead() : head;
            boolean request = !head.startsWith("SIP/");
            for (int attempt = 0; ; attempt++) {
                RequiredHeaders watch = new RequiredHeaders(listener);
                try {
                    byte[] input = parsed == head ? raw : (parsed + rest).getBytes(StandardCharsets.UTF_8);
                    SIPMessage message = delegate.parseSIPMessage(input, readBody, strict, watch);
                    StrictSyntax.Violation forListener = violation;
                    if (message != null && violation != null && violation.beforeTheListener()) {
                        report(head, violation.status(), violation.status() == 0 ? "dropped: " + violation.reason()
                                : violation.status() + ": " + violation.reason() + " (answered by JAIN-SIP)");
                        forListener = null;
                    }
                    if (message != null) {
                        message.setApplicationData(new Arrival(text, readBody, forListener));
                    }
                    return message;
                } catch (ParseException | RuntimeException e) {
                    // A Via, CSeq, To or From JAIN-SIP cannot read: stand in for it so the request can be answered 400
                    String repaired = request && attempt < 4 && watch.failedHeader != null ? standIn(parsed, watch.failedHeader) : null;
                    if (repaired == null) {
                        watch.handOver();
                        report(head, 0, "dropped: JAIN-SIP cannot parse it (" + e.getMessage() + ") and Parley cannot stand in for it");
                        throw e;
                    }
                    if (violation == null || violation.beforeTheListener()) {
                        violation = new StrictSyntax.Violation(400, "unparseable header '" + watch.failedHeader.strip() + "'", head, false);
                    } else if (violation.original() == null) {
                        violation = violation.withOriginal(head);
                    }
                    parsed = repaired;
                }
            }
        }

        private static String standIn(String head, String failedHeader) {
            try {
                return StrictSyntax.repairHeader(head, failedHeader);
            } catch (RuntimeException bug) {
                return null; // never worse than JAIN-SIP alone: the request is dropped as before
            }
        }

        private void report(String head, int status, String reason) {
            try {
                if (head.isBlank()) {
                    return; // keep-alive noise
                }
                var headers = HeaderLines.unfold(head.substring(Math.max(0, head.indexOf('\n') + 1)));
                int space = head.indexOf(' ');
                String method = head.startsWith("SIP/") ? null : space > 0 && space < 32 ? head.substring(0, space) : null;
                refusals.accept(new SipRefusal(method, value(headers, "from", "f"),
                        value(headers, "to", "t"), value(headers, "call-id", "i"), head, status, reason));
            } catch (RuntimeException ignored) {
                // the report is best effort; the drop itself is JAIN-SIP's
            }
        }

        private static String value(java.util.List<String> headers, String name, String compact) {
            for (String h : headers) {
                int colon = h.indexOf(':');
                if (colon > 0) {
                    String n = h.substring(0, colon).strip();
                    if (n.equalsIgnoreCase(name) || n.equalsIgnoreCase(compact)) {
                        return h.substring(colon + 1).strip();
                    }
                }
            }
            return null;
        }
    }

    /**
     * Stops the parse at the first Via, CSeq, To, From or Call-ID JAIN-SIP cannot read and remembers it
     * (the stack's own listener would drop the request); other headers go to the stack's listener as before.
     */
    private static final class RequiredHeaders implements ParseExceptionListener {
        private static final java.util.Set<Class<?>> REQUIRED = java.util.Set.of(gov.nist.javax.sip.header.Via.class,
                gov.nist.javax.sip.header.CSeq.class, gov.nist.javax.sip.header.To.class, gov.nist.javax.sip.header.From.class,
                gov.nist.javax.sip.header.CallID.class, gov.nist.javax.sip.header.MaxForwards.class);
        private final ParseExceptionListener stack;
        String failedHeader;
        private ParseException failure;
        private SIPMessage message;
        private Class<?> headerClass;
        private String rawMessage;

        RequiredHeaders(ParseExceptionListener stack) {
            this.stack = stack;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public void handleException(ParseException ex, SIPMessage sipMessage, Class headerClass, String header, String raw)
                throws ParseException {
            if (headerClass != null && REQUIRED.contains(headerClass) && failedHeader == null) {
                this.failedHeader = header;
                this.failure = ex;
                this.message = sipMessage;
                this.headerClass = headerClass;
                this.rawMessage = raw;
                throw ex;
            }
            if (stack != null) {
                stack.handleException(ex, sipMessage, headerClass, header, raw);
            }
        }

        /** No stand-in possible: let the stack's listener see the failure as it would have. */
        void handOver() {
            if (failure != null && stack != null) {
                try {
                    stack.handleException(failure, message, headerClass, failedHeader, rawMessage);
                } catch (ParseException expected) {
                    // it rejects it, as it would have
                }
            }
        }
    }
}
