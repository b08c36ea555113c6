package org.parley.sip.subscription;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import javax.sip.InvalidArgumentException;
import javax.sip.message.Request;
import org.parley.sip.SipContext;
import org.parley.sip.dialog.InDialogRequests;

/**
 * The SUBSCRIBEs of Parley's own subscriptions: initial, refresh and {@code Expires: 0}, in the subscription's dialog,
 * with the package's Event and Accept, and on the first one the body the package asks for (Lync's category list).
 */
final class SubscribeRequests {

    private final SipContext sip;
    private final EventPackage pkg;
    private final InDialogRequests requests;

    SubscribeRequests(SipContext sip, EventPackage pkg) {
        this.sip = sip;
        this.pkg = pkg;
        this.requests = new InDialogRequests(sip);
    }

    /** A SUBSCRIBE in {@code d} with the CSeq the caller reserved in it, asking for {@code expiry}. */
    Request build(SubscriptionDialog d, Duration expiry) throws ParseException, InvalidArgumentException {
        Request r = requests.build(d.dialog(), Request.SUBSCRIBE, d.localCseq());
        r.addHeader(sip.headers().createEventHeader(pkg.event()));
        for (String type : pkg.accept(d.presentity())) {
            String[] parts = type.split("/", 2);
            r.addHeader(sip.headers().createAcceptHeader(parts[0], parts[1]));
        }
        r.addHeader(sip.headers().createExpiresHeader((int) expiry.toSeconds()));
        EventPackage.SubscribeBody body = d.remoteTag() == null ? pkg.subscribeBody(d.localUri(), d.remoteUri()) : null;
        if (body != null) {
            for (var h : body.headers().entrySet()) {
                for (String value : h.getValue().split(",")) {
                    r.addHeader(sip.headers().createHeader(h.getKey(), value.strip()));
                }
            }
            String[] type = body.contentType().split("/", 2);
            r.setContent(body.body().getBytes(StandardCharsets.UTF_8), sip.headers().createContentTypeHeader(type[0], type[1]));
        }
        return r;
    }
}
