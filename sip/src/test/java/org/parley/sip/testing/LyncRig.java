package org.parley.sip.testing;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.parley.presence.address.AddressMapper;
import org.parley.sip.SipEndpoint;
import org.parley.sip.config.HostPort;
import org.parley.sip.config.SipDialect;
import org.parley.sip.config.SipEndpointConfig;
import org.parley.sip.config.SipTimers;
import org.parley.sip.config.SipTransport;
import org.parley.sip.tls.TlsMaterial;

/**
 * A started Parley SIP endpoint (gw.contoso.com, Lync dialect, XMPP domain xmpp.test) with the front-end simulator
 * as its only static-route target, over mutual TLS with certificates from a fresh test CA.
 */
public final class LyncRig implements AutoCloseable {

    public final SipEndpoint parley;
    public final LyncFrontEndSimulator frontEnd;
    public final RecordingInbound inbound = new RecordingInbound();
    public final int parleyPort;
    public final int frontEndPort;
    /** Parley's certificate and trust: what a raw client presents to the front end to be taken for the gateway. */
    public final TlsMaterial gatewayTls;

    /** @param knownUsers the Lync users (of contoso.com) the front end knows */
    public LyncRig(SipTimers timers, Set<String> knownUsers) throws Exception {
        TestPki pki = new TestPki();
        TestPki.Issued ca = pki.newCa("Contoso CA");
        TestPki.Issued gw = pki.newLeaf(ca, "gw.contoso.com", "gw1.contoso.com");
        TestPki.Issued fe = pki.newLeaf(ca, "pool.contoso.com", "fe1.contoso.com");
        frontEndPort = FreePorts.next();
        frontEnd = new LyncFrontEndSimulator(frontEndPort, new TlsMaterial(List.of(fe.certificate()), fe.keys().getPrivate(),
                List.of(ca.certificate()), Set.of("gw.contoso.com")), knownUsers);
        parleyPort = FreePorts.next();
        gatewayTls = new TlsMaterial(List.of(gw.certificate()), gw.keys().getPrivate(), List.of(ca.certificate()), Set.of("pool.contoso.com"));
        SipEndpointConfig config = new SipEndpointConfig("gw.contoso.com", "127.0.0.1", "127.0.0.1", parleyPort, SipTransport.TLS, gatewayTls,
                List.of(new HostPort("127.0.0.1", frontEndPort)), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(30),
                Set.of("xmpp.test"), SipDialect.LYNC, timers);
        parley = new SipEndpoint(config, AddressMapper.forDomains(List.of("contoso.com", "xmpp.test")), inbound.sides(), Clock.systemUTC(), line -> { });
        parley.start();
    }

    @Override
    public void close() {
        parley.close();
        frontEnd.close();
    }
}
