package org.parley.xmpp.s2s;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Server Dialback keys (XEP-0220, key generation per XEP-0185):
 * {@code HMAC-SHA256(SHA256(secret), receiving + ' ' + originating + ' ' + streamId)}, hex. The
 * secret is random per process unless configured (a pool of gateways must share it, because the
 * partner may verify against another member).
 */
public final class DialbackKeys {

    private final byte[] hashedSecret;

    public DialbackKeys(byte[] secret) {
        try {
            this.hashedSecret = MessageDigest.getInstance("SHA-256").digest(secret);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    public static DialbackKeys random() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new DialbackKeys(secret);
    }

    public String key(String receiving, String originating, String streamId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hashedSecret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((receiving + " " + originating + " " + streamId).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
        }
    }

    /** Constant-time comparison of a presented key with the one this gateway would have made. */
    public boolean verify(String receiving, String originating, String streamId, String presented) {
        byte[] expected = key(receiving, originating, streamId).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = presented == null ? new byte[0] : presented.strip().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual);
    }
}
