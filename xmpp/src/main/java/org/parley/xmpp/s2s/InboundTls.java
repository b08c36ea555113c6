package org.parley.xmpp.s2s;

import java.io.IOException;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Set;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

/**
 * TLS on an inbound s2s stream: Parley's side of the handshake, and what the partner's client
 * certificate is worth — whether it authenticates the partner's domain for SASL EXTERNAL.
 */
final class InboundTls {

    static final String NAMESPACE = "urn:ietf:params:xml:ns:xmpp-tls";

    private final S2sTls tls;
    private final PartnerPolicy policy;

    InboundTls(S2sTls tls, PartnerPolicy policy) {
        this.tls = tls;
        this.policy = policy;
    }

    /**
     * The server side of the handshake on {@code socket}. A client certificate is asked for, not
     * required: a partner without one may still authenticate by dialback.
     *
     * @param direct TLS from the first byte (XEP-0368) rather than after STARTTLS
     */
    SSLSocket handshake(Socket socket, boolean direct) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.inbound().getSocketFactory().createSocket(socket, null, socket.getPort(), true);
        ssl.setUseClientMode(false);
        SSLParameters params = ssl.getSSLParameters();
        params.setWantClientAuth(true);
        params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        if (direct) {
            params.setApplicationProtocols(new String[] {"xmpp-server"}); // XEP-0368 §4
        }
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        return ssl;
    }

    /**
     * SASL EXTERNAL only for a chain Parley trusts whose name is the partner's domain (RFC 6125 DNS-ID, SRV-ID or
     * XmppAddr, {@link PartnerNames}): null when that holds, else why not (logged, and named in a refusal).
     */
    String certificateProblem(Socket socket, String domain) {
        if (!(socket instanceof SSLSocket ssl) || domain == null) {
            return "no TLS";
        }
        try {
            Certificate[] chain = ssl.getSession().getPeerCertificates();
            X509Certificate[] x509 = Arrays.stream(chain).filter(X509Certificate.class::isInstance)
                    .map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
            if (x509.length != chain.length) {
                return "not an X.509 certificate";
            }
            String distrust = tls.distrust(x509, policy.rulesFor(domain).map(PartnerRules::pins).orElse(Set.of()));
            if (distrust != null) {
                return distrust;
            }
            return PartnerNames.names(x509[0], domain) ? null
                    : "certificate name mismatch (" + x509[0].getSubjectX500Principal().getName() + " does not name " + domain + ")";
        } catch (SSLPeerUnverifiedException noCertificate) {
            return "no client certificate";
        }
    }
}
