package org.parley.gateway.tls;

import java.util.Set;
import org.parley.sip.tls.TlsConfigurationException;
import org.parley.sip.tls.TlsMaterial;
import org.parley.xmpp.s2s.S2sTls;

/**
 * Parley's one certificate, shaped for each side: for SIP, the material whose trust also checks
 * that the peer is a configured front end; for XMPP s2s, plain PKIX trust in the same CA bundle
 * (partner names are checked per stream).
 */
public record GatewayTls(TlsMaterial sip, S2sTls xmpp, org.parley.sip.tls.RotatingTls rotating) {

    /**
     * Both sides draw identity and trust from one {@link org.parley.sip.tls.RotatingTls}, so a new
     * certificate (see {@code TlsFileWatcher}) reaches SIP and XMPP handshakes alike.
     */
    public static GatewayTls from(TlsMaterial material) throws TlsConfigurationException {
        org.parley.sip.tls.RotatingTls rotating = org.parley.sip.tls.RotatingTls.of(material);
        return new GatewayTls(material, S2sTls.of(new javax.net.ssl.KeyManager[] {rotating.keyManager()}, rotating.pkixTrust()), rotating);
    }

    /** The names in Parley's own certificate, for the start-up summary. */
    public Set<String> names() {
        return Set.copyOf(org.parley.sip.tls.PeerNames.of(rotating.current().chain().get(0)));
    }
}
