package org.parley.xmpp.s2s;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/**
 * A partner's key pinned by the SHA-256 of its SubjectPublicKeyInfo, base64 (RFC 7469's pin-sha256 value,
 * {@code openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64}):
 * for a partner with a self-signed certificate, an alternative to adding a CA. A pinned key stands in for the chain to
 * a trust anchor; the certificate must still be valid now, name the partner and allow TLS.
 */
public final class KeyPins {

    private KeyPins() {
    }

    /** The pin of a certificate's key. */
    public static String of(X509Certificate certificate) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /**
     * A pin as configured — base64 of 32 bytes, optionally written {@code sha256/…} — in its canonical form.
     *
     * @throws IllegalArgumentException naming {@code where} when it is not one
     */
    public static String parse(String pin, String where) {
        String p = pin.strip();
        if (p.toLowerCase(Locale.ROOT).startsWith("sha256/")) {
            p = p.substring("sha256/".length());
        }
        try {
            byte[] digest = Base64.getDecoder().decode(p);
            if (digest.length == 32) {
                return Base64.getEncoder().encodeToString(digest);
            }
        } catch (IllegalArgumentException notBase64) {
            // said below
        }
        throw new IllegalArgumentException(where + ": '" + pin + "' is not a SHA-256 key pin (base64 of 32 bytes, as "
                + "openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64 prints)");
    }

    static boolean pinned(X509Certificate leaf, Set<String> pins) {
        return !pins.isEmpty() && pins.contains(of(leaf));
    }
}
