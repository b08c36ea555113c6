package org.parley.xmpp.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Prosody 0.12 (Debian package) on 127.0.0.1: the internal XMPP server of xmpp.test with a
 * component port for Parley. Its certificate is made with the openssl command line. Fails —
 * never skips — when Prosody is missing: {@code .ci/install-peers} installs it.
 */
public final class ProsodyRig implements AutoCloseable {

    public static final String BINARY = "/usr/bin/prosody";
    public static final String CTL = "/usr/bin/prosodyctl";

    private final Path dir;
    private final Path config;
    public final int c2sPort;
    /** The component port, or the s2s port for a federation rig. */
    public final int componentPort;
    private Process process;
    /** The s2s direct TLS (XEP-0368) port of a federation rig. */
    public int s2sDirectTlsPort;

    private ProsodyRig(Path dir, Path config, int c2sPort, int componentPort) {
        this.dir = dir;
        this.config = config;
        this.c2sPort = c2sPort;
        this.componentPort = componentPort;
    }

    /** A federation rig that routes nothing to Parley: for tests where only Parley opens streams. */
    public static ProsodyRig createFederating(Path dir, OpensslPki certs) throws IOException, InterruptedException {
        return createFederating(dir, certs, Map.of(), Map.of(), true);
    }

    /**
     * A federation rig for xmpp.test: c2s, s2s (STARTTLS) and s2s direct TLS ports, the xmpp.test
     * certificate {@code xmpp.test.crt/.key} and the {@code ca.crt} it trusts for partners, all taken
     * from {@code certs}.
     *
     * @param routes       Parley domain → its STARTTLS s2s port on 127.0.0.1
     * @param directRoutes Parley domain → its direct TLS s2s port on 127.0.0.1
     * @param secureAuth   Prosody's s2s_secure_auth: true strict, false lenient
     */
    public static ProsodyRig createFederating(Path dir, OpensslPki certs, Map<String, Integer> routes, Map<String, Integer> directRoutes,
                                              boolean secureAuth) throws IOException, InterruptedException {
        return createFederating(dir, certs.file("ca.crt"), certs.file("xmpp.test.crt"), certs.file("xmpp.test.key"), routes, directRoutes,
                secureAuth);
    }

    /** As above, with the trusted CA bundle and xmpp.test's certificate and key given as PEM files. */
    public static ProsodyRig createFederating(Path dir, Path caBundle, Path certificate, Path key, Map<String, Integer> routes,
                                              Map<String, Integer> directRoutes, boolean secureAuth) throws IOException, InterruptedException {
        return createFederating(dir, caBundle, certificate, key, lua(routes), lua(directRoutes), secureAuth);
    }

    /**
     * A federation rig whose s2s streams to a Parley domain go to a pool of gateways ({@code host:port} each,
     * STARTTLS), tried in order as Prosody tries the targets of an SRV lookup: the next when one refuses.
     */
    public static ProsodyRig createFederatingPool(Path dir, Path caBundle, Path certificate, Path key, Map<String, List<String>> pools)
            throws IOException, InterruptedException {
        StringBuilder b = new StringBuilder();
        pools.forEach((domain, targets) -> {
            b.append("[\"").append(domain).append("\"] = { ");
            for (String t : targets) {
                int colon = t.lastIndexOf(':');
                b.append("{ \"").append(t, 0, colon).append("\", ").append(t.substring(colon + 1)).append(" }; ");
            }
            b.append("}; ");
        });
        return createFederating(dir, caBundle, certificate, key, b.toString(), "", true);
    }

