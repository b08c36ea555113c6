package org.parley.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.gateway.doctor.Check;
import org.parley.gateway.doctor.Check.Status;
import org.parley.gateway.testing.DocsExamples;
import org.parley.sip.testing.FreePorts;

/**
 * {@code parley doctor} on the configurations an operator starts from — the defaults and the seed
 * configuration of docs/configuration.md — says nothing untrue, advises nothing unsafe, and runs
 * every check even when some cannot pass (or cannot even run).
 */
class DoctorCommandChecksTest {

    @TempDir
    Path dir;

    private static String[] run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = ParleyCli.run(args);
            return new String[] {String.valueOf(code), captured.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(original);
        }
    }

    @Test
    void theDefaultConfigurationGetsTrueStatementsAndSafeFixes() throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n");
        String out = run("doctor", "--hosts", hosts.toString(), "--timeout", "1000", "--parley.data-dir=" + dir.resolve("data"),
                "--parley.lync.computer-fqdn=localhost", "--parley.lync.front-ends[0]=127.0.0.1:" + FreePorts.next(),
                "--parley.lync.listen-port=" + FreePorts.next(), "--parley.xmpp.s2s.port=" + FreePorts.next())[1];
        List<String> lines = Arrays.asList(out.split("\n"));

        assertThat(lines).as(out).noneMatch(l -> l.startsWith("✗ hosts") || l.startsWith("! hosts"));
        assertThat(lines).as("no fix edits localhost's hosts line: %s", out)
                .noneMatch(l -> l.contains("fix:") && l.contains("localhost") && l.matches("(?i).*(\\bmap\\b|hosts|the line).*"));
        assertThat(lines).as("the dev PKI not generated yet is not a failure: %s", out).noneMatch(l -> l.startsWith("✗ certificate"));
        assertThat(out).as("an IP address is not looked up").contains("✓ dns: 127.0.0.1 — IP address, no DNS needed")
                .doesNotContain("127.0.0.1 resolves").doesNotContain("127.0.0.1 TTL");
        assertThat(out).as("the front end is still tried without a certificate").containsPattern("✗ front end: 127\\.0\\.0\\.1:\\d+ TCP");
        assertThat(out).as("the Contact host").contains("! sip: computer-fqdn localhost").contains("fix: set parley.lync.computer-fqdn");
    }

    @Test
    void theSeedConfigurationRunsEveryCheckDespiteMissingCertificateFiles() throws Exception {
        DoctorCommand doctor = doctor();
        doctor.resolver = host -> {
            throw new UnknownHostException(host);
        };
        List<Check> checks = doctor.run(ConfigLoader.load("--config=" + DocsExamples.seedConfiguration(dir)));

        assertThat(find(checks, "certificate", "files present").status()).isEqualTo(Status.FAIL);
        assertThat(find(checks, "certificate", "files present").detail()).contains("/etc/parley/tls/tls.crt");
        assertThat(find(checks, "hosts", "parley01.contoso.com").status()).isEqualTo(Status.OK);
        assertThat(find(checks, "dns", "lyncpool.contoso.com resolves").status()).isEqualTo(Status.FAIL);
        assertThat(find(checks, "sip", "computer-fqdn parley01.contoso.com").status()).isEqualTo(Status.WARN);
        assertThat(find(checks, "sip", "0.0.0.0:5061 free")).isNotNull();
        assertThat(find(checks, "xmpp", "0.0.0.0:5269 free")).isNotNull();
        assertThat(find(checks, "xmpp", "0.0.0.0:5270 free")).isNotNull();
        assertThat(find(checks, "xmpp", "internalxmpp.contoso.com s2s at internalxmpp.contoso.com:5269").status()).isEqualTo(Status.WARN);
        assertThat(find(checks, "dns", "SRV for contoso.com").status()).isEqualTo(Status.WARN);
        assertThat(find(checks, "xmpp", "fabrikam.example s2s reachable")).isNotNull();
    }

    @Test
    void aCheckThatBreaksIsItsOwnFailureAndTheOthersStillRun() throws Exception {
        DoctorCommand doctor = doctor();
        doctor.resolver = host -> {
            throw new IllegalStateException("resolver broke on " + host);
        };
        List<Check> checks = doctor.run(ConfigLoader.load("--parley.data-dir=" + dir.resolve("data"),
                "--parley.lync.front-ends[0]=pool.contoso.com:5061", "--parley.lync.computer-fqdn=parley01.contoso.com",
                "--parley.lync.listen-port=" + FreePorts.next(), "--parley.xmpp.s2s.port=" + FreePorts.next()));

        Check frontEnd = checks.stream().filter(c -> c.status() == Status.FAIL && c.detail() != null && c.detail().contains("resolver broke on pool.contoso.com"))
                .findFirst().orElseThrow(() -> new AssertionError("the broken front-end check as a failure in " + checks));
        assertThat(frontEnd.fix()).isNotBlank();
        assertThat(find(checks, "sip", "computer-fqdn parley01.contoso.com").status()).isEqualTo(Status.FAIL);
        assertThat(checks).as("the checks after it ran").anyMatch(c -> c.area().equals("xmpp") && c.name().endsWith("free"))
                .anyMatch(c -> c.name().startsWith("SRV for"));
    }

    private DoctorCommand doctor() throws Exception {
        DoctorCommand doctor = new DoctorCommand();
        doctor.hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
        doctor.timeoutMillis = 500;
        doctor.slowMillis = 1000;
        doctor.srvLookup = name -> {
            throw new javax.naming.NameNotFoundException(name);
        };
        return doctor;
    }

    private static Check find(List<Check> checks, String area, String name) {
        return checks.stream().filter(c -> c.area().equals(area) && c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(area + ": " + name + " in\n" + String.join("\n", checks.stream().map(Check::line).toList())));
    }
}
