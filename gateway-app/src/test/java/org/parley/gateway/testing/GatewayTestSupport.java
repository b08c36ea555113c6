package org.parley.gateway.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.parley.presence.address.AddressMapper;
import org.parley.sip.testing.TestPki;
import org.parley.sip.tls.TlsMaterial;
import org.parley.xmpp.XmppInbound;
import org.parley.xmpp.adapt.InboundDispatcher;
import org.parley.xmpp.adapt.XmppToModel;
import org.parley.xmpp.iq.IqHandler;
import org.parley.xmpp.s2s.InboundServerListener;
import org.parley.xmpp.s2s.PartnerPolicy;
import org.parley.xmpp.s2s.S2sListenerConfig;
import org.parley.xmpp.s2s.S2sTls;

/**
 * What the end-to-end tests and the load harness share: Parley's TLS files and lab configuration, an XMPP
 * partner's TLS and server, and waiting for a matching stanza.
 */
public final class GatewayTestSupport {

    private GatewayTestSupport() {
    }

    /** Writes the gateway's certificate chain and key under {@code dir} and points {@code parley.tls.*} at them. */
    public static void tlsProperties(Map<String, Object> properties, Path dir, TestPki.Issued gateway, TestPki.Issued ca, Path caPem)
            throws IOException {
        properties.put("parley.tls.certificate", TestPki.writeCertificates(dir.resolve("gw.pem"), gateway.certificate(), ca.certificate()).toString());
        properties.put("parley.tls.key", TestPki.writePkcs8(dir.resolve("gw.key"), gateway.keys()).toString());
        properties.put("parley.tls.ca", caPem.toString());
    }

    /** The first element that matches within 20 s, dropping the ones before it; {@code null} if none came. */
    public static <T> T await(BlockingQueue<T> queue, Predicate<T> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            T t = queue.poll(100, TimeUnit.MILLISECONDS);
            if (t != null && wanted.test(t)) {
                return t;
            }
        }
        return null;
    }

    /** Plain PKIX trust in one test CA, as an XMPP peer in a test trusts it. */
    public static javax.net.ssl.X509TrustManager pkix(TestPki.Issued ca) throws Exception {
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca.certificate());
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return (javax.net.ssl.X509TrustManager) tmf.getTrustManagers()[0];
    }

    /**
     * The configuration of a lab gateway for lync.test (pool gw.lync.test, front ends fe.lync.test, RFC dialect,
     * loopback ports) federating with xmpp.test (SASL EXTERNAL required) through a static route; tests add what
     * they vary.
     */
    public static Map<String, Object> labProperties(Path dir, TestPki.Issued gateway, TestPki.Issued ca, Path caPem, int sipPort,
            int s2sPort, int xmppTestPort) throws IOException {
        Map<String, Object> p = new java.util.HashMap<>();
        p.put("server.port", "0");
        p.put("parley.data-dir", dir.resolve("data").toString());
        tlsProperties(p, dir, gateway, ca, caPem);
        p.put("parley.lync.domains[0]", "lync.test");
        p.put("parley.lync.pool-fqdn", "gw.lync.test");
        p.put("parley.lync.computer-fqdn", "127.0.0.1");
        p.put("parley.lync.trusted-peers[0]", "fe.lync.test");
        p.put("parley.lync.dialect", "rfc");
        p.put("parley.lync.listen-port", Integer.toString(sipPort));
        p.put("parley.xmpp.s2s.routes[xmpp.test]", "127.0.0.1:" + xmppTestPort);
        p.put("parley.xmpp.s2s.port", Integer.toString(s2sPort));
        p.put("parley.xmpp.s2s.partners[xmpp.test].sasl-external", "required");
        return p;
    }

    /** An XMPP partner's s2s TLS: its certificate, trusting only the test CA. */
    public static S2sTls partnerTls(TestPki.Issued partner, TestPki.Issued ca) throws Exception {
        TlsMaterial tls = new TlsMaterial(List.of(partner.certificate()), partner.keys().getPrivate(), List.of(ca.certificate()), Set.of());
        return S2sTls.of(tls.keyManagers(), pkix(ca));
    }

    /** A started s2s server for the partner domain {@code domain} on a loopback port, handing what arrives to {@code inbound}. */
    public static InboundServerListener partnerServer(String domain, S2sTls tls, XmppInbound inbound) throws IOException {
        InboundServerListener server = new InboundServerListener(S2sListenerConfig.starttls("127.0.0.1", 0, Set.of(domain)), tls,
                PartnerPolicy.open(Set.of()), new InboundDispatcher(new XmppToModel(AddressMapper.anyDomain()),
                new IqHandler(Set.of(domain), "parley-test-partner"), inbound), reply -> { }, null, null);
        server.start();
        return server;
    }
}
