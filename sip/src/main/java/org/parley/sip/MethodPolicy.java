package org.parley.sip;

import java.util.List;
import java.util.Set;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * RFC 3261 §8.2.1, the first thing a UAS checks: the methods Parley serves, the ones it knows but does not
 * serve (405 Method Not Allowed) and the rest (501 Not Implemented); both answers carry {@code Allow}.
 */
final class MethodPolicy {

    /** What Parley serves, in the order {@code Allow} lists it. BENOTIFY is Lync's unanswered NOTIFY ([MS-SIPRE]). */
    static final List<String> SERVED = List.of(Request.INVITE, Request.ACK, Request.CANCEL, Request.BYE, Request.OPTIONS,
            Request.MESSAGE, Request.INFO, Request.SUBSCRIBE, Request.NOTIFY, "BENOTIFY");

    /** Methods of SIP and of Lync's dialect that Parley recognizes and does not serve: a registrar, PUBLISH, REFER… */
    static final Set<String> KNOWN_NOT_SERVED = Set.of(Request.REGISTER, Request.PUBLISH, Request.REFER, Request.UPDATE,
            Request.PRACK, "SERVICE", "NEGOTIATE");

    private MethodPolicy() {
    }

    /** 0 when {@code method} is served; else 405 or 501. */
    static int refusal(String method) {
        if (SERVED.contains(method)) {
            return 0;
        }
        return KNOWN_NOT_SERVED.contains(method) ? Response.METHOD_NOT_ALLOWED : Response.NOT_IMPLEMENTED;
    }

    static List<String> allow() {
        return SERVED;
    }
}
