package org.parley.gateway.doctor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.parley.gateway.config.HostAndPort;
import org.parley.sip.tls.PeerNames;

/**
 * DNS and reachability of the front ends — each address of a DNS-load-balanced pool on its own:
 * TCP connect, the mutual-TLS handshake (what the server presented, how long it took; slow
 * handshakes flagged: a switch port that delays packets shows here first) and a SIP OPTIONS round
 * trip — and whether the XMPP ports are free.
 */
public final class NetworkChecks {

    /** Resolves names; the JDK resolver in production, a table in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final Resolver resolver;
    private final int timeoutMillis;
    private final long slowMillis;

    public NetworkChecks(Resolver resolver, int timeoutMillis, long slowMillis) {
        this.resolver = resolver;
        this.timeoutMillis = timeoutMillis;
        this.slowMillis = slowMillis;
    }

    /**
     * @param tls Parley's client TLS, or {@code null} when no usable certificate exists: DNS and
     *            TCP are still checked, TLS and OPTIONS are reported as not checked
     */
    public List<Check> frontEnds(List<String> frontEnds, SSLContext tls, String poolFqdn, String computerFqdn) {
        List<Check> out = new ArrayList<>();
        for (String target : frontEnds) {
            HostAndPort hp = HostAndPort.parse(target, "parley.lync.front-ends");
            InetAddress[] addresses = resolve(hp.host(), out);
            for (InetAddress a : addresses) {
                out.addAll(probe(hp.host(), a, hp.port(), tls, poolFqdn, computerFqdn));
            }
        }
        return out;
    }

    /** The front end's addresses, with the dns lines; none when the name does not resolve. */
    private InetAddress[] resolve(String host, List<Check> out) {
        java.util.Optional<InetAddress> literal = HostNames.ipLiteral(host);
        if (literal.isPresent()) {
            out.add(Check.ok("dns", host, "IP address, no DNS needed"));
            return new InetAddress[] {literal.get()};
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            addresses = new InetAddress[0];
        }
        if (addresses.length == 0) {
            out.add(Check.fail("dns", host + " resolves", "no address", "create A records for the front-end pool " + host
                    + " (one per front end: DNS load balancing)"));
            return addresses;
        }
        out.add(addresses.length > 1 ? Check.ok("dns", host + " resolves", addresses.length + " addresses (DNS load balancing): "
                + Arrays.stream(addresses).map(InetAddress::getHostAddress).toList())
                : Check.ok("dns", host + " resolves", addresses[0].getHostAddress() + " (one address: no DNS load balancing)"));
        out.add(Check.warn("dns", host + " TTL", "the JDK resolver does not expose TTLs",
                "check with dig: a pool name with a long TTL keeps clients on a dead front end"));
        return addresses;
    }

