package org.parley.sip.route;

import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.address.SipURI;
import javax.sip.message.Request;
import org.parley.sip.SipContext;
import org.parley.sip.config.HostPort;

/**
 * An OPTIONS request to each front-end target (at start and then periodically): any final
 * response proves the target answers over mutual TLS and marks it healthy and confirmed; no answer
 * marks it failed. {@link FrontEndReachability} keeps and logs what it learnt; the gateway's health shows it.
 */
public final class OptionsProbe implements org.parley.sip.ClientTransactionOwner {

    private final SipContext sip;
    private final org.parley.sip.SipWireTap tap;
    private final Map<ClientTransaction, HostPort> inFlight = new ConcurrentHashMap<>();
    private final Map<ClientTransaction, Long> started = new ConcurrentHashMap<>();

    private final FrontEndReachability reachability;

    public OptionsProbe(SipContext sip, org.parley.sip.SipWireTap tap, FrontEndReachability reachability) {
        this.sip = sip;
        this.tap = tap;
        this.reachability = reachability;
    }

    public void probeAll() {
        for (HostPort t : sip.route().targets()) {
            ClientTransaction ct = null;
            try {
                ct = sip.newClientTransaction(request(t), this);
                inFlight.put(ct, t);
                started.put(ct, System.nanoTime());
                ct.sendRequest();
            } catch (ParseException | InvalidArgumentException | SipException | RuntimeException e) {
                if (ct != null) {
                    inFlight.remove(ct);
                    started.remove(ct);
                }
                // an expected network failure: one line when the state changes, no stack (FrontEndReachability)
                reachability.unreachable(t, e);
                sip.route().markFailed(t);
                tap.onKeepAlive(t.toString(), 0, 0);
            }
        }
    }

    @Override
    public void onFinalResponse(ResponseEvent event) {
        HostPort t = inFlight.remove(event.getClientTransaction());
        if (t != null) {
            sip.route().markConfirmed(t);
            reachability.answered(t, event.getResponse().getStatusCode());
            tap.onKeepAlive(t.toString(), event.getResponse().getStatusCode(), micros(event.getClientTransaction()));
        }
    }

    /** A timeout or a transaction that ended without a response. */
    @Override
    public void onNoFinalResponse(ClientTransaction ct, boolean timedOut) {
        HostPort t = inFlight.remove(ct);
        if (t == null) {
            return;
        }
        reachability.unreachable(t, "no answer to OPTIONS within " + sip.config().requestTimeout().toSeconds() + " s");
        sip.route().markFailed(t);
        tap.onKeepAlive(t.toString(), 0, micros(ct));
    }

    private long micros(ClientTransaction ct) {
        Long t0 = started.remove(ct);
        return t0 == null ? 0 : (System.nanoTime() - t0) / 1000;
    }

    private Request request(HostPort target) throws ParseException, InvalidArgumentException {
        var hf = sip.headers();
        var af = sip.addressFactory();
        String transport = sip.config().transport().uriParam();
        SipURI uri = af.createSipURI(null, target.host());
        uri.setPort(target.port());
        uri.setTransportParam(transport);
        SipURI self = af.createSipURI(null, sip.config().poolFqdn());
        Request r = sip.messages().createRequest(uri, Request.OPTIONS, hf.createCallIdHeader(UUID.randomUUID() + "@" + sip.config().computerFqdn()),
                hf.createCSeqHeader(1L, Request.OPTIONS), hf.createFromHeader(af.createAddress(self), Long.toHexString(System.nanoTime())),
                hf.createToHeader(af.createAddress(uri), null),
                List.of(hf.createViaHeader(sip.config().computerFqdn(), sip.config().listenPort(), transport, null)), hf.createMaxForwardsHeader(70));
        r.addHeader(sip.contact());
        return r;
    }
}
