package org.parley.sip.testing;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.parley.sip.tls.TlsMaterial;
import org.parley.sip.transport.NoDelayNetworkLayer;
import org.parley.sip.transport.SipStacks;

/**
 * A minimal SIP user agent over mutual TLS for interop tests: registers an AOR at the registrar,
 * records the MESSAGEs it receives (answering each with a configurable status), sends MESSAGEs.
 */
public final class TestSipUserAgent implements SipListener, AutoCloseable {

    /** A MESSAGE the agent received. */
    public record Received(String from, String to, String contentType, String body) {
    }

    private final String user;
    private final String domain;
    private final int port;
    private final String registrarHost;
    private final int registrarPort;
    private final SipStack stack;
    private final SipProvider provider;
    private final MessageFactory messages = new MessageFactoryImpl();
    private final HeaderFactory headers = new HeaderFactoryImpl();
    private final AddressFactory addresses = new AddressFactoryImpl();
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final ConcurrentHashMap<ClientTransaction, CompletableFuture<Response>> pending = new ConcurrentHashMap<>();
    private volatile int answerStatus = Response.OK;
    /** How NOTIFYs are answered; 0: not at all (the transaction is left to time out at the notifier). */
    private volatile int notifyStatus = Response.OK;
    private long cseq = 1;

    public TestSipUserAgent(String user, String domain, int port, TlsMaterial tls, String registrarHost, int registrarPort)
            throws Exception {
        this(user, domain, port, tls.sslContext(reason -> { }), registrarHost, registrarPort);
    }

