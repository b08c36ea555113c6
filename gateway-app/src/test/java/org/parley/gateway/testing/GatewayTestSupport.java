package org.parley.gateway.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.parley.sip.testing.TestPki;

/** What the end-to-end tests and the load harness share: Parley's TLS files, and waiting for a matching stanza. */
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
}
