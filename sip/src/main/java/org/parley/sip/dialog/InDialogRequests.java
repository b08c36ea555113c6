package org.parley.sip.dialog;

import java.text.ParseException;
import java.util.List;
import javax.sip.InvalidArgumentException;
import javax.sip.message.Request;
import org.parley.sip.SipContext;

/**
 * The one factory of requests inside a dialog (RFC 3261 §12.2.1.1), for subscriptions and IM sessions alike:
 * Request-URI the remote target, From / To with the dialog's tags, the route set (or the front end as outbound
 * proxy, {@link SipContext#addRoutes}), and Parley's Contact on everything but an ACK.
 */
public final class InDialogRequests {

    private final SipContext sip;

    public InDialogRequests(SipContext sip) {
        this.sip = sip;
    }

    /** A request in {@code d} with CSeq {@code cseq}, which the caller reserved (dialogs are shared between threads). */
    public Request build(Dialog d, String method, long cseq) throws ParseException, InvalidArgumentException {
        Request r = bare(d, method, cseq);
        r.addHeader(sip.contact());
        return r;
    }

    /** The ACK for a 2xx to the INVITE with CSeq {@code inviteCseq}: the INVITE's sequence number, its own transaction (§13.2.2.4). */
    public Request ack(Dialog d, long inviteCseq) throws ParseException, InvalidArgumentException {
        return bare(d, Request.ACK, inviteCseq);
    }

    private Request bare(Dialog d, String method, long cseq) throws ParseException, InvalidArgumentException {
        var hf = sip.headers();
        var from = hf.createFromHeader(sip.address(d.localUri()), d.localTag());
        var to = hf.createToHeader(sip.address(d.remoteUri()), d.remoteTag());
        var via = hf.createViaHeader(sip.config().computerFqdn(), sip.config().listenPort(), sip.config().transport().uriParam(), null);
        Request r = sip.messages().createRequest(sip.uri(d.remoteTarget()), method, hf.createCallIdHeader(d.callId()),
                hf.createCSeqHeader(cseq, method), from, to, List.of(via), hf.createMaxForwardsHeader(70));
        sip.addRoutes(r, d.routeSet());
        return r;
    }
}
