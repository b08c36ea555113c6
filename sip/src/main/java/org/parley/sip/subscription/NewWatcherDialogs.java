package org.parley.sip.subscription;

import org.parley.sip.dialog.Dialog;
import org.parley.sip.dialog.DialogHeaders;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.concurrent.ThreadLocalRandom;
import javax.sip.ServerTransaction;
import javax.sip.header.AcceptHeader;
import javax.sip.header.FromHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.parley.presence.MappingException;
import org.parley.presence.model.Address;
import org.parley.sip.SipContext;

/**
 * Reads a SIP watcher's initial SUBSCRIBE into the dialog it asks for — watcher and presentity, the body type negotiated
 * from Accept, route set and target — or answers it with the refusal RFC 6665 / RFC 3261 prescribe: the address's
 * status for an unreadable one, 404 for a presentity outside the gateway's domains, 406 when no body type fits, 400
 * without a Contact.
 */
final class NewWatcherDialogs {

    private NewWatcherDialogs() {
    }

    /** The dialog, or {@code null} when the request was refused (and answered). */
    static SubscriptionDialog read(SipContext sip, EventPackage pkg, NotifierMessages out, ServerTransaction st, Request request, String callId,
                                   Instant expiresAt) {
        FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
        Address watcher;
        Address presentity;
        try {
            watcher = sip.addresses().parseSipUri(from.getAddress().getURI().toString()).bare();
            presentity = sip.addresses().parseSipUri(request.getRequestURI().toString()).bare();
        } catch (MappingException e) {
            out.respond(st, request, e.reason().sipStatus(), null, 0);
            return null;
        }
        if (!sip.config().sipDomains().contains(presentity.domain())) {
            out.respond(st, request, Response.NOT_FOUND, null, 0);
            return null;
        }
        List<String> accepts = new ArrayList<>();
        ListIterator<?> it = request.getHeaders(AcceptHeader.NAME);
        while (it.hasNext()) {
            AcceptHeader a = (AcceptHeader) it.next();
            accepts.add(a.getContentType() + "/" + a.getContentSubType());
        }
        String bodyType = pkg.negotiate(accepts);
        if (bodyType == null) {
            out.respond(st, request, Response.NOT_ACCEPTABLE, null, 0);
            return null;
        }
        String localTag = Long.toHexString(ThreadLocalRandom.current().nextLong());
        SubscriptionDialog dialog = new SubscriptionDialog(new Dialog(callId, localTag, from.getTag(), request.getRequestURI().toString(),
                from.getAddress().toString(), DialogHeaders.contactUri(request), DialogHeaders.routeSet(request, false), 0), expiresAt,
                bodyType, watcher, presentity);
        if (dialog.remoteTarget() == null) {
            out.respond(st, request, Response.BAD_REQUEST, null, 0);
            return null;
        }
        return dialog;
    }
}
