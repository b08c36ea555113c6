package org.parley.sip;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.RequireHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The checks RFC 3261 §8.2.2 asks of a UAS before it looks at a request's method: a Request-URI
 * scheme it does not handle is answered 416, a {@code Require} naming an extension it does not
 * support 420 with {@code Unsupported} (never for ACK and CANCEL, §8.2.2.3), and a dialog-creating INVITE or
 * SUBSCRIBE without a Contact 400 (§8.1.1.8). Parley supports the option tags of Lync's BENOTIFY and piggybacked
 * first NOTIFY ([MS-SIPRE], [MS-SIP] §4.3) and of category lists; it does not serve batched subscriptions
 * ({@code adhoclist}, [MS-PRES] §2.2.2.4.1, [MS-SIP] §3.3.4.1) as a notifier.
 */
final class RequestInspection {

    /**
     * Option tags Parley honours when a peer requires them (compared case-insensitively), and lists in OPTIONS'
     * {@code Supported}. Not {@code adhoclist}: Parley sends batched SUBSCRIBEs itself (PresencePackage) but, as a
     * notifier, serves one resource per SUBSCRIBE, its Request-URI; a batched one names the watcher there and the
     * resources in the body, so claiming it would accept the subscription and watch the wrong user.
     */
    static final Set<String> SUPPORTED = Set.of("categorylist", "ms-benotify", "ms-piggyback-first-notify");

    /** The one content coding Parley reads (RFC 3261 §20.12: none), what a 415 for a coding lists in Accept-Encoding. */
    static final String ACCEPTED_ENCODING = "identity";

    /** The option tag of batched (resource-list) subscriptions ([MS-SIP] §3.3.4.1). */
    static final String ADHOCLIST = "adhoclist";

    /**
     * Body types that carry a batched subscription's resource list: [MS-PRES] §2.2.2.4.1's category subscription and
     * [MS-SIP] §3.3.4.1's older ad-hoc list.
     */
    private static final Set<String> RESOURCE_LIST_BODIES = Set.of("application/msrtc-adrl-categorylist+xml", "application/adrl+xml");

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
        String coding = unknownContentCoding(request);
        if (coding != null) {
            // §8.2.3: a content coding the UAS does not understand is 415, with Accept-Encoding (SipEndpoint adds it)
            return new Refusal(Response.UNSUPPORTED_MEDIA_TYPE, List.of(), "Content-Encoding " + coding + " is not understood; accepted: "
                    + ACCEPTED_ENCODING);
        }
        if (Request.SUBSCRIBE.equals(method) && carriesResourceList(request)) {
            // a batch without its Require is the same misreading: the sender wants adhoclist, so it is told it is unsupported
            // and falls back to one SUBSCRIBE per contact, as after a 420 for the Require
            return new Refusal(Response.BAD_EXTENSION, List.of(ADHOCLIST), "a batched SUBSCRIBE (resource list body) is not served");
        }
        if ((Request.INVITE.equals(method) || Request.SUBSCRIBE.equals(method)) && request.getHeader(ContactHeader.NAME) == null) {
            // JAIN-SIP builds no transaction for it, so without this it went unanswered
            return new Refusal(Response.BAD_REQUEST, List.of(), "no Contact header: a request that creates a dialog needs one (RFC 3261 §8.1.1.8)");
        }
        return null;
    }

    /** The first coding of the request's Content-Encoding other than identity (RFC 3261 §20.12), null when none. */
    private static String unknownContentCoding(Request request) {
        for (Iterator<?> it = request.getHeaders("Content-Encoding"); it.hasNext(); ) {
            String value = it.next().toString();
            value = value.substring(value.indexOf(':') + 1);
            for (String coding : value.split(",")) {
                String c = coding.strip();
                if (!c.isEmpty() && !c.equalsIgnoreCase(ACCEPTED_ENCODING)) {
                    return c;
                }
            }
        }
        return null;
    }

    private static boolean carriesResourceList(Request request) {
        ContentTypeHeader ct = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
        return ct != null && ct.getContentType() != null && ct.getContentSubType() != null
                && RESOURCE_LIST_BODIES.contains((ct.getContentType() + "/" + ct.getContentSubType()).toLowerCase(Locale.ROOT));
    }
}
