package org.parley.gateway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import org.parley.gateway.config.HostAndPort;
import org.parley.gateway.config.ParleyProperties;
import org.parley.gateway.doctor.CertificateChecks;
import org.parley.gateway.doctor.Check;
import org.parley.gateway.doctor.ContactHostCheck;
import org.parley.gateway.doctor.HostsFileChecks;
import org.parley.gateway.doctor.NetworkChecks;
import org.parley.gateway.doctor.XmppDnsChecks;
import org.parley.gateway.tls.GatewayTls;
import org.parley.gateway.wiring.GatewayConfiguration;
import org.parley.sip.tls.TlsMaterial;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Finds the configuration problems that break a trusted application before the first user does:
 * certificate, hosts file, DNS, reachability of every front-end address (TCP, mutual TLS, SIP
 * OPTIONS), XMPP ports and partners. One line per check with ✓ / ! / ✗ and the fix; exit code 0
 * only when nothing failed. Reads the configuration exactly as the service does.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, description = "Check the configuration, certificate, DNS and reachability; print fixes.")
public final class DoctorCommand implements Callable<Integer> {

    @picocli.CommandLine.Mixin
    ConfigOptions configuration = new ConfigOptions();

    /** {@code --parley.x=y} configuration overrides, as for the service. */
    @picocli.CommandLine.Unmatched
    List<String> overrides = new ArrayList<>();

    @Option(names = "--json", description = "print the checks as JSON")
    boolean json;

    @Option(names = "--hosts", defaultValue = "/etc/hosts", description = "the hosts file to check (default: ${DEFAULT-VALUE})")
    Path hosts;

    @Option(names = "--timeout", defaultValue = "5000", description = "per step, in milliseconds (default: ${DEFAULT-VALUE})")
    int timeoutMillis;

    @Option(names = "--slow", defaultValue = "1000", description = "a TLS handshake slower than this many milliseconds is flagged (default: ${DEFAULT-VALUE})")
    long slowMillis;

    /** Name resolution for the front-end, Contact-host and route checks: the JDK's (tests replace it). */
    NetworkChecks.Resolver resolver = java.net.InetAddress::getAllByName;

    /** SRV lookups: the JDK's DNS provider (tests replace it). */
    org.parley.xmpp.s2s.SrvResolver.Lookup srvLookup = org.parley.xmpp.s2s.SrvResolver.systemLookup();


