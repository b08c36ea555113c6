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

    /** The answer's status line as sent, or null when the request was dropped. */
    public String answer() {
        return status == 0 ? null : "SIP/2.0 " + status;
    }
}