    private List<Check> probe(String host, InetAddress address, int port, SSLContext tls, String poolFqdn, String computerFqdn) {
        List<Check> out = new ArrayList<>();
        String where = address.getHostAddress() + ":" + port;
        Socket plain = new Socket();
        try {
            long t0 = System.nanoTime();
            plain.connect(new InetSocketAddress(address, port), timeoutMillis);
            long connectMs = (System.nanoTime() - t0) / 1_000_000;
            out.add(Check.ok("front end", where + " TCP", connectMs + " ms"));
            if (tls == null) {
                out.add(Check.warn("front end", where + " TLS handshake", "not checked: Parley has no usable certificate yet",
                        "fix the certificate lines above, then run parley doctor again"));
                return out;
            }
            plain.setSoTimeout(timeoutMillis);
            SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true);
            ssl.setUseClientMode(true);
            long t1 = System.nanoTime();
            try {
                ssl.startHandshake();
            } catch (java.net.SocketTimeoutException stall) {
                out.add(Check.fail("front end", where + " TLS handshake", "no answer within " + timeoutMillis + " ms (the peer accepted TCP and stalls)",
                        "a half-open front end or a port that delays packets: check the switch/firewall between Parley and " + host));
                return out;
            } catch (IOException e) {
                out.add(Check.fail("front end", where + " TLS handshake", e.getMessage(),
                        "the front end must trust parley.tls's CA and present a certificate from a CA in parley.tls.ca"));
                return out;
            }
            long tlsMs = (System.nanoTime() - t1) / 1_000_000;
            List<String> presented = PeerNames.of((java.security.cert.X509Certificate) ssl.getSession().getPeerCertificates()[0]);
            String detail = ssl.getSession().getProtocol() + ", " + tlsMs + " ms, server presented " + presented;
            out.add(tlsMs > slowMillis ? Check.warn("front end", where + " TLS handshake", detail + " — slow",
                    "handshakes over " + slowMillis + " ms point at packet delays or an overloaded front end")
                    : Check.ok("front end", where + " TLS handshake", detail));
            out.add(options(ssl, host, port, poolFqdn, computerFqdn, where));
        } catch (IOException e) {
            out.add(Check.fail("front end", where + " TCP", e.getMessage(), "open TCP " + port + " from Parley to " + host + " (firewall), or start the front end"));
        } finally {
            try {
                plain.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        return out;
    }

    private Check options(SSLSocket ssl, String host, int port, String poolFqdn, String computerFqdn, String where) {
        String request = "OPTIONS sip:" + host + ":" + port + ";transport=tls SIP/2.0\r\n"
                + "Via: SIP/2.0/TLS " + computerFqdn + ";branch=z9hG4bK" + UUID.randomUUID().toString().replace("-", "") + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:" + poolFqdn + ">;tag=doctor\r\nTo: <sip:" + host + ">\r\n"
                + "Call-ID: " + UUID.randomUUID() + "@" + computerFqdn + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        try {
            long t0 = System.nanoTime();
            OutputStream o = ssl.getOutputStream();
            o.write(request.getBytes(StandardCharsets.US_ASCII));
            o.flush();
            String status = firstLine(ssl.getInputStream());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            return status.startsWith("SIP/2.0 ") ? Check.ok("front end", where + " SIP OPTIONS", status + " in " + ms + " ms")
                    : Check.fail("front end", where + " SIP OPTIONS", "answered \"" + status + "\"", "this port does not speak SIP");
        } catch (IOException e) {
            return Check.fail("front end", where + " SIP OPTIONS", e.getMessage(), "the front end accepted TLS but does not answer SIP: check its trusted application entry (parley lync-commands)");
        }
    }

    private static String firstLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n' && b.length() < 200) {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    /** Whether a static s2s route's target accepts TCP; an IP address is not looked up. */
    public Check route(String domain, HostAndPort target) {
        String name = domain + " s2s at " + target.host() + ":" + target.port();
        String fix = "check parley.xmpp.s2s.routes." + domain + " and the partner's firewall";
        InetAddress address;
        try {
            java.util.Optional<InetAddress> literal = HostNames.ipLiteral(target.host());
            address = literal.isPresent() ? literal.get() : resolver.resolve(target.host())[0];
        } catch (UnknownHostException | ArrayIndexOutOfBoundsException e) {
            return Check.warn("xmpp", name, target.host() + " does not resolve",
                    "put a name this computer resolves, or an IP address, in parley.xmpp.s2s.routes." + domain);
        }
        try (Socket s = new Socket()) {
            long t0 = System.nanoTime();
            s.connect(new InetSocketAddress(address, target.port()), timeoutMillis);
            return Check.ok("xmpp", name, (System.nanoTime() - t0) / 1_000_000 + " ms");
        } catch (IOException e) {
            return Check.warn("xmpp", name, e.getMessage(), fix);
        }
    }

    /** Whether Parley could listen where configured (it cannot when the port is taken — often by a running Parley). */
    public static Check portFree(String area, String address, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            return Check.ok(area, address + ":" + port + " free", null);
        } catch (IOException e) {
            return Check.warn(area, address + ":" + port + " free", e.getMessage(),
                    "another process listens there (is Parley already running?) — stop it or change the port");
        }
    }
}
