package org.parley.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.parley.sip.testing.FreePorts;

/**
 * A throw-away PostgreSQL server from Debian's package (installed by {@code .ci/install-peers}),
 * on 127.0.0.1 and a free port, trust authentication, fsync off. PostgreSQL refuses to run as
 * root, so under root the cluster belongs to the package's {@code postgres} user. Fails — never
 * skips — when PostgreSQL is missing.
 */
public final class PostgresRig implements AutoCloseable {

    private final Path bin;
    private final Path data;
    private final boolean root;
    private final int port;

    private PostgresRig(Path bin, Path data, boolean root, int port) {
        this.bin = bin;
        this.data = data;
        this.root = root;
        this.port = port;
    }

    public static PostgresRig start(Path dir) throws IOException, InterruptedException {
        Path bin;
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            bin = versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb"))).findFirst().orElse(null);
        } catch (IOException missing) {
            bin = null;
        }
        assertThat(bin).as("PostgreSQL is an interop peer: install it with .ci/install-peers").isNotNull();
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
        }
        PostgresRig rig = new PostgresRig(bin, dir.resolve("data"), root, FreePorts.next());
        rig.run(List.of(bin.resolve("initdb").toString(), "-D", rig.data.toString(), "-A", "trust", "-U", "parley", "-E", "UTF8",
                "--locale=C", "--no-sync"));
        rig.run(List.of(bin.resolve("pg_ctl").toString(), "-D", rig.data.toString(), "-l", dir.resolve("postgres.log").toString(), "-w",
                "-o", "-p " + rig.port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off", "start"));
        rig.run(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(rig.port), "-U", "parley", "parley"));
        return rig;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/parley";
    }

    public String user() {
        return "parley";
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (root) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"));
    }
}
