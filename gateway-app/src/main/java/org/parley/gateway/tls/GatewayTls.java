package org.parley.gateway.tls;

import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.parley.sip.tls.TlsConfigurationException;
import org.parley.sip.tls.TlsMaterial;
import org.parley.xmpp.s2s.S2sTls;

/**
 * Parley's one certificate, shaped for each side: for SIP, the material whose trust also checks
 * that the peer is a configured front end; for XMPP s2s, plain PKIX trust in the same CA bundle
 * (partner names are checked per stream).
 */
public record GatewayTls(TlsMaterial sip, S2sTls xmpp) {

    public static GatewayTls from(TlsMaterial material) throws TlsConfigurationException {
        try {
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            int i = 0;
            for (X509Certificate ca : material.trustAnchors()) {
                ts.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            X509TrustManager pkix = null;
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    pkix = x;
                }
            }
            if (pkix == null) {
                throw new TlsConfigurationException("the JDK offers no X509 trust manager");
            }
            return new GatewayTls(material, S2sTls.of(material.keyManagers(), pkix));
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new TlsConfigurationException("cannot build the XMPP trust store from the CA bundle: " + e.getMessage(), e);
        }
    }

    /** The names in Parley's own certificate, for the start-up summary. */
    public Set<String> names() {
        return Set.copyOf(org.parley.sip.tls.PeerNames.of(sip.chain().get(0)));
    }
}
