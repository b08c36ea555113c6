package org.parley.sip.route;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.parley.sip.config.HostPort;

/**
 * Resolves a DNS-load-balanced pool FQDN to every one of its A/AAAA records — the way Lync builds
 * a front-end pool: one name, one address per front-end server. Each address becomes a
 * {@link HostPort} target of the static route.
 */
public final class PoolResolver {

    /** Looks names up; the JDK resolver in production, a table in tests. */
    @FunctionalInterface
    public interface Lookup {
        InetAddress[] all(String name) throws UnknownHostException;
    }

    private final Lookup lookup;

    public PoolResolver(Lookup lookup) {
        this.lookup = lookup;
    }

    public static PoolResolver system() {
        return new PoolResolver(InetAddress::getAllByName);
    }

    /**
     * @return one target per distinct address, in the resolver's order
     * @throws UnknownHostException when the pool name does not resolve (the message names it)
     */
    public List<HostPort> resolve(String poolFqdn, int port) throws UnknownHostException {
        InetAddress[] addresses;
        try {
            addresses = lookup.all(poolFqdn);
        } catch (UnknownHostException e) {
            throw new UnknownHostException("front-end pool " + poolFqdn + " does not resolve: check its A/AAAA records");
        }
        Set<String> seen = new LinkedHashSet<>();
        for (InetAddress a : addresses) {
            seen.add(a.getHostAddress());
        }
        List<HostPort> targets = new ArrayList<>(seen.size());
        for (String ip : seen) {
            targets.add(new HostPort(ip, port));
        }
        return targets;
    }
}
