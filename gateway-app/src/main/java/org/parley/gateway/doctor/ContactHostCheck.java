package org.parley.gateway.doctor;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code parley.lync.computer-fqdn} is the host of Parley's Contact headers: front ends and SIP
 * peers send in-dialog requests (and a lab Kamailio checks the Contact) there. localhost, a
 * loopback address or a name that does not resolve points them nowhere — a warning that says
 * what to set. Resolved here, on Parley's computer: the peers' DNS should agree.
 */
public final class ContactHostCheck {

    private static final String AREA = "sip";
    private static final String FIX = "set parley.lync.computer-fqdn to this computer's FQDN as the front ends and SIP peers resolve it"
            + " (a SAN of Parley's certificate, e.g. parley01.contoso.com)";

    private final NetworkChecks.Resolver resolver;

    public ContactHostCheck(NetworkChecks.Resolver resolver) {
        this.resolver = resolver;
    }

    public Check run(String computerFqdn) {
        String name = "computer-fqdn " + computerFqdn;
        String unreachable = ": it is the host of Parley's Contact headers, and front ends and peers cannot reach it there";
        if (HostNames.isLoopbackName(computerFqdn)) {
            return Check.warn(AREA, name, "the loopback name" + unreachable, FIX);
        }
        Optional<InetAddress> literal = HostNames.ipLiteral(computerFqdn);
        if (literal.isPresent()) {
            return literal.get().isLoopbackAddress() ? Check.warn(AREA, name, "a loopback address" + unreachable, FIX)
                    : Check.ok(AREA, name, "IP address, no DNS needed");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(computerFqdn);
        } catch (UnknownHostException e) {
            return Check.warn(AREA, name, "does not resolve" + unreachable,
                    "create an A record for " + computerFqdn + " pointing at this computer, or " + FIX);
        }
        List<String> shown = Arrays.stream(addresses).map(InetAddress::getHostAddress).toList();
        if (Arrays.stream(addresses).allMatch(InetAddress::isLoopbackAddress)) {
            return Check.warn(AREA, name, "resolves only to loopback " + shown + " here" + unreachable,
                    "give " + computerFqdn + " this computer's routable address in DNS (and in this computer's hosts file, if it lists the name), or " + FIX);
        }
        return Check.ok(AREA, name, "→ " + String.join(", ", shown));
    }
}
