package org.parley.sip;

import java.util.List;
import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.TransactionUnavailableException;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.parley.sip.im.ImSessions;
import org.parley.sip.im.OutgoingImSessions;
import org.parley.sip.im.PageModeMessaging;
import org.parley.sip.subscription.Notifier;
import org.parley.sip.subscription.Subscriber;
import org.parley.sip.transport.ArrivalConnection;
import org.parley.sip.transport.StrictMessageParserFactory;
import org.parley.sip.transport.StrictSyntax;

/**
 * The stack's listener: each request is checked (syntax, method, RFC 3261 §8.2 inspection) and then handed to the part
 * that serves its method; each response and timeout goes to the owner of its client transaction
 * ({@link ClientTransactionOwner}), or, for a request sent without a JAIN-SIP transaction, to
 * {@link NonInviteTransactions}. Everything Parley does not implement is answered (never silence), except what must
 * not be answered (ACK, Lync's BENOTIFY).
 */
final class SipDispatcher implements SipListener {

    private static final System.Logger LOG = System.getLogger(SipDispatcher.class.getName());

    private final SipContext context;
    private final SipWireTap tap;
    private final NonInviteTransactions nonInvite;
    private final PageModeMessaging messaging;
    private final ImSessions imSessions;
    private final OutgoingImSessions outgoingIm;
    private final Subscriber subscriber;
    private final Notifier notifier;

    SipDispatcher(SipContext context, SipWireTap tap, NonInviteTransactions nonInvite, PageModeMessaging messaging, ImSessions imSessions,
                  OutgoingImSessions outgoingIm, Subscriber subscriber, Notifier notifier) {
        this.context = context;
        this.tap = tap;
        this.nonInvite = nonInvite;
        this.messaging = messaging;
        this.imSessions = imSessions;
        this.outgoingIm = outgoingIm;
        this.subscriber = subscriber;
        this.notifier = notifier;
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        ServerTransaction st = null;
        try {
            tap.onRequestWire(StrictMessageParserFactory.wireOf(request));
            defaultMaxForwards(request);
            StrictSyntax.Violation violation = StrictMessageParserFactory.violationOf(request);
            int unserved = MethodPolicy.refusal(request.getMethod());
            if (violation != null && !(violation.methodFirst() && unserved != 0)) {
                refuse(event, new RequestInspection.Refusal(violation.status(), List.of(), violation.reason(), violation.original()));
                if (violation.closesConnection()) {
                    ArrivalConnection.close(request); // the stream's framing is lost: what follows cannot be read as messages
                }
                return;
            }
            if (unserved != 0) {
                answer(event, unserved); // §8.2.1: the method first, with Allow, before §8.2.2's 416 / 420
                return;
            }
            RequestInspection.Refusal refusal = RequestInspection.inspect(request);
            if (refusal != null) {
                refuse(event, refusal);
                return;
            }
            if (!answered(request)) {
                serveUnanswered(event, request.getMethod());
                return;
            }
            // the one place a request gets its server transaction; none: a retransmission its transaction answers
            st = context.serverTransactionOrNull(event);
            if (st != null) {
                serve(event, st, request.getMethod());
            }
        } catch (RuntimeException e) {
            // A handler bug must not leave the peer waiting — except where no answer is allowed.
            LOG.log(System.Logger.Level.ERROR, "failed to handle " + request.getMethod(), e);
            if (st != null) {
                answer(st, request, Response.SERVER_INTERNAL_ERROR);
            } else if (answered(request)) {
                answer(event, Response.SERVER_INTERNAL_ERROR);
            }
        }
    }

    private void serve(RequestEvent event, ServerTransaction st, String method) {
        switch (method) {
            case Request.MESSAGE -> {
                if (imSessions.owns(event.getRequest())) {
                    imSessions.onMessage(event, st);
                } else {
                    messaging.onRequest(event, st);
                }
            }
            case Request.INVITE -> imSessions.onInvite(event, st);
            case Request.INFO -> imSessions.onInfo(event, st);
            case Request.BYE -> imSessions.onBye(event, st);
            case Request.SUBSCRIBE -> notifier.onSubscribe(event, st);
            case Request.NOTIFY -> subscriber.onNotify(event, st);
            // INVITEs are answered at once, so a CANCEL finds nothing left to cancel (RFC 3261 §9.2: 200 anyway)
            case Request.OPTIONS, Request.CANCEL -> answer(st, event.getRequest(), Response.OK);
            default -> answer(st, event.getRequest(), Response.NOT_IMPLEMENTED); // not reached: MethodPolicy answered it
        }
    }

