package org.parley.gateway.config;

import java.nio.file.Path;

/**
 * Parley's certificate for both sides: subject the pool FQDN, SANs every computer FQDN and the
 * Lync domains (for s2s). All three unset: a development PKI is generated under the data
 * directory on first start.
 *
 * @param certificate  PEM chain, leaf first
 * @param key          PEM private key (PKCS#1, PKCS#8 or encrypted PKCS#8)
 * @param keyPassword  password of an encrypted key, or empty
 * @param ca           PEM bundle of the CAs Parley trusts for front ends and XMPP partners
 */
public record TlsProperties(Path certificate, Path key, String keyPassword, Path ca, java.time.Duration reloadInterval) {

    public TlsProperties {
        int set = (certificate != null ? 1 : 0) + (key != null ? 1 : 0) + (ca != null ? 1 : 0);
        if (set != 0 && set != 3) {
            throw new IllegalArgumentException("parley.tls: set certificate, key and ca together (or none of them for a generated development PKI)");
        }
        keyPassword = keyPassword == null ? "" : keyPassword;
        // how often the files are checked for a new certificate (a Kubernetes Secret update); zero: never
        reloadInterval = reloadInterval == null ? java.time.Duration.ofSeconds(30) : reloadInterval;
        if (reloadInterval.isNegative()) {
            throw new IllegalArgumentException("parley.tls.reload-interval must not be negative");
        }
    }

    public boolean generated() {
        return certificate == null;
    }
}
