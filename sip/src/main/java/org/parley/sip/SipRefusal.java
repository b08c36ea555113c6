package org.parley.sip;

/**
 * A SIP request refused before it became an event, for the trace: answered by the sip module
 * itself (400 for a syntax RFC 3261 forbids, 505, 416, 420) or dropped because not even a response
 * could be built from it (RFC 4475 cases where the headers a response copies are unreadable).
 *
 * @param method the request's method as far as it could be read, may be null
 * @param from   the From header value as it arrived, may be null
 * @param to     the To header value as it arrived, may be null
 * @param callId the Call-ID, may be null
 * @param raw    the request as it arrived (headers; the body is not kept for dropped requests)
 * @param status the status Parley answered with, 0 when it could answer nothing
 * @param reason why, in words
 */
public record SipRefusal(String method, String from, String to, String callId, String raw, int status, String reason) {

    /** A refusal of a parsed request: addresses and Call-ID as they arrived. */
    public static SipRefusal of(javax.sip.message.Request request, int status, String reason) {
        return new SipRefusal(request.getMethod(), headerValue(request, "From"), headerValue(request, "To"), headerValue(request, "Call-ID"),
                request.toString(), status, reason);
    }

    /** The same refusal with the request as it arrived on the wire (before JAIN-SIP's re-encoding or Parley's stand-ins). */
    public SipRefusal withRaw(String original) {
        return new SipRefusal(method, from, to, callId, original, status, reason);
    }

    private static String headerValue(javax.sip.message.Request request, String name) {
        javax.sip.header.Header h = request.getHeader(name);
        if (h == null) {
            return null;
        }
        String s = h.toString();
        int colon = s.indexOf(':');
        return (colon < 0 ? s : s.substring(colon + 1)).strip();
    }

    /** The answer's status line as sent, or null when the request was dropped. */
    public String answer() {
        return status == 0 ? null : "SIP/2.0 " + status;
    }
}
