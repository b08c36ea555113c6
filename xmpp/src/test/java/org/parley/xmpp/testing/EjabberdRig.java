package org.parley.xmpp.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real ejabberd 23.01 (Debian package) on 127.0.0.1: a second partner XMPP server beside
 * {@link ProsodyRig}, federating with Parley's domains. Fails — never skips — when ejabberd is
 * missing: {@code .ci/install-peers} installs it (without starting the system service).
 *
 * <h2>How a throw-away ejabberd runs (found by experiment on Debian 12)</h2>
 * <ul>
 * <li>Started in the foreground with Debian's own script:
 * {@code ejabberdctl --config-dir DIR/etc --spool DIR/spool --logs DIR/logs --node NAME@localhost foreground}.
 * {@code --config FILE} alone does not work: the script then sources /etc/ejabberd/ejabberdctl.cfg,
 * whose {@code EJABBERD_CONFIG_PATH=/etc/ejabberd/ejabberd.yml} wins, and ejabberd listens with the
 * system configuration on all interfaces. {@code --config-dir} makes it read {@code ejabberd.yml},
 * {@code ejabberdctl.cfg} and {@code inetrc} from the rig's own directory instead.</li>
 * <li>The rig's {@code ejabberdctl.cfg} (sourced by the script) gives each node its own cookie
 * ({@code -setcookie} in {@code ERL_OPTIONS}) and its own distribution port ({@code ERL_DIST_PORT},
 * bound to 127.0.0.1): no epmd is started, so nothing stays behind after a stop and parallel instances
 * do not meet; {@code ejabberdctl register …} with the same arguments reaches the node on that port.
 * It sets {@code EXEC_CMD=as_current_user} so that root runs the node itself rather than
 * {@code su ejabberd} (which could not read the test's private temp directory). As a user other than
 * root or ejabberd, the script refuses (exit 7).</li>
 * <li>A unique node name and a fresh spool per instance: a spool made by another node name does not start.</li>
 * <li>Listening ≈ 0.8–1.3 s after start on 2 cores (≈ 2.3 s for two at once), ≈ 90 MB RSS; an account
 * takes ≈ 0.3 s ({@code ejabberdctl register}, only while the node runs: {@link #register} before
 * {@link #start} is queued). SIGTERM to beam.smp stops it cleanly in ≈ 1 s ({@code ejabberdctl stop} ≈ 2.4 s).
 * SIGTERM to the script alone would orphan beam.smp: {@link #stop} signals the node itself.</li>
 * <li>Finding Parley's domains without DNS: ejabberd 23.01's s2s (p1_xmpp 1.6.1) asks
 * {@code inet_res} for the {@code _xmpps-server._tcp} and {@code _xmpp-server._tcp} SRV records, then
 * resolves the domain or SRV target with the C library's getaddrinfo ({@code net:getaddrinfo}: /etc/hosts
 * and the system DNS, never the inetrc host table), and it has no per-domain static route nor a
 * resolver hook. What works: the rig's {@code inetrc} points {@code inet_res} at a {@link SrvResponder}
 * of its own that answers those SRV names with target {@code 127.0.0.1} and the Parley port (the
 * equivalent of ProsodyRig's {@code mod_parley_routes}); getaddrinfo takes an IP-literal target as is.
 * ({@code outgoing_s2s_port} with the domain in /etc/hosts would also work, but changes the machine.)</li>
 * <li>After a failed outgoing connection ejabberd refuses that domain for a random while ("bouncing
 * for N seconds", up to minutes): start Parley's listener before anything makes ejabberd connect.</li>
 * <li>s2s authentication: TLS is required ({@code s2s_use_starttls: required}); a partner whose
 * certificate chains to {@code ca_file} gets SASL EXTERNAL; {@code mod_s2s_dialback} (the lenient rig)
 * adds dialback for the others. The strict rig leaves dialback out: a valid certificate is the only way in.
 * Unlike Prosody, ejabberd offers SASL EXTERNAL on every encrypted stream and judges the certificate only
 * when asked: a partner with a self-signed certificate is refused then ({@code <not-authorized/>}, "Failed
 * to get peer certificate": Java's TLS sends no client certificate whose issuer is not among the CAs the
 * server names), even on the lenient rig, unless it falls back to dialback on the same stream.</li>
 * </ul>
 */
public final class EjabberdRig implements AutoCloseable {

    public static final String CTL = "/usr/sbin/ejabberdctl";

    private final Path dir;
    private final String domain;
    private final String node;
    public final int c2sPort;
    /** The s2s STARTTLS port. */
    public final int s2sPort;
    /** The s2s direct TLS (XEP-0368) port. */
    public final int s2sDirectTlsPort;
    private final SrvResponder dns;
    private final List<List<String>> pendingAccounts = new ArrayList<>();
    private Process process;
    private Duration lastStartup;

    private EjabberdRig(Path dir, String domain, String node, int c2sPort, int s2sPort, int s2sDirectTlsPort, SrvResponder dns) {
        this.dir = dir;
        this.domain = domain;
        this.node = node;
        this.c2sPort = c2sPort;
        this.s2sPort = s2sPort;
        this.s2sDirectTlsPort = s2sDirectTlsPort;
        this.dns = dns;
    }

    /** A federation rig for xmpp.test that routes nothing to Parley: for tests where only Parley opens streams. */
    public static EjabberdRig createFederating(Path dir, OpensslPki certs) throws IOException {
        return createFederating(dir, certs, Map.of(), Map.of(), true);
    }

    /**
     * A federation rig for xmpp.test with the certificate {@code xmpp.test.crt/.key} and the {@code ca.crt}
     * it trusts for partners, all taken from {@code certs}.
     *
     * @param routes       Parley domain → its STARTTLS s2s port on 127.0.0.1
     * @param directRoutes Parley domain → its direct TLS s2s port on 127.0.0.1
     * @param secureAuth   true: SASL EXTERNAL only (no dialback module); false: dialback too
     */
    public static EjabberdRig createFederating(Path dir, OpensslPki certs, Map<String, Integer> routes, Map<String, Integer> directRoutes,
                                               boolean secureAuth) throws IOException {
        return createFederating(dir, "xmpp.test", certs.file("ca.crt"), certs.file("xmpp.test.crt"), certs.file("xmpp.test.key"),
                routes, directRoutes, secureAuth);
    }

    /** As above for any {@code domain}, with the trusted CA bundle and the domain's certificate and key given as PEM files. */
    public static EjabberdRig createFederating(Path dir, String domain, Path caBundle, Path certificate, Path key,
                                               Map<String, Integer> routes, Map<String, Integer> directRoutes, boolean secureAuth)
            throws IOException {
        assertThat(Path.of(CTL)).as("ejabberd is an interop peer: install it with .ci/install-peers").exists();
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.createDirectories(dir.resolve("spool"));
        Files.createDirectories(dir.resolve("logs"));
        Path certDir = Files.createDirectories(dir.resolve("certs"));
        Files.copy(caBundle, certDir.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(certificate, certDir.resolve(domain + ".crt"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(key, certDir.resolve(domain + ".key"), StandardCopyOption.REPLACE_EXISTING);

        Map<String, List<SrvResponder.Target>> srv = new LinkedHashMap<>();
        routes.forEach((d, port) -> srv.put("_xmpp-server._tcp." + d, List.of(new SrvResponder.Target("127.0.0.1", port))));
        directRoutes.forEach((d, port) -> srv.put("_xmpps-server._tcp." + d, List.of(new SrvResponder.Target("127.0.0.1", port))));
        SrvResponder dns = new SrvResponder(srv);

        int c2s = freePort();
        int s2s = freePort();
        int direct = freePort();
        int dist = freePort();
        byte[] random = new byte[8];
        new SecureRandom().nextBytes(random);
        String suffix = HexFormat.of().formatHex(random);
        Map<String, String> values = Map.of(
                "@DIR@", dir.toAbsolutePath().toString(),
                "@DOMAIN@", domain,
                "@C2S_PORT@", Integer.toString(c2s),
                "@S2S_PORT@", Integer.toString(s2s),
                "@S2S_DIRECT_PORT@", Integer.toString(direct),
                "@DIALBACK@", secureAuth ? "" : "  mod_s2s_dialback: {}",
                "@DNS_PORT@", Integer.toString(dns.port()),
                "@DIST_PORT@", Integer.toString(dist),
                "@COOKIE@", "parley" + suffix);
        for (String name : List.of("ejabberd.yml", "inetrc", "ejabberdctl.cfg")) {
            String text = resource("/interop/ejabberd/" + name);
            for (Map.Entry<String, String> v : values.entrySet()) {
                text = text.replace(v.getKey(), v.getValue());
            }
            Files.writeString(etc.resolve(name), text);
        }
        return new EjabberdRig(dir, domain, "parley-ejabberd-" + suffix + "@localhost", c2s, s2s, direct, dns);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = EjabberdRig.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    public String domain() {
        return domain;
    }

    public Path certificate() {
        return dir.resolve("certs/" + domain + ".crt");
    }

    /** Registers an account: at once while the node runs, else when {@link #start} has it running. */
    public void register(String user, String host, String password) throws IOException, InterruptedException {
        if (process == null) {
            pendingAccounts.add(List.of(user, host, password));
            return;
        }
        ctl(List.of("register", user, host, password));
    }

    public void start() throws IOException, InterruptedException {
        Instant started = Instant.now();
        process = command(List.of("foreground"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("ejabberd.stdout").toFile()).start();
        Instant deadline = started.plus(startupBound());
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("ejabberd exited (" + process.exitValue() + "): " + log());
            }
            if (listening(c2sPort) && listening(s2sPort) && listening(s2sDirectTlsPort)) {
                break;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("ejabberd did not listen in time: " + log());
            }
            Thread.sleep(50);
        }
        lastStartup = Duration.between(started, Instant.now());
        for (List<String> account : pendingAccounts) {
            ctl(List.of("register", account.get(0), account.get(1), account.get(2)));
        }
        pendingAccounts.clear();
    }

    /** How long the last {@link #start} took until every listener accepted connections. */
    public Duration lastStartup() {
        return lastStartup;
    }

    /** SIGTERM to the Erlang VM (ejabberd stops cleanly), then whatever of the node is left is killed. */
    public void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.stream().filter(EjabberdRig::isBeam).forEach(ProcessHandle::destroy);
        if (tree.stream().noneMatch(EjabberdRig::isBeam)) {
            process.destroy();
        }
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (ProcessHandle p : tree) {
            while (p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        process = null;
    }

    private static boolean isBeam(ProcessHandle p) {
        return p.info().command().map(c -> c.endsWith("/beam.smp") || c.endsWith("/beam")).orElse(false);
    }

    /** Whether anything of the node still runs (after {@link #stop}: nothing should). */
    public boolean running() {
        return process != null && process.isAlive();
    }

    public String log() {
        StringBuilder b = new StringBuilder();
        for (String name : List.of("logs/ejabberd.log", "logs/error.log", "ejabberd.stdout")) {
            try {
                b.append(Files.readString(dir.resolve(name)));
            } catch (IOException absent) {
                // not written (yet)
            }
        }
        return b.length() == 0 ? "(no log)" : b.toString();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            stop();
        } finally {
            dns.close();
        }
    }

    public Duration startupBound() {
        return Duration.ofSeconds(30);
    }

    private ProcessBuilder command(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(CTL, "--config-dir", dir.resolve("etc").toString(),
                "--spool", dir.resolve("spool").toString(), "--logs", dir.resolve("logs").toString(), "--node", node));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        // nothing from the caller's environment may point ejabberdctl elsewhere (EJABBERD_CONFIG_PATH, SPOOL_DIR, ERL_*, …)
        pb.environment().keySet().removeIf(k -> k.startsWith("EJABBERD") || k.startsWith("ERL") || k.equals("SPOOL_DIR")
                || k.equals("LOGS_DIR") || k.equals("CONFIG_DIR") || k.equals("INSTALLUSER"));
        return pb;
    }

    private void ctl(List<String> args) throws IOException, InterruptedException {
        Process p = command(args).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("ejabberdctl " + args.get(0) + " failed: " + output);
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        return org.parley.presence.testing.FreePorts.next();
    }
}
