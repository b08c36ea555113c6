package org.parley.sip.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Receipt;
import org.parley.sip.SipEndpoint;
import org.parley.sip.config.HostPort;
import org.parley.sip.config.SipEndpointConfig;
import org.parley.sip.config.SipTransport;
import org.parley.sip.testing.FreePorts;
import org.parley.sip.testing.TestPki;

/** A new certificate and CA bundle take effect for new handshakes without a restart; open connections carry on. */
class RotatingTlsTest {

    @Test
    void newHandshakesUseTheRotatedIdentityAndTrust() throws Exception {
        TestPki pki = new TestPki();
        TestPki.Issued ca = pki.newCa("Rotation CA");
        TestPki.Issued laterCa = pki.newCa("Rotation CA 2");
        TestPki.Issued before = pki.newLeaf(ca, "gw-before.contoso.com", "127.0.0.1");
        TestPki.Issued after = pki.newLeaf(ca, "gw-after.contoso.com", "127.0.0.1");
        TestPki.Issued fe = pki.newLeaf(ca, "fe1.contoso.com", "127.0.0.1");
        TestPki.Issued feOfLaterCa = pki.newLeaf(laterCa, "fe1.contoso.com", "127.0.0.1");

        TlsMaterial first = new TlsMaterial(List.of(before.certificate()), before.keys().getPrivate(), List.of(ca.certificate()),
                Set.of("fe1.contoso.com"));
        RotatingTls rotating = RotatingTls.of(first);
        int port = FreePorts.next();
        SipEndpointConfig config = new SipEndpointConfig("gw.contoso.com", "127.0.0.1", "127.0.0.1", port, SipTransport.TLS, first,
                List.of(new HostPort("127.0.0.1", FreePorts.next())), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(30),
                Set.of("xmpp.test"), null, null);
        SSLContext frontEnd = client(fe, ca, laterCa);
        SSLContext frontEndOfLaterCa = client(feOfLaterCa, ca, laterCa);
        try (SipEndpoint parley = new SipEndpoint(config, AddressMapper.forDomains(List.of("xmpp.test", "contoso.com")),
                org.parley.sip.SipSides.of(m -> CompletableFuture.completedFuture(new Receipt(m.to(), m.from(), m.id()))), Clock.systemUTC(),
                line -> { }, rotating)) {
            parley.start();
            try (SSLSocket open = connect(frontEnd, port)) {
                assertThat(serverName(open)).contains("gw-before");
                assertThatThrownBy(() -> options(connect(frontEndOfLaterCa, port))).as("a CA outside the bundle").isInstanceOf(Exception.class);

                rotating.rotate(new TlsMaterial(List.of(after.certificate()), after.keys().getPrivate(),
                        List.of(ca.certificate(), laterCa.certificate()), Set.of("fe1.contoso.com")));

                try (SSLSocket fresh = connect(frontEnd, port)) {
                    assertThat(serverName(fresh)).contains("gw-after");
                    assertThat(options(fresh)).isEqualTo("SIP/2.0 200 OK");
                }
                try (SSLSocket laterCaPeer = connect(frontEndOfLaterCa, port)) {
                    assertThat(options(laterCaPeer)).as("the new bundle's CA is trusted now").isEqualTo("SIP/2.0 200 OK");
                }
                assertThat(options(open)).as("a connection opened before the rotation carries on").isEqualTo("SIP/2.0 200 OK");
            }
        }
    }

    @Test
    void unusableMaterialIsRefusedAndTheCurrentOneStays() throws Exception {
        TestPki pki = new TestPki();
        TestPki.Issued ca = pki.newCa("Rotation CA");
        TestPki.Issued gw = pki.newLeaf(ca, "gw.contoso.com");
        TestPki.Issued other = pki.newLeaf(ca, "other.contoso.com");
        TlsMaterial good = new TlsMaterial(List.of(gw.certificate()), gw.keys().getPrivate(), List.of(ca.certificate()), Set.of());
        RotatingTls rotating = RotatingTls.of(good);
        TlsMaterial mismatched = new TlsMaterial(List.of(gw.certificate()), other.keys().getPrivate(), List.of(ca.certificate()), Set.of());
        assertThatThrownBy(() -> rotating.rotate(mismatched)).isInstanceOf(TlsConfigurationException.class);
        assertThat(rotating.current()).isSameAs(good);
    }

    private static SSLContext client(TestPki.Issued leaf, TestPki.Issued... cas) throws Exception {
        return new TlsMaterial(List.of(leaf.certificate()), leaf.keys().getPrivate(), List.of(cas).stream().map(TestPki.Issued::certificate).toList(),
                Set.of("gw-before.contoso.com", "gw-after.contoso.com")).sslContext(r -> { });
    }

    private static SSLSocket connect(SSLContext ctx, int port) throws Exception {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(5000);
        s.startHandshake();
        return s;
    }

    private static String serverName(SSLSocket s) throws Exception {
        return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }

    private static int cseq;

    /** One OPTIONS on the connection; the status line of the answer. */
    private static String options(SSLSocket s) throws Exception {
        int n = ++cseq;
        String r = "OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:5071;branch=z9hG4bK-rot" + n + System.nanoTime()
                + "\r\nMax-Forwards: 70\r\nFrom: <sip:fe1.contoso.com>;tag=r" + n + "\r\nTo: <sip:gw.contoso.com>\r\nCall-ID: rot-" + n + "-"
                + System.nanoTime() + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        s.getOutputStream().write(r.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        return in.readLine();
    }
}
