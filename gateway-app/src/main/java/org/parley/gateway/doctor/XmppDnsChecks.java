package org.parley.gateway.doctor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.naming.NamingException;
import org.parley.xmpp.s2s.S2sTarget;
import org.parley.xmpp.s2s.SrvResolver;

/**
 * XMPP DNS: the SRV records partners use to find Parley ({@code _xmpp-server._tcp} /
 * {@code _xmpps-server._tcp} for each Lync domain), and whether each configured partner without a
 * static route can be found and reached the same way.
 */
public final class XmppDnsChecks {

    private final SrvResolver.Lookup lookup;
    private final int timeoutMillis;

    public XmppDnsChecks(SrvResolver.Lookup lookup, int timeoutMillis) {
        this.lookup = lookup;
        this.timeoutMillis = timeoutMillis;
    }

    public List<Check> run(Set<String> lyncDomains, Set<String> partnersWithoutRoute) {
        List<Check> out = new ArrayList<>();
        for (String domain : lyncDomains.stream().sorted().toList()) {
            List<String> records = new ArrayList<>();
            for (String service : List.of("_xmpp-server._tcp.", "_xmpps-server._tcp.")) {
                try {
                    lookup.srv(service + domain).forEach(r -> records.add(service + domain + " " + r));
                } catch (NamingException | RuntimeException none) {
                    // no such record
                }
            }
            out.add(records.isEmpty() ? Check.warn("dns", "SRV for " + domain, "no _xmpp-server / _xmpps-server records",
                    "publish _xmpp-server._tcp." + domain + " (port 5269) pointing at Parley, or partners try " + domain + ":5269")
                    : Check.ok("dns", "SRV for " + domain, String.join("; ", records)));
        }
        SrvResolver resolver = new SrvResolver(lookup);
        for (String partner : partnersWithoutRoute.stream().sorted().toList()) {
            List<S2sTarget> targets = resolver.targets(partner);
            S2sTarget first = targets.get(0);
            try (Socket s = new Socket()) {
                long t0 = System.nanoTime();
                s.connect(new InetSocketAddress(first.host(), first.port()), timeoutMillis);
                out.add(Check.ok("xmpp", partner + " s2s reachable", first + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms"));
            } catch (IOException | RuntimeException e) {
                String why = e instanceof java.net.UnknownHostException ? first.host() + " does not resolve" : e.getMessage();
                out.add(Check.warn("xmpp", partner + " s2s reachable", first + ": " + why,
                        "check the partner's SRV records, or set parley.xmpp.s2s.routes." + partner));
            }
        }
        return out;
    }
}
