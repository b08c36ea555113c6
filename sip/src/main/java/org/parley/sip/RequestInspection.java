package org.parley.sip;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.sip.header.ContactHeader;
import javax.sip.header.RequireHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The checks RFC 3261 §8.2.2 asks of a UAS before it looks at a request's method: a Request-URI
 * scheme it does not handle is answered 416, a {@code Require} naming an extension it does not
 * support 420 with {@code Unsupported} (never for ACK and CANCEL, §8.2.2.3), and a dialog-creating INVITE or
 * SUBSCRIBE without a Contact 400 (§8.1.1.8). Parley supports the
 * option tags of Lync's batch subscriptions and BENOTIFY ([MS-PRES], [MS-SIPRE]).
 */
final class RequestInspection {

    /** Option tags Parley honours when a peer requires them (compared case-insensitively). */
    static final Set<String> SUPPORTED = Set.of("adhoclist", "categorylist", "ms-benotify", "ms-piggyback-first-notify");

    /**
     * A refusal: the status, for 420 the option tags to list in {@code Unsupported}, why in words, and
     * the header block as it arrived when the parser had to stand in for parts of it (else null).
     */
    record Refusal(int status, List<String> unsupported, String reason, String original) {

        Refusal(int status, List<String> unsupported, String reason) {
            this(status, unsupported, reason, null);
        }
    }

    private RequestInspection() {
    }

    /** {@code null} when the request may go on to its method's handler. */
    static Refusal inspect(Request request) {
        String scheme = request.getRequestURI().getScheme();
        if (!"sip".equalsIgnoreCase(scheme) && !"sips".equalsIgnoreCase(scheme)) {
            return new Refusal(Response.UNSUPPORTED_URI_SCHEME, List.of(), "Request-URI scheme '" + scheme + "' is not served");
        }
        String method = request.getMethod();
        if (Request.ACK.equals(method) || Request.CANCEL.equals(method)) {
            return null;
        }
        List<String> unsupported = new ArrayList<>();
        for (Iterator<?> it = request.getHeaders(RequireHeader.NAME); it.hasNext(); ) {
            String tag = ((RequireHeader) it.next()).getOptionTag();
            if (tag != null && !SUPPORTED.contains(tag.strip().toLowerCase(Locale.ROOT))) {
                unsupported.add(tag.strip());
            }
        }
        if (!unsupported.isEmpty()) {
            return new Refusal(Response.BAD_EXTENSION, List.copyOf(unsupported), "requires " + String.join(", ", unsupported));
        }
        if ((Request.INVITE.equals(method) || Request.SUBSCRIBE.equals(method)) && request.getHeader(ContactHeader.NAME) == null) {
            // JAIN-SIP builds no transaction for it, so without this it went unanswered
            return new Refusal(Response.BAD_REQUEST, List.of(), "no Contact header: a request that creates a dialog needs one (RFC 3261 §8.1.1.8)");
        }
        return null;
    }
}
