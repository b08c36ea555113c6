package org.parley.sip;

import java.text.ParseException;
import java.util.List;
import javax.sip.ClientTransaction;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionUnavailableException;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import org.parley.presence.address.AddressMapper;
import org.parley.sip.config.HostPort;
import org.parley.sip.config.SipEndpointConfig;
import org.parley.sip.route.FrontEndRoute;

/**
 * What the method handlers share: configuration, address mapping, route and JAIN-SIP's
 * factories. The provider is attached once the stack has started.
 */
public final class SipContext {

    private static final System.Logger LOG = System.getLogger(SipContext.class.getName());

    private final SipEndpointConfig config;
    private final AddressMapper addresses;
    private final FrontEndRoute route;
    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final AddressFactory addressFactory;
    private final ParseCache parsed;
    private final java.util.Map<HostPort, SipURI> hops = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile javax.sip.header.ContactHeader contact;
    private volatile SipProvider provider;

    SipContext(SipEndpointConfig config, AddressMapper addresses, FrontEndRoute route, MessageFactory messages,
               HeaderFactory headers, AddressFactory addressFactory) {
        this.config = config;
        this.addresses = addresses;
        this.route = route;
        this.messages = messages;
        this.headers = headers;
        this.addressFactory = addressFactory;
        this.parsed = new ParseCache(addressFactory);
    }

    void attach(SipProvider sipProvider) {
        this.provider = sipProvider;
    }

    public SipEndpointConfig config() {
        return config;
    }

    public AddressMapper addresses() {
        return addresses;
    }

    public FrontEndRoute route() {
        return route;
    }

    public MessageFactory messages() {
        return messages;
    }

    public HeaderFactory headers() {
        return headers;
    }

    public AddressFactory addressFactory() {
        return addressFactory;
    }

    public SipProvider provider() {
        SipProvider p = provider;
        if (p == null) {
            throw new IllegalStateException("SIP endpoint not started");
        }
        return p;
    }

    /**
     * A client transaction for {@code request}, owned by {@code owner}, with Timer B / F at the configured request
     * timeout (64 × T1, RFC 3261 §17.1): a front end that does not answer counts as failed after that. Not sent yet.
     */
    public ClientTransaction newClientTransaction(Request request, ClientTransactionOwner owner) throws TransactionUnavailableException {
        ClientTransaction ct = provider().getNewClientTransaction(request);
        ct.setRetransmitTimer(Math.max(1, (int) (config.requestTimeout().toMillis() / 64)));
        ct.setApplicationData(owner);
        return ct;
    }

    /**
     * The request's server transaction: the one JAIN-SIP matched (RFC 3261 §17.2.3, {@code ParleySipStack.findTransaction})
     * or a new one. Every handler takes its transaction here.
     *
     * @throws TransactionAlreadyExistsException a retransmission, which the existing transaction answers
     */
    public ServerTransaction serverTransaction(RequestEvent event)
            throws TransactionAlreadyExistsException, TransactionUnavailableException {
        ServerTransaction st = event.getServerTransaction();
        return st != null ? st : provider().getNewServerTransaction(event.getRequest());
    }

    /** {@link #serverTransaction}, or {@code null} for a retransmission or a request no transaction can be made for (logged). */
    public ServerTransaction serverTransactionOrNull(RequestEvent event) {
        try {
            return serverTransaction(event);
        } catch (TransactionAlreadyExistsException e) {
            return null;
        } catch (TransactionUnavailableException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "no server transaction for " + event.getRequest().getMethod() + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * The Contact of every request and dialog-creating response: the configured GRUU, or this
     * computer's FQDN and port, so in-dialog requests come back to this instance of the pool.
     */
    public javax.sip.header.ContactHeader contact() throws java.text.ParseException {
        javax.sip.header.ContactHeader built = contact;
        if (built == null) {
            built = buildContact();
            contact = built;
        }
        return (javax.sip.header.ContactHeader) built.clone(); // JAIN-SIP's headers are mutable: each request its own
    }

    private javax.sip.header.ContactHeader buildContact() throws java.text.ParseException {
        if (config.gruu() != null) {
            return headers.createContactHeader(addressFactory.createAddress(addressFactory.createURI(config.gruu())));
        }
        javax.sip.address.SipURI c = addressFactory.createSipURI(null, config.computerFqdn());
        c.setPort(config.listenPort());
        c.setTransportParam(config.transport().uriParam());
        return headers.createContactHeader(addressFactory.createAddress(c));
    }

    /** {@code text} parsed as a URI ({@link AddressFactory#createURI}), from {@link ParseCache}: a copy of its own. */
    public javax.sip.address.URI uri(String text) throws ParseException {
        return parsed.uri(text);
    }

    /** {@code text} parsed as a name-addr ({@link AddressFactory#createAddress(String)}), from {@link ParseCache}. */
    public javax.sip.address.Address address(String text) throws ParseException {
        return parsed.address(text);
    }

    /** {@code sip:host:port;transport=…;lr}: a front end as the next hop of a request (loose routing, RFC 3261 §16.12). */
    public SipURI frontEndHop(HostPort target) {
        SipURI hop = hops.get(target);
        if (hop == null) {
            hop = buildHop(target);
            if (hops.size() >= ParseCache.CAPACITY) {
                hops.clear(); // targets come from the configuration and DNS: a few, unless a pool's name keeps changing
            }
            hops.put(target, hop);
        }
        return (SipURI) hop.clone();
    }

    private SipURI buildHop(HostPort target) {
        try {
            SipURI hop = addressFactory.createSipURI(null, target.host());
            hop.setPort(target.port());
            hop.setTransportParam(config.transport().uriParam());
            hop.setLrParam();
            return hop;
        } catch (ParseException e) {
            throw new IllegalArgumentException("front end " + target + " is not a SIP host", e);
        }
    }

    /**
     * Adds the Route headers of a request toward Lync. A trusted application reaches Lync users only through its
     * pool's front ends: in a dialog with a route set (the front end record-routed) the route set leads
     * (RFC 3261 §12.2.1.1); without one, the next front end of the static route is the outbound proxy
     * (§8.1.2), so the Request-URI — typically a GRUU such as {@code sip:alice@contoso.com;opaque=user:epid:…;gruu},
     * whose host is a SIP domain, not a machine — is never resolved by DNS.
     */
    public void addRoutes(Request request, List<String> routeSet) throws ParseException {
        if (routeSet.isEmpty()) {
            request.addHeader(headers.createRouteHeader(addressFactory.createAddress(frontEndHop(route.plan().get(0)))));
            return;
        }
        for (String hop : routeSet) {
            request.addHeader(headers.createRouteHeader(parsed.address(hop)));
        }
    }
}
