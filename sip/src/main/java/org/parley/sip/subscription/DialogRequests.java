package org.parley.sip.subscription;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import javax.sip.InvalidArgumentException;
import javax.sip.header.ContactHeader;
import javax.sip.header.Header;
import javax.sip.header.RecordRouteHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import org.parley.sip.SipContext;

/** Builds in-dialog requests from a {@link SubscriptionDialog} and reads dialog data from messages. */
final class DialogRequests {

    private final SipContext sip;

    DialogRequests(SipContext sip) {
        this.sip = sip;
    }

    /** A request in the dialog with CSeq {@code cseq} (reserved by the caller atomically). */
    Request build(SubscriptionDialog d, String method, long cseq) throws ParseException, InvalidArgumentException {
        var hf = sip.headers();
        var af = sip.addressFactory();
        var from = hf.createFromHeader(af.createAddress(d.localUri()), d.localTag());
        var to = hf.createToHeader(af.createAddress(d.remoteUri()), d.remoteTag());
        var via = hf.createViaHeader(sip.config().computerFqdn(), sip.config().listenPort(), sip.config().transport().uriParam(), null);
        Request r = sip.messages().createRequest(af.createURI(d.remoteTarget()), method, hf.createCallIdHeader(d.callId()),
                hf.createCSeqHeader(cseq, method), from, to, List.of(via), hf.createMaxForwardsHeader(70));
        sip.addRoutes(r, d.routeSet());
        r.addHeader(contact());
        return r;
    }

    ContactHeader contact() throws ParseException {
        return sip.contact();
    }

    /** The Route set from the Record-Route headers: reversed for the UAC (RFC 3261 §12.1.2), as is for the UAS. */
    static List<String> routeSet(Message m, boolean uac) {
        List<String> routes = new ArrayList<>(2);
        ListIterator<?> it = m.getHeaders(RecordRouteHeader.NAME);
        while (it.hasNext()) {
            routes.add(((RecordRouteHeader) it.next()).getAddress().toString());
        }
        if (uac) {
            java.util.Collections.reverse(routes);
        }
        return routes;
    }

    static String contactUri(Message m) {
        ContactHeader c = (ContactHeader) m.getHeader(ContactHeader.NAME);
        return c == null ? null : c.getAddress().getURI().toString();
    }

    static String headerValue(Message m, String name) {
        Header h = m.getHeader(name);
        if (h == null) {
            return null;
        }
        String s = h.toString();
        return s.substring(s.indexOf(':') + 1).strip();
    }
}
