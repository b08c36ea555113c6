package org.parley.gateway.doctor;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** What a configured host is, decided without DNS: an IP address, or a name reserved for loopback. */
final class HostNames {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[?[0-9a-fA-F:.]*:[0-9a-fA-F:.]*(%[\\w.-]+)?]?");

    private HostNames() {
    }

    /** The address when {@code host} is an IP literal (no lookup happens), empty for a name. */
    static Optional<InetAddress> ipLiteral(String host) {
        if (!IPV4.matcher(host).matches() && !IPV6.matcher(host).matches()) {
            return Optional.empty();
        }
        try {
            // a literal is parsed, never resolved
            return Optional.of(InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host));
        } catch (UnknownHostException notAnAddress) {
            return Optional.empty();
        }
    }

    /**
     * localhost and the names distributions give it (RFC 6761 §6.3: {@code *.localhost} too). Their
     * hosts lines belong to the system: editing them breaks local services, so doctor never does.
     */
    static boolean isLoopbackName(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.endsWith(".localhost") || h.equals("localhost.localdomain")
                || h.equals("ip6-localhost") || h.equals("ip6-loopback");
    }

    static boolean isLoopback(String address) {
        return ipLiteral(address).map(InetAddress::isLoopbackAddress).orElse(false);
    }
}
