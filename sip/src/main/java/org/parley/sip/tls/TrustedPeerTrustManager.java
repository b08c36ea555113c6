package org.parley.sip.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trusted-application relationship, enforced in the handshake: the peer's chain must build to
 * the configured CA bundle (PKIX, validity) AND one of its names must be in the configured list of
 * front-end (or peer server) FQDNs. Applies to both directions, so a connection Parley opens to a
 * front end and one a front end opens to Parley are held to the same rule.
 *
 * <p>Every refusal is reported to {@code refusals} with a reason naming the peer's names, so the
 * operator sees "certificate names [x] are not trusted front ends [y]" instead of a bare handshake
 * failure.
 */
public final class TrustedPeerTrustManager extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager pkix;
    private final Set<String> trustedNames;
    private final Consumer<String> refusals;

    public TrustedPeerTrustManager(X509ExtendedTrustManager pkix, Set<String> trustedNames, Consumer<String> refusals) {
        this.pkix = pkix;
        this.trustedNames = Set.copyOf(trustedNames);
        this.refusals = refusals;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        verify(chain, "client", () -> pkix.checkClientTrusted(chain, authType, socket));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        verify(chain, "client", () -> pkix.checkClientTrusted(chain, authType, engine));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain, "client", () -> pkix.checkClientTrusted(chain, authType));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        verify(chain, "server", () -> pkix.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        verify(chain, "server", () -> pkix.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain, "server", () -> pkix.checkServerTrusted(chain, authType));
    }

    /**
     * Empty on purpose: a TLS server advertises these as the CAs a client certificate must come
     * from, and a client holding a certificate from another CA would then send none at all — the
     * handshake would fail as "no certificate" and the log could not say which certificate was
     * refused and why. With an empty list the client sends what it has, and {@link #verify}
     * names the reason.
     */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }

    private interface Check {
        void run() throws CertificateException;
    }

    private void verify(X509Certificate[] chain, String role, Check pkixCheck) throws CertificateException {
        if (chain == null || chain.length == 0) {
            refuse(role + " presented no certificate");
        }
        List<String> names = PeerNames.of(chain[0]);
        try {
            pkixCheck.run();
        } catch (CertificateException e) {
            refusals.accept("TLS " + role + " certificate " + names + " refused: " + rootMessage(e));
            throw e;
        }
        for (String trusted : trustedNames) {
            if (PeerNames.matches(names, trusted)) {
                return;
            }
        }
        refuse("TLS " + role + " certificate names " + names + " are not among the trusted peers " + trustedNames.stream().sorted().toList());
    }

    private void refuse(String reason) throws CertificateException {
        refusals.accept(reason);
        throw new CertificateException(reason);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