    /** ACK (nothing to answer) and Lync's BENOTIFY ([MS-SIPRE]: never answered): no server transaction either. */
    private void serveUnanswered(RequestEvent event, String method) {
        if ("BENOTIFY".equals(method)) {
            subscriber.onNotify(event, null);
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        if (event.getResponse().getStatusCode() < 200) {
            return; // provisional: nothing Parley keeps changes
        }
        ClientTransactionOwner owner = ClientTransactionOwner.of(event.getClientTransaction());
        if (owner != null) {
            owner.onFinalResponse(event);
        } else if (!nonInvite.onResponse(event.getResponse())) {
            outgoingIm.onStrayResponse(event.getResponse()); // a retransmitted or forked 2xx to an IM INVITE
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (!event.isServerTransaction()) {
            noFinalResponse(event.getClientTransaction(), true);
        }
    }

    /**
     * JAIN-SIP ends a transaction that hit an I/O error as TERMINATED, with no TimeoutEvent: every
     * owner treats a transaction that ends without a final response like a timeout, so nothing
     * waits forever and nothing leaks.
     */
    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        if (!event.isServerTransaction()) {
            noFinalResponse(event.getClientTransaction(), false);
        }
    }

    private static void noFinalResponse(ClientTransaction ct, boolean timedOut) {
        ClientTransactionOwner owner = ClientTransactionOwner.of(ct);
        if (owner != null) {
            owner.onNoFinalResponse(ct, timedOut);
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        LOG.log(System.Logger.Level.WARNING, "SIP I/O failure toward " + event.getHost() + ":" + event.getPort()
                + " (" + event.getTransport() + ")");
        messaging.onIOException(event.getHost(), event.getPort());
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        // dialogs are Parley's own compact records, not JAIN-SIP dialogs
    }

    /** RFC 2543 peers may omit Max-Forwards (RFC 4475 §3.4.1); without it JAIN-SIP builds no server transaction and the peer waits forever. */
    private void defaultMaxForwards(Request request) {
        if (request.getHeader(MaxForwardsHeader.NAME) == null) {
            try {
                request.addHeader(context.headers().createMaxForwardsHeader(70));
            } catch (javax.sip.InvalidArgumentException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    /** [MS-SIPRE]: BENOTIFY is never answered; RFC 3261 §17.2.3: nor is ACK. */
    private static boolean answered(Request request) {
        return !"BENOTIFY".equals(request.getMethod()) && !Request.ACK.equals(request.getMethod());
    }

    /** 400 / 505 / 416 / 420 before any handler runs; a 420 lists what Parley does not support (RFC 3261 §8.2.2.3). */
    private void refuse(RequestEvent event, RequestInspection.Refusal refusal) {
        Request request = event.getRequest();
        LOG.log(System.Logger.Level.INFO, "refused " + request.getMethod() + " " + request.getRequestURI() + " with " + refusal.status()
                + ": " + refusal.reason());
        boolean answered = answered(request);
        if (answered) {
            try {
                Response r = context.messages().createResponse(refusal.status(), request);
                for (String tag : refusal.unsupported()) {
                    r.addHeader(context.headers().createUnsupportedHeader(tag));
                }
                if (refusal.status() == Response.UNSUPPORTED_MEDIA_TYPE) {
                    r.addHeader(context.headers().createAcceptEncodingHeader(RequestInspection.ACCEPTED_ENCODING));
                }
                ServerTransaction st;
                try {
                    st = context.serverTransaction(event);
                } catch (TransactionUnavailableException | TransactionAlreadyExistsException | RuntimeException e) {
                    // JAIN-SIP builds no transaction for some malformed requests (an INVITE without Contact): answer
                    // statelessly, on the connection it came in on (RFC 3261 §18.2.2), not by the Via
                    ArrivalConnection.answerStatelessly(request, r);
                    st = null;
                }
                if (st != null) {
                    st.sendResponse(r);
                }
            } catch (Exception e) {
                answered = false;
                LOG.log(System.Logger.Level.WARNING, "could not answer " + request.getMethod() + " with " + refusal.status() + ": " + e.getMessage());
            }
        }
        SipRefusal record = SipRefusal.of(request, answered ? refusal.status() : 0, refusal.status() + ": " + refusal.reason());
        // as it arrived, not JAIN-SIP's re-encoding nor the stand-ins it was parsed with
        refusedBelowTheListener(refusal.original() != null ? record.withRaw(refusal.original()) : record);
    }

    /** Tells the rest of Parley (the trace); a failing listener must not cost the SIP thread. */
    void refusedBelowTheListener(SipRefusal refusal) {
        try {
            tap.onRefused(refusal);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "failed to record a refused request", e);
        }
    }

    private void answer(RequestEvent event, int status) {
        try {
            answer(context.serverTransaction(event), event.getRequest(), status);
        } catch (TransactionAlreadyExistsException | TransactionUnavailableException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not answer " + event.getRequest().getMethod() + " with " + status
                    + ": " + e.getMessage());
        }
    }

    private void answer(ServerTransaction st, Request request, int status) {
        try {
            Response response = context.messages().createResponse(status, request);
            boolean options = status == Response.OK && Request.OPTIONS.equals(request.getMethod());
            if (status == Response.METHOD_NOT_ALLOWED || status == Response.NOT_IMPLEMENTED || options) {
                for (String method : MethodPolicy.allow()) {
                    response.addHeader(context.headers().createAllowHeader(method));
                }
            }
            if (options) {
                for (String tag : RequestInspection.SUPPORTED) {
                    response.addHeader(context.headers().createSupportedHeader(tag));
                }
            }
            st.sendResponse(response);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "could not answer " + request.getMethod() + " with " + status + ": " + e.getMessage());
        }
    }
}
