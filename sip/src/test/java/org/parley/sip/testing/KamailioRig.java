package org.parley.sip.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real Kamailio 5.6 (Debian package) on 127.0.0.1 over mutual TLS, configured from
 * {@code src/test/resources/interop/kamailio}: registrar and presence server for {@code sip.test},
 * forwarding requests for {@code xmpp.test} to the gateway. Fails — never skips — when Kamailio
 * is not installed: {@code .ci/install-peers} installs it.
 */
public final class KamailioRig implements AutoCloseable {

    public static final String BINARY = "/usr/sbin/kamailio";
    private static final String DBTEXT = "/usr/share/kamailio/dbtext/kamailio";

    private volatile Process process;
    private final int port;
    private final Path log;
    private final List<String> command;

    private KamailioRig(Process process, int port, Path log, List<String> command) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.command = List.copyOf(command);
    }

    /**
     * Starts Kamailio with {@code cert}/{@code key} (its identity, issued by {@code ca}) and
     * forwarding gateway-domain requests to {@code gatewayPort} on 127.0.0.1 over TLS.
     */
    public static KamailioRig start(Path dir, Path cert, Path key, Path ca, int gatewayPort) throws IOException, InterruptedException {
        return start(dir, cert, key, ca, gatewayPort, List.of());
    }

    /**
     * Starts Kamailio in front of a pool of gateways ({@code host:port}, TLS): new requests for the gateway's
     * domain go round-robin over them, and to the next one when a gateway fails (Kamailio's dispatcher).
     */
    public static KamailioRig startPool(Path dir, Path cert, Path key, Path ca, List<String> gateways) throws IOException, InterruptedException {
        StringBuilder list = new StringBuilder();
        for (String g : gateways) {
            list.append("1 sip:").append(g).append(";transport=tls\n");
        }
        Path file = Files.writeString(dir.resolve("dispatcher.list"), list.toString());
        return start(dir, cert, key, ca, 1, List.of("-A", "GW_POOL=\"" + file.toAbsolutePath() + "\""));
    }

    private static KamailioRig start(Path dir, Path cert, Path key, Path ca, int gatewayPort, List<String> extra)
            throws IOException, InterruptedException {
        assertThat(Path.of(BINARY)).as("Kamailio is an interop peer: install it with .ci/install-peers").exists();
        assertThat(Path.of(DBTEXT)).as("kamailio db_text schema (package kamailio)").exists();
        int port = FreePorts.next();
        Path cfg = dir.resolve("kamailio.cfg");
        copyResource("/interop/kamailio/kamailio.cfg", cfg);
        String tls = resource("/interop/kamailio/tls.cfg")
                .replace("@CERT@", cert.toAbsolutePath().toString())
                .replace("@KEY@", key.toAbsolutePath().toString())
                .replace("@CA@", ca.toAbsolutePath().toString());
        Path tlsCfg = Files.writeString(dir.resolve("tls.cfg"), tls);
        Path db = dir.resolve("db");
        copyTree(Path.of(DBTEXT), db);
        Path run = Files.createDirectories(dir.resolve("run"));
        Path log = dir.resolve("kamailio.log");
        List<String> cmd = new ArrayList<>(List.of(BINARY, "-f", cfg.toString(), "-P", run.resolve("kamailio.pid").toString(),
                "-Y", run.toString(), "-DD", "-E", "-m", "64", "-M", "8",
                "-A", "LISTEN_TLS=tls:127.0.0.1:" + port,
                "-A", "DBURL=\"text://" + db.toAbsolutePath() + "\"",
                "-A", "TLSCFG=\"" + tlsCfg.toAbsolutePath() + "\"",
                "-A", "GATEWAY=\"sip:127.0.0.1:" + gatewayPort + ";transport=tls\""));
        cmd.addAll(extra);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        KamailioRig rig = new KamailioRig(p, port, log, cmd);
        rig.awaitListening(Duration.ofSeconds(15));
        return rig;
    }

    /** Stops Kamailio and starts it again on the same port with the same configuration (its registrations are gone). */
    public void restart() throws IOException, InterruptedException {
        close();
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(java.lang.ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        awaitListening(Duration.ofSeconds(15));
    }

    public int port() {
        return port;
    }

    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void awaitListening(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("kamailio exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        close();
        throw new IllegalStateException("kamailio did not listen on " + port + " within " + timeout + ":\n" + log());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = KamailioRig.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void copyResource(String name, Path to) throws IOException {
        Files.writeString(to, resource(name), StandardCharsets.UTF_8);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.forEach(src -> {
                try {
                    Path dst = to.resolve(from.relativize(src).toString());
                    if (Files.isDirectory(src)) {
                        Files.createDirectories(dst);
                    } else {
                        Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