    @Override
    public Integer call() throws Exception {
        List<Check> checks = run(configuration.load(overrides));
        if (json) {
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(checks));
        } else {
            checks.forEach(c -> System.out.println(c.line()));
            long failed = checks.stream().filter(c -> c.status() == Check.Status.FAIL).count();
            long warned = checks.stream().filter(c -> c.status() == Check.Status.WARN).count();
            System.out.println();
            System.out.println(failed == 0 ? "no failures (" + warned + " warnings)" : failed + " failed, " + warned + " warnings");
        }
        return checks.stream().anyMatch(c -> c.status() == Check.Status.FAIL) ? 1 : 0;
    }

    /**
     * Every check runs and reports on its own: one that cannot pass — or cannot even run — is its
     * own ✗ with the reason, and says nothing about the others (an operator fixes them in one go).
     */
    List<Check> run(ParleyProperties p) {
        List<Check> out = new ArrayList<>();
        var lync = p.lync();
        SSLContext tls = null;
        try {
            tls = certificate(p, out);
        } catch (RuntimeException e) {
            out.add(broken("certificate", "checked", e));
        }
        Set<String> local = new LinkedHashSet<>();
        local.add(lync.poolFqdn());
        local.add(lync.computerFqdn());
        local.addAll(lync.computers());
        check(out, "hosts", hosts.toString(), o -> o.addAll(new HostsFileChecks().run(hosts, local)));
        check(out, "sip", "computer-fqdn " + lync.computerFqdn(), o -> o.add(new ContactHostCheck(resolver).run(lync.computerFqdn())));
        NetworkChecks network = new NetworkChecks(resolver, timeoutMillis, slowMillis);
        SSLContext clientTls = tls;
        for (String frontEnd : lync.frontEnds()) {
            check(out, "front end", frontEnd, o -> o.addAll(network.frontEnds(List.of(frontEnd), clientTls, lync.poolFqdn(), lync.computerFqdn())));
        }
        check(out, "sip", lync.listenAddress() + ":" + lync.listenPort() + " free", o -> o.add(NetworkChecks.portFree("sip", lync.listenAddress(), lync.listenPort())));
        var s2s = p.xmpp().s2s();
        if (s2s.enabled()) {
            check(out, "xmpp", s2s.listenAddress() + ":" + s2s.port() + " free", o -> o.add(NetworkChecks.portFree("xmpp", s2s.listenAddress(), s2s.port())));
            if (s2s.directTlsPort() > 0) {
                check(out, "xmpp", s2s.listenAddress() + ":" + s2s.directTlsPort() + " free",
                        o -> o.add(NetworkChecks.portFree("xmpp", s2s.listenAddress(), s2s.directTlsPort())));
            }
            s2s.routes().forEach((domain, target) -> check(out, "xmpp", domain + " s2s at " + target,
                    o -> o.add(network.route(domain, HostAndPort.parse(target, "parley.xmpp.s2s.routes." + domain)))));
            Set<String> partners = new LinkedHashSet<>(s2s.partners().keySet());
            partners.removeAll(s2s.routes().keySet());
            check(out, "dns", "XMPP SRV records", o -> o.addAll(new XmppDnsChecks(srvLookup, timeoutMillis).run(Set.copyOf(lync.domains()), partners)));
        }
        return out;
    }

    /** The certificate lines; the client TLS for the front-end checks, or null when there is no usable certificate. */
    private static SSLContext certificate(ParleyProperties p, List<Check> out) {
        var lync = p.lync();
        Path cert = p.tls().certificate();
        Path key = p.tls().key();
        Path ca = p.tls().ca();
        if (p.tls().generated()) {
            Path dev = p.dataDir().resolve("dev-pki");
            cert = dev.resolve("gateway.pem");
            key = dev.resolve("gateway.key");
            ca = dev.resolve("ca.pem");
            if (!Files.exists(cert) || !Files.exists(key) || !Files.exists(ca)) {
                // before the first start this is how it should be, not a failure
                out.add(Check.warn("certificate", "configured", "parley.tls is not set: a development PKI is generated in " + dev
                        + " at the first start (not there yet, so TLS to the front ends is not checked)",
                        "for production set parley.tls.certificate, key and ca (parley csr); for a lab start Parley once and run doctor again"));
                return null;
            }
            out.add(Check.warn("certificate", "configured", "parley.tls is not set: the development PKI in " + dev + " is used",
                    "for production set parley.tls.certificate, key and ca (parley csr)"));
        }
        if (!Files.exists(cert) || !Files.exists(key) || !Files.exists(ca)) {
            List<Path> missing = java.util.stream.Stream.of(cert, key, ca).filter(f -> !Files.exists(f)).toList();
            out.add(Check.fail("certificate", "files present", "missing: " + missing.stream().map(Path::toString).collect(java.util.stream.Collectors.joining(", ")),
                    "point parley.tls.* at existing PEM files"));
            return null;
        }
        try {
            TlsMaterial material = TlsMaterial.fromPem(cert, key, p.tls().keyPassword().isEmpty() ? null : p.tls().keyPassword().toCharArray(), ca,
                    GatewayConfiguration.trustedPeers(lync));
            Set<String> s2sDomains = p.xmpp().s2s().enabled() ? Set.copyOf(lync.domains()) : Set.of();
            out.addAll(new CertificateChecks(Clock.systemUTC()).run(material.chain(), material.key(), material.trustAnchors(),
                    lync.poolFqdn(), lync.computerFqdn(), s2sDomains));
            return GatewayTls.from(material).sip().sslContext(reason -> { });
        } catch (Exception e) {
            out.add(Check.fail("certificate", "readable", e.getMessage(), "check the PEM files and parley.tls.key-password"));
            return null;
        }
    }

    /** One check (or group of lines): what it reports, or — when it throws — its own ✗ with the reason. */
    private static void check(List<Check> out, String area, String name, java.util.function.Consumer<List<Check>> check) {
        List<Check> lines = new ArrayList<>();
        try {
            check.accept(lines);
            out.addAll(lines);
        } catch (RuntimeException e) {
            out.addAll(lines);
            out.add(broken(area, name, e));
        }
    }

    private static Check broken(String area, String name, RuntimeException e) {
        return Check.fail(area, name, "the check could not run: " + e,
                "fix what the reason names; if it names nothing in your configuration, report it as a doctor bug — the other checks ran");
    }
}
