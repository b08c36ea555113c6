package org.parley.gateway.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.parley.sip.tls.RotatingTls;
import org.parley.sip.tls.TlsConfigurationException;
import org.parley.sip.tls.TlsMaterial;

/**
 * Picks up new certificate files without a restart: every interval it hashes the certificate, key
 * and CA files (a Kubernetes Secret update swaps all three through a symlink; a hash sees it however
 * the files were replaced), and when they changed and form usable material, hands it to
 * {@link RotatingTls} — new SIP and XMPP handshakes then use it, open connections keep theirs. Files
 * that do not load (a half-written renewal, a key that does not match) are reported once and the
 * current certificate stays.
 */
public final class TlsFileWatcher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TlsFileWatcher.class.getName());

    private final TlsFiles files;
    private final Set<String> trustedPeers;
    private final RotatingTls target;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "parley-tls-reload");
        t.setDaemon(true);
        return t;
    });
    private byte[] lastSeen;

    public TlsFileWatcher(TlsFiles files, Set<String> trustedPeers, RotatingTls target) {
        this.files = files;
        this.trustedPeers = Set.copyOf(trustedPeers);
        this.target = target;
        this.lastSeen = fingerprintOrNull();
    }

    /** Checks every {@code interval}; zero: never (the files are read at start only). */
    public TlsFileWatcher start(Duration interval) {
        if (!interval.isZero()) {
            timer.scheduleWithFixedDelay(this::checkQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** One check now; true when a new certificate was taken into use. */
    public synchronized boolean check() {
        byte[] now = fingerprintOrNull();
        if (now == null || Arrays.equals(now, lastSeen)) {
            return false;
        }
        lastSeen = now;
        try {
            TlsMaterial next = TlsMaterial.fromPem(files.certificate(), files.key(), files.keyPassword(), files.ca(), trustedPeers);
            target.rotate(next);
            X509Certificate leaf = next.chain().get(0);
            LOG.log(System.Logger.Level.INFO, "TLS files changed: new handshakes now present " + leaf.getSubjectX500Principal().getName()
                    + " (valid until " + leaf.getNotAfter().toInstant() + ") and trust " + next.trustAnchors().size() + " CA certificate(s)");
            return true;
        } catch (TlsConfigurationException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "TLS files changed but cannot be used — keeping the current certificate: " + e.getMessage());
            return false;
        }
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "TLS file check failed: " + e.getMessage());
        }
    }

    /** SHA-256 over the three files; null while one of them cannot be read (mid-update). */
    private byte[] fingerprintOrNull() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Files.readAllBytes(files.certificate()));
            sha.update(Files.readAllBytes(files.key()));
            sha.update(Files.readAllBytes(files.ca()));
            return sha.digest();
        } catch (IOException e) {
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
