package org.parley.sip.testing;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.RouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * How the simulated front end and the Lync clients behind it write their messages: GRUU Contacts, client From with
 * {@code epid}, the front end's Record-Route, and what a front end adds to the responses it sends. Also holds the
 * JAIN-SIP factories the simulator's parts build messages with.
 */
final class LyncStyle {

    /** What a Skype for Business Server 2019 front end and client call themselves. */
    static final String SERVER = "RTC/7.0";
    static final String USER_AGENT = "UCCAPI/16.0.10827.20138 OC/16.0.10827.20138 (Skype for Business)";

    final MessageFactory messages = new MessageFactoryImpl();
    final HeaderFactory headers = new HeaderFactoryImpl();
    final AddressFactory addresses = new AddressFactoryImpl();
    private final int port;
    private final FrontEndState state;
    private final AtomicInteger connectionIds = new AtomicInteger();

    LyncStyle(int port, FrontEndState state) {
        this.port = port;
        this.state = state;
    }

    /** The port the front end listens on (TLS, 127.0.0.1). */
    int port() {
        return port;
    }

    /** The Via of a request the front end (or a client behind it) sends. */
    List<ViaHeader> via() throws Exception {
        return List.of(headers.createViaHeader("127.0.0.1", port, "tls", null));
    }

    /** A loose Route to the gateway listening on {@code gatewayPort}. */
    RouteHeader gatewayRoute(int gatewayPort) throws Exception {
        SipURI route = addresses.createSipURI(null, "127.0.0.1");
        route.setPort(gatewayPort);
        route.setTransportParam("tls");
        route.setLrParam();
        return headers.createRouteHeader(addresses.createAddress(route));
    }

    /** A Lync client's From: its tag and its endpoint id ({@code epid}, [MS-SIPRE] §2.2.x), as in [MS-PRES] §4.11. */
    FromHeader clientFrom(String uri, String tag) throws Exception {
        FromHeader from = headers.createFromHeader(addresses.createAddress(uri), tag);
        from.setParameter("epid", Integer.toHexString(uri.replaceAll("^.*<|>.*$", "").hashCode() & 0x7fffffff));
        return from;
    }

    /**
     * A Lync endpoint's Contact: its GRUU ([MS-SIPRE] §3.1; RFC 5627), {@code sip:user@contoso.com;opaque=user:epid:…;gruu}.
     * Its host is the SIP domain, not a machine: a request sent to it without a front end as next hop goes nowhere.
     */
    ContactHeader contact(String userUri) throws Exception {
        String bare = userUri.replaceAll("^.*<|>.*$", "").replaceFirst("^sips?:", "");
        String epid = Integer.toHexString(bare.hashCode() & 0x7fffffff);
        return headers.createContactHeader(addresses.createAddress("<sip:" + bare + ";opaque=user:epid:" + epid + ";gruu>"));
    }

    /** The Record-Route this front end inserts: its own address, with the opaque state a front end keeps there. */
    String recordRouteUri() {
        return "<sip:127.0.0.1:" + port + ";transport=tls;opaque=state:T;lr>";
    }

    /** Adds the front end's Record-Route to {@code m}, if it record-routes. */
    void addRecordRoute(Message m) throws Exception {
        if (state.recordRoute) {
            m.addHeader(headers.createRecordRouteHeader(addresses.createAddress(recordRouteUri().substring(1, recordRouteUri().length() - 1))));
            state.recordRouted.add(((javax.sip.header.CallIdHeader) m.getHeader(javax.sip.header.CallIdHeader.NAME)).getCallId());
        }
    }

    /**
     * What a front end adds to every response it forwards or makes ([MS-PRES] §4.8.1, §4.14.3.1): the port and
     * connection id it received the request on, as {@code ms-received-port} / {@code ms-received-cid} on the top Via;
     * and {@code Server} on the answers it gives itself (SUBSCRIBE answers, refusals).
     */
    Response asFrontEnd(Response response) throws Exception {
        ViaHeader via = (ViaHeader) response.getHeader(ViaHeader.NAME);
        if (via != null) {
            via.setParameter("ms-received-port", Integer.toString(via.getPort() > 0 ? via.getPort() : 5061));
            via.setParameter("ms-received-cid", Integer.toHexString(0x6F00 + connectionIds.incrementAndGet()).toUpperCase(Locale.ROOT));
        }
        String method = ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getMethod();
        if (response.getHeader("Server") == null && (Request.SUBSCRIBE.equals(method) || response.getStatusCode() >= 400)) {
            response.addHeader(headers.createHeader("Server", SERVER));
        }
        return response;
    }
}
