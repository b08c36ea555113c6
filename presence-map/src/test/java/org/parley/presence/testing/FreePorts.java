package org.parley.presence.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports for tests that must tell a peer a port before anything listens on it.
 *
 * <p>Ports come from below the kernel's ephemeral range (Linux {@code ip_local_port_range}, 32768–60999 by
 * default). A port the kernel once handed out for {@code bind(0)} is an ephemeral port: any outgoing
 * connection may take it as its source port between the probe and the real bind — GatewayClusterIT lost a
 * member's s2s port to that member's own outgoing cluster connection. Below the range only explicit binds
 * compete, and the probe sees those.
 */
public final class FreePorts {

    private static final int LOWEST = 20_000;
    private static final int DEFAULT_EPHEMERAL_LOW = 32_768;

    /** Ports this JVM handed out (a random pick must not repeat one not bound yet): test-only shared state, on purpose. */
    private static final Set<Integer> ISSUED = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    public static int next() throws IOException {
        int highest = ephemeralLow() - 1;
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, highest + 1);
            if (ISSUED.add(port) && free(port)) {
                return port;
            }
        }
        throw new IOException("no free TCP port between " + LOWEST + " and " + highest + " on 127.0.0.1");
    }

    private static boolean free(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(false);
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** The lowest ephemeral port; the default when the kernel does not say or leaves too little room below it. */
    private static int ephemeralLow() {
        try {
            String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            int low = Integer.parseInt(range[0]);
            return low > LOWEST + 2_000 ? low : DEFAULT_EPHEMERAL_LOW;
        } catch (IOException | RuntimeException unknown) {
            return DEFAULT_EPHEMERAL_LOW;
        }
    }
}
