package org.parley.gateway.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The admin API's bearer token: configured, or generated once into {@code <data-dir>/admin-token}
 * (owner-only) so an operator can read it from disk — it is never logged.
 */
public final class AdminToken {

    private final byte[] token;
    private final Path file;

    private AdminToken(String token, Path file) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.file = file;
    }

    public static AdminToken configuredOrGenerated(String configured, Path dataDir) throws IOException {
        if (configured != null && !configured.isBlank()) {
            return new AdminToken(configured, null);
        }
        Path file = dataDir.resolve("admin-token");
        if (Files.exists(file)) {
            return new AdminToken(Files.readString(file).strip(), file);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String generated = HexFormat.of().formatHex(random);
        Files.createDirectories(dataDir);
        Files.writeString(file, generated + "\n");
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // best effort
        }
        return new AdminToken(generated, file);
    }

    /** Constant-time comparison. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    /** Where a generated token was written, or null when it is configured. */
    public Path file() {
        return file;
    }
}