    private static ProsodyRig createFederating(Path dir, Path caBundle, Path certificate, Path key, String routesLua, String directLua,
                                               boolean secureAuth) throws IOException, InterruptedException {
        assertThat(Path.of(BINARY)).as("Prosody is an interop peer: install it with .ci/install-peers").exists();
        Files.createDirectories(dir.resolve("data"));
        Path certDir = Files.createDirectories(dir.resolve("certs"));
        Files.copy(caBundle, certDir.resolve("ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(certificate, certDir.resolve("xmpp.test.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(key, certDir.resolve("xmpp.test.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        int c2s = freePort();
        int s2s = freePort();
        int direct = freePort();
        String template;
        try (InputStream in = ProsodyRig.class.getResourceAsStream("/interop/prosody/prosody-s2s.cfg.lua")) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path cfg = Files.writeString(dir.resolve("prosody.cfg.lua"), template
                .replace("@DIR@", dir.toAbsolutePath().toString())
                .replace("@C2S_PORT@", Integer.toString(c2s))
                .replace("@S2S_PORT@", Integer.toString(s2s))
                .replace("@S2S_DIRECT_PORT@", Integer.toString(direct))
                .replace("@ROUTES@", routesLua)
                .replace("@DIRECT_ROUTES@", directLua)
                .replace("@SECURE_AUTH@", Boolean.toString(secureAuth)));
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        try (InputStream in = ProsodyRig.class.getResourceAsStream("/interop/prosody/plugins/mod_parley_routes.lua")) {
            Files.write(plugins.resolve("mod_parley_routes.lua"), in.readAllBytes());
        }
        ProsodyRig rig = new ProsodyRig(dir, cfg, c2s, s2s);
        rig.s2sDirectTlsPort = direct;
        return rig;
    }

    private static String lua(Map<String, Integer> routes) {
        StringBuilder b = new StringBuilder();
        routes.forEach((domain, port) -> b.append("[\"").append(domain).append("\"] = { \"127.0.0.1\", ").append(port).append(" }; "));
        return b.toString();
    }

    public static ProsodyRig create(Path dir, String componentDomain, String secret) throws IOException, InterruptedException {
        assertThat(Path.of(BINARY)).as("Prosody is an interop peer: install it with .ci/install-peers").exists();
        Files.createDirectories(dir.resolve("data"));
        Path certs = Files.createDirectories(dir.resolve("certs"));
        run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-keyout", certs.resolve("xmpp.test.key").toString(), "-out", certs.resolve("xmpp.test.crt").toString(),
                "-subj", "/CN=xmpp.test", "-addext", "subjectAltName=DNS:xmpp.test"));
        int c2s = freePort();
        int component = freePort();
        String template;
        try (InputStream in = ProsodyRig.class.getResourceAsStream("/interop/prosody/prosody.cfg.lua")) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path cfg = Files.writeString(dir.resolve("prosody.cfg.lua"), template
                .replace("@DIR@", dir.toAbsolutePath().toString())
                .replace("@C2S_PORT@", Integer.toString(c2s))
                .replace("@COMPONENT_PORT@", Integer.toString(component))
                .replace("@COMPONENT_DOMAIN@", componentDomain)
                .replace("@SECRET@", secret));
        return new ProsodyRig(dir, cfg, c2s, component);
    }

    public Path certificate() {
        return dir.resolve("certs/xmpp.test.crt");
    }

    public void register(String user, String domain, String password) throws IOException, InterruptedException {
        run(List.of(CTL, "--config", config.toString(), "register", user, domain, password));
    }

    public void start() throws IOException, InterruptedException {
        process = new ProcessBuilder(BINARY, "--config", config.toString(), "-F")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prosody.stdout").toFile()).start();
        Instant deadline = Instant.now().plusSeconds(15);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prosody exited: " + log());
            }
            if (listening(c2sPort) && listening(componentPort)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("prosody did not listen in time: " + log());
    }

    /** The running server's process id (for CPU accounting and pinning in the load harness). */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException("prosody is not running");
        }
        return process.pid();
    }

    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            process = null;
        }
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("prosody.log")) + Files.readString(dir.resolve("prosody.stdout"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
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

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    public Duration startupBound() {
        return Duration.ofSeconds(15);
    }
}
