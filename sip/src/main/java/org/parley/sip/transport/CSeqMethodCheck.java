package org.parley.sip.transport;

import org.parley.sip.transport.StrictSyntax.Violation;

/**
 * The CSeq's method is the Request-Line's (RFC 3261 §8.1.1.5). JAIN-SIP's transaction layer answers a
 * mismatch 400 itself, by the Via (so to nobody on a stream), before Parley's listener sees the request;
 * found here, it is reported from the parser and answered by the listener after its method check
 * ({@link Violation#methodFirst()}, RFC 4475 §3.1.2.18).
 */
final class CSeqMethodCheck {

    private CSeqMethodCheck() {
    }

    /** What is wrong with a CSeq value (stripped) given the request's start line, or null. */
    static Violation check(String cseq, String requestLine) {
        int i = 0;
        while (i < cseq.length() && Character.isDigit(cseq.charAt(i))) {
            i++;
        }
        int methodStart = i;
        while (methodStart < cseq.length() && (cseq.charAt(methodStart) == ' ' || cseq.charAt(methodStart) == '\t')) {
            methodStart++;
        }
        if (i == 0 || methodStart == i || methodStart == cseq.length()) {
            return null; // not "number method": JAIN-SIP's CSeq parser judges it
        }
        int methodEnd = methodStart;
        while (methodEnd < cseq.length() && cseq.charAt(methodEnd) != ' ' && cseq.charAt(methodEnd) != '\t') {
            methodEnd++;
        }
        if (methodEnd != cseq.length()) {
            return null;
        }
        int sp = requestLine.indexOf(' ');
        int len = methodEnd - methodStart;
        if (sp == len && requestLine.regionMatches(0, cseq, methodStart, len)) {
            return null;
        }
        String method = requestLine.substring(0, Math.max(0, sp));
        return new Violation(400, "CSeq method " + cseq.substring(methodStart) + " differs from the Request-Line's " + method
                + " (RFC 3261 §8.1.1.5)", null, false, true, false);
    }
}
