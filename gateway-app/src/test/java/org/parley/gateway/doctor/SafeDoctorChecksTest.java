package org.parley.gateway.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.gateway.doctor.Check.Status;
import org.parley.sip.testing.FreePorts;

/**
 * What doctor says must be true and what it advises must be safe: localhost's hosts lines are
 * never judged or edited, an IP address is not looked up in DNS, and a Contact host no peer can
 * reach (localhost, loopback, a name that does not resolve) is a warning that says what to set.
 */
class SafeDoctorChecksTest {

    @TempDir
    Path dir;

    /** A resolver that must not be asked: an IP literal needs no DNS. */
    private static final NetworkChecks.Resolver NO_DNS = host -> {
        throw new AssertionError("DNS lookup for " + host);
    };

    @Test
    void localhostOnLoopbackIsNotAProblemAndNoFixTouchesItsLine() throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n");
        List<Check> checks = new HostsFileChecks().run(hosts, Set.of("localhost", "parley.contoso.com"));
        assertThat(checks).as("%s", checks).noneMatch(c -> c.status() != Status.OK);
        assertThat(checks).noneMatch(c -> c.name().contains("not on loopback") && c.name().contains("localhost"));
    }

    @Test
    void aPoolNameOnLoopbackFailsWithAFixThatLeavesLocalhostAlone() throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n127.0.1.1 parley01.contoso.com parley01\n");
        Check loopback = new HostsFileChecks().run(hosts, Set.of("localhost", "parley01.contoso.com")).stream()
                .filter(c -> c.name().startsWith("parley01.contoso.com")).findFirst().orElseThrow();
        assertThat(loopback.status()).isEqualTo(Status.FAIL);
        assertThat(loopback.detail()).contains("127.0.1.1");
        assertThat(loopback.fix()).contains("parley01.contoso.com").contains("leave the localhost lines as they are")
                .doesNotContainPattern("map localhost|remove the line");
    }

    @Test
    void anIpAddressFrontEndIsNotLookedUpInDns() throws Exception {
        int closed = FreePorts.next();
        List<Check> checks = new NetworkChecks(NO_DNS, 1000, 1000).frontEnds(List.of("127.0.0.1:" + closed), null, "parley.contoso.com", "x");
        assertThat(checks).filteredOn(c -> c.area().equals("dns")).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(Status.OK);
            assertThat(c.name()).isEqualTo("127.0.0.1");
            assertThat(c.detail()).isEqualTo("IP address, no DNS needed");
        });
        assertThat(checks).as("TCP is still checked").anyMatch(c -> c.name().equals("127.0.0.1:" + closed + " TCP") && c.status() == Status.FAIL);
    }

    @Test
    void withoutAUsableCertificateTheFrontEndIsStillResolvedAndConnected() throws Exception {
        try (java.net.ServerSocket fe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Check> checks = new NetworkChecks(h -> new InetAddress[] {InetAddress.getLoopbackAddress()}, 1000, 1000)
                    .frontEnds(List.of("pool.contoso.com:" + fe.getLocalPort()), null, "parley.contoso.com", "x");
            assertThat(checks).anyMatch(c -> c.name().equals("pool.contoso.com resolves") && c.status() == Status.OK);
            assertThat(checks).anyMatch(c -> c.name().equals("127.0.0.1:" + fe.getLocalPort() + " TCP") && c.status() == Status.OK);
            assertThat(checks).anyMatch(c -> c.name().equals("127.0.0.1:" + fe.getLocalPort() + " TLS handshake") && c.status() == Status.WARN
                    && c.detail().contains("not checked"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "LOCALHOST", "localhost.localdomain", "parley.localhost", "127.0.0.1", "127.0.1.1", "::1"})
    void aLoopbackContactHostWarnsAndSaysWhatToSet(String computerFqdn) {
        Check c = new ContactHostCheck(h -> new InetAddress[] {InetAddress.getByName("10.0.0.5")}).run(computerFqdn);
        assertThat(c.status()).as("%s", c).isEqualTo(Status.WARN);
        assertThat(c.area()).isEqualTo("sip");
        assertThat(c.detail()).contains("Contact").contains("cannot reach");
        assertThat(c.fix()).contains("parley.lync.computer-fqdn").doesNotContainPattern("(?i)hosts|map localhost");
    }

    @Test
    void aContactHostThatDoesNotResolveWarns() {
        Check c = new ContactHostCheck(h -> {
            throw new UnknownHostException(h);
        }).run("parley01.contoso.com");
        assertThat(c.status()).isEqualTo(Status.WARN);
        assertThat(c.detail()).contains("does not resolve").contains("cannot reach");
        assertThat(c.fix()).contains("parley01.contoso.com").contains("parley.lync.computer-fqdn");
    }

    @Test
    void aContactHostThatResolvesOnlyToLoopbackWarns() {
        Check c = new ContactHostCheck(h -> new InetAddress[] {InetAddress.getByName("127.0.1.1")}).run("parley01");
        assertThat(c.status()).isEqualTo(Status.WARN);
        assertThat(c.detail()).contains("127.0.1.1").contains("loopback");
    }

    @Test
    void aContactHostThatResolvesOrIsARoutableAddressIsFine() {
        Check name = new ContactHostCheck(h -> new InetAddress[] {InetAddress.getByName("10.0.0.5")}).run("parley01.contoso.com");
        assertThat(name.status()).isEqualTo(Status.OK);
        assertThat(name.detail()).contains("10.0.0.5");
        Check ip = new ContactHostCheck(NO_DNS).run("10.0.0.5");
        assertThat(ip.status()).isEqualTo(Status.OK);
        assertThat(ip.detail()).contains("IP address, no DNS needed");
    }
}