    /** With a hand-made TLS context: e.g. one without any certificate, to test refusal. */
    public TestSipUserAgent(String user, String domain, int port, javax.net.ssl.SSLContext tls, String registrarHost,
                            int registrarPort) throws Exception {
        this.user = user;
        this.domain = domain;
        this.port = port;
        this.registrarHost = registrarHost;
        this.registrarPort = registrarPort;
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "ua-" + user + "-" + port);
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Enabled");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", "org.parley.sip.transport.JdkStackLogger");
        p.setProperty("gov.nist.javax.sip.SECURITY_MANAGER_PROVIDER", "org.parley.sip.transport.UnusedSecurityManagerProvider");
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", "org.parley.sip.transport.SilentServerLogger");
        stack = SipStacks.create(p, new NoDelayNetworkLayer(tls, TlsMaterial.protocols(), 3000), line -> { });
        ListeningPoint lp = stack.createListeningPoint("127.0.0.1", port, ListeningPoint.TLS);
        provider = stack.createSipProvider(lp);
        provider.addSipListener(this);
        stack.start();
    }

    public void answerWith(int status) {
        this.answerStatus = status;
    }

    /** Answers the NOTIFYs that follow with {@code status}, or with nothing at all for 0 (they are still recorded). */
    public void answerNotifiesWith(int status) {
        this.notifyStatus = status;
    }

    public Response register() throws Exception {
        SipURI registrar = addresses.createSipURI(null, domain);
        Request r = request(Request.REGISTER, registrar, aor(), null);
        r.addHeader(headers.createExpiresHeader(300));
        return send(r);
    }

    public Response sendMessage(String toUri, String body) throws Exception {
        return sendMessage(toUri, "text", "plain", body);
    }

    /** A MESSAGE with any body type, e.g. application/im-iscomposing+xml (RFC 3994). */
    public Response sendMessage(String toUri, String type, String subType, String body) throws Exception {
        Request r = request(Request.MESSAGE, addresses.createURI(toUri), aor(), toUri);
        r.setContent(body.getBytes(StandardCharsets.UTF_8), headers.createContentTypeHeader(type, subType));
        return send(r);
    }

    /** The final status of a MESSAGE, or -1 when it could not be sent or got no answer within {@code seconds}. */
    public int tryMessage(String toUri, String body, long seconds) {
        try {
            Request r = request(Request.MESSAGE, addresses.createURI(toUri), aor(), toUri);
            r.setContent(body.getBytes(StandardCharsets.UTF_8), headers.createContentTypeHeader("text", "plain"));
            ClientTransaction ct = provider.getNewClientTransaction(r);
            CompletableFuture<Response> f = new CompletableFuture<>();
            pending.put(ct, f);
            ct.sendRequest();
            return f.get(seconds, TimeUnit.SECONDS).getStatusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** A NOTIFY the agent received. */
    public record Notified(String subscriptionState, String contentType, String body) {
    }

    private final BlockingQueue<Notified> notifies = new LinkedBlockingQueue<>();
    private String subCallId;
    private String subFromTag;
    private String subToTag;
    private String subTarget;
    private List<String> subRoutes = List.of();
    private String subUri;
    private String etag;

    /** PUBLISH presence for this agent's AOR (RFC 3903); keeps the entity tag for the next one. */
    public Response publish(String pidf) throws Exception {
        Request r = request(Request.PUBLISH, addresses.createURI(aor()), aor(), aor());
        r.addHeader(headers.createEventHeader("presence"));
        r.addHeader(headers.createExpiresHeader(600));
        if (etag != null) {
            r.addHeader(headers.createSIPIfMatchHeader(etag));
        }
        r.setContent(pidf.getBytes(StandardCharsets.UTF_8), headers.createContentTypeHeader("application", "pidf+xml"));
        Response resp = send(r);
        var tag = (javax.sip.header.SIPETagHeader) resp.getHeader("SIP-ETag");
        if (tag != null) {
            etag = tag.getETag();
        }
        return resp;
    }

    /** SUBSCRIBE to presence of {@code uri}; keeps the dialog for {@link #unsubscribe()}. */
    public Response subscribe(String uri, int expires, String... accept) throws Exception {
        Request r = request(Request.SUBSCRIBE, addresses.createURI(uri), aor(), uri);
        r.addHeader(headers.createEventHeader("presence"));
        r.addHeader(headers.createExpiresHeader(expires));
        for (String a : accept.length == 0 ? new String[] {"application/pidf+xml"} : accept) {
            String[] t = a.split("/", 2);
            r.addHeader(headers.createAcceptHeader(t[0], t[1]));
        }
        subCallId = ((javax.sip.header.CallIdHeader) r.getHeader("Call-ID")).getCallId();
        subFromTag = ((javax.sip.header.FromHeader) r.getHeader("From")).getTag();
        subUri = uri;
        Response resp = send(r);
        if (resp.getStatusCode() < 300) {
            subToTag = ((javax.sip.header.ToHeader) resp.getHeader("To")).getTag();
            var contact = (ContactHeader) resp.getHeader("Contact");
            subTarget = contact.getAddress().getURI().toString();
            java.util.List<String> routes = new java.util.ArrayList<>();
            var it = resp.getHeaders("Record-Route");
            while (it.hasNext()) {
                routes.add(((javax.sip.header.RecordRouteHeader) it.next()).getAddress().toString());
            }
            java.util.Collections.reverse(routes);
            subRoutes = routes;
        }
        return resp;
    }

    /** In-dialog SUBSCRIBE with Expires: 0. */
    public synchronized Response unsubscribe() throws Exception {
        var fromH = headers.createFromHeader(addresses.createAddress(aor()), subFromTag);
        var toH = headers.createToHeader(addresses.createAddress(subUri), subToTag);
        var via = headers.createViaHeader("127.0.0.1", port, "tls", null);
        Request r = messages.createRequest(addresses.createURI(subTarget), Request.SUBSCRIBE, headers.createCallIdHeader(subCallId),
                headers.createCSeqHeader(cseq++, Request.SUBSCRIBE), fromH, toH, List.of(via), headers.createMaxForwardsHeader(70));
        for (String route : subRoutes) {
            r.addHeader(headers.createRouteHeader(addresses.createAddress(route)));
        }
        SipURI contact = addresses.createSipURI(user, "127.0.0.1");
        contact.setPort(port);
        contact.setTransportParam("tls");
        r.addHeader(headers.createContactHeader(addresses.createAddress(contact)));
        r.addHeader(headers.createEventHeader("presence"));
        r.addHeader(headers.createExpiresHeader(0));
        return send(r);
    }

    public Notified awaitNotify(long seconds) throws InterruptedException {
        return notifies.poll(seconds, TimeUnit.SECONDS);
    }

    public Received awaitMessage(long seconds) throws InterruptedException {
        return received.poll(seconds, TimeUnit.SECONDS);
    }

    private String aor() {
        return "sip:" + user + "@" + domain;
    }

    private synchronized Request request(String method, javax.sip.address.URI requestUri, String from, String to) throws Exception {
        var fromH = headers.createFromHeader(addresses.createAddress(from), Long.toHexString(System.nanoTime()));
        var toH = headers.createToHeader(addresses.createAddress(to == null ? from : to), null);
        var via = headers.createViaHeader("127.0.0.1", port, "tls", null);
        Request r = messages.createRequest(requestUri, method, headers.createCallIdHeader(UUID.randomUUID().toString()),
                headers.createCSeqHeader(cseq++, method), fromH, toH, List.of(via), headers.createMaxForwardsHeader(70));
        SipURI contact = addresses.createSipURI(user, "127.0.0.1");
        contact.setPort(port);
        contact.setTransportParam("tls");
        ContactHeader ch = headers.createContactHeader(addresses.createAddress(contact));
        r.addHeader(ch);
        SipURI route = addresses.createSipURI(null, registrarHost);
        route.setPort(registrarPort);
        route.setTransportParam("tls");
        route.setLrParam();
        r.addHeader(headers.createRouteHeader(addresses.createAddress(route)));
        return r;
    }

    private Response send(Request r) throws Exception {
        ClientTransaction ct = provider.getNewClientTransaction(r);
        CompletableFuture<Response> f = new CompletableFuture<>();
        pending.put(ct, f);
        ct.sendRequest();
        return f.get(15, TimeUnit.SECONDS);
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request r = event.getRequest();
        try {
            ServerTransaction st = provider.getNewServerTransaction(r);
            if (Request.MESSAGE.equals(r.getMethod())) {
                var ct = (javax.sip.header.ContentTypeHeader) r.getHeader("Content-Type");
                received.add(new Received(((javax.sip.header.FromHeader) r.getHeader("From")).getAddress().getURI().toString(),
                        r.getRequestURI().toString(), ct == null ? null : ct.getContentType() + "/" + ct.getContentSubType(),
                        r.getRawContent() == null ? "" : new String(r.getRawContent(), StandardCharsets.UTF_8)));
                st.sendResponse(messages.createResponse(answerStatus, r));
            } else if (Request.NOTIFY.equals(r.getMethod())) {
                var ss = r.getHeader("Subscription-State");
                var ct = (javax.sip.header.ContentTypeHeader) r.getHeader("Content-Type");
                notifies.add(new Notified(ss == null ? null : ss.toString().substring(ss.toString().indexOf(':') + 1).strip(),
                        ct == null ? null : ct.getContentType() + "/" + ct.getContentSubType(),
                        r.getRawContent() == null ? "" : new String(r.getRawContent(), StandardCharsets.UTF_8)));
                if (notifyStatus != 0) {
                    st.sendResponse(messages.createResponse(notifyStatus, r));
                }
            } else {
                st.sendResponse(messages.createResponse(Response.OK, r));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        if (event.getResponse().getStatusCode() >= 200) {
            CompletableFuture<Response> f = pending.remove(event.getClientTransaction());
            if (f != null) {
                f.complete(event.getResponse());
            }
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        CompletableFuture<Response> f = pending.remove(event.getClientTransaction());
        if (f != null) {
            f.completeExceptionally(new IllegalStateException("timeout"));
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        // the pending future times out
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        // nothing kept per transaction
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        // no dialogs
    }

    @Override
    public void close() {
        stack.stop();
    }
}
