package org.parley.sip.transport;

/**
 * The RFC 3261 syntax rules JAIN-SIP 1.3.0-91's parser reads leniently or not at all, checked on
 * the raw header block before it parses (RFC 4475's torture cases name them): the Request-Line
 * ({@link RequestLineCheck}), the header lines ({@link HeaderBlockCheck}: headers that appear once,
 * Content-Length, the addresses of {@link NameAddrCheck}, the mandatory headers, the CSeq's method
 * of {@link CSeqMethodCheck}). Where JAIN-SIP would drop such a request, or answer it only by its Via,
 * the verdict carries a header block with {@link StandIns} to parse instead, so that Parley's
 * listener answers it. This class weighs the checks' findings and picks the stand-ins; the checks and
 * stand-ins themselves are package-private.
 */
public final class StrictSyntax {

    /**
     * What is wrong with a request.
     *
     * @param status              the status to answer with; 0 when no response can be formed
     * @param reason              why, in words
     * @param original            the header block as it arrived when what is wrong would be hidden by JAIN-SIP's
     *                            re-encoding or by a repair (for the trace), else null
     * @param beforeTheListener   JAIN-SIP itself answers or drops such a request before Parley's listener sees it,
     *                            so it is reported from the parser
     * @param methodFirst         the method check (405 / 501, RFC 3261 §8.2.1) comes first: what is wrong is the
     *                            CSeq's method, and for a method Parley does not know 501 says more (RFC 4475 §3.1.2.18)
     * @param closesConnection    the message's framing on a stream is lost (a Content-Length that is not one length):
     *                            the connection is closed after the answer (RFC 4475 §3.1.2.3, §3.3.9)
     */
    public record Violation(int status, String reason, String original, boolean beforeTheListener, boolean methodFirst,
                            boolean closesConnection) {

        public Violation(int status, String reason, String original, boolean beforeTheListener) {
            this(status, reason, original, beforeTheListener, false, false);
        }

        Violation(int status, String reason) {
            this(status, reason, null, false);
        }

        Violation withOriginal(String head) {
            return new Violation(status, reason, head, beforeTheListener, methodFirst, closesConnection);
        }
    }

    /**
     * @param violation    what is wrong, null if nothing
     * @param repairedHead the header block to parse instead (with {@link StandIns}), null to parse the original
     */
    public record Verdict(Violation violation, String repairedHead) {
        static final Verdict CLEAN = new Verdict(null, null);
    }

    private StrictSyntax() {
    }

    /** Checks a request's or response's header block (start line and headers, no body). */
    public static Verdict inspect(String head) {
        int lineEnd = head.indexOf('\n');
        String startLine = HeaderLines.stripCr(lineEnd < 0 ? head : head.substring(0, lineEnd));
        if (startLine.startsWith("SIP/")) {
            return Verdict.CLEAN; // responses: JAIN-SIP's reading is what the transaction layer needs
        }
        Violation requestLine = RequestLineCheck.check(startLine);
        String repaired = null;
        if (requestLine != null && requestLine.status() == 400) {
            // the response copies headers, never the Request-URI: with a placeholder line the rest can still be answered
            repaired = StandIns.requestLine(head, startLine, lineEnd);
        }
        Violation headers = lineEnd < 0 ? HeaderBlockCheck.check("", 0, startLine) : HeaderBlockCheck.check(head, lineEnd + 1, startLine);
        if (headers != null && headers.status() == 0 && lineEnd > 0) {
            // missing From / To / Call-ID: with placeholders the request can still be answered 400 (RFC 4475 §3.3.1)
            String withPlaceholders = StandIns.missingHeaders(repaired != null ? repaired : head);
            if (withPlaceholders != null) {
                repaired = withPlaceholders;
                headers = new Violation(400, headers.reason().replace(": no response can be formed", ""));
            }
        }
        Violation first = requestLine != null ? requestLine : headers;
        if (first == null) {
            return Verdict.CLEAN;
        }
        if (first == headers && lineEnd > 0 && (headers.methodFirst() || headers.closesConnection())) {
            // JAIN-SIP would answer a CSeq mismatch itself (by the Via, so to nobody on a stream) and drop a Content-Length
            // it cannot read: with the CSeq's method made the Request-Line's, the length made 0, Parley's listener answers
            String method = startLine.substring(0, Math.max(0, startLine.indexOf(' ')));
            String fixed = headers.methodFirst() ? StandIns.cseqMethod(head, method) : StandIns.readableLength(head);
            if (fixed != null && !fixed.equals(head)) {
                repaired = fixed;
            }
        }
        return new Verdict(requestLine != null || repaired != null ? first.withOriginal(head) : first, repaired);
    }

    /**
     * The header block with the header JAIN-SIP could not parse ({@code headerText}, as its parser
     * reported it) replaced by a value a response can copy, or null when that header cannot be stood
     * in for ({@link StandIns#unparseableHeader}).
     */
    public static String repairHeader(String head, String headerText) {
        return StandIns.unparseableHeader(head, headerText);
    }
}
