package org.parley.gateway.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.parley.sip.tls.TlsMaterial;

/**
 * The ceiling of forwarding without translation, built with the same I/O stack (JDK TLS sockets,
 * one thread per connection): a source writes lines over mutual TLS to a relay, which copies the
 * bytes over a second mutual-TLS connection to a sink that reads each line's send time. The relay
 * runs in its own JVM pinned to the gateway's core ({@link PinnedJvm}), so its ratio to the gateway
 * compares like with like; source and sink are peers in the harness JVM.
 */
final class TlsRelayBaseline implements AutoCloseable {

    private final SSLServerSocket sink;
    private final PinnedJvm relay;
    private final SSLSocket source;
    private final OutputStream sourceOut;

    /**
     * @param tls      the peers' TLS (source and sink)
     * @param pem      certificate chain, PKCS#8 key and CA bundle files for the relay process
     * @param arrivals told the intended send time of each line as it arrives at the sink
     */
    TlsRelayBaseline(SSLContext tls, List<Path> pem, Path runDir, LongConsumer arrivals) throws IOException, InterruptedException {
        sink = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 10, InetAddress.getLoopbackAddress());
        sink.setNeedClientAuth(true);
        daemon("baseline-sink", () -> {
            try (SSLSocket s = (SSLSocket) sink.accept();
                 BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))) {
                String line;
                while ((line = in.readLine()) != null) {
                    arrivals.accept(Long.parseLong(line.substring(0, line.indexOf(' '))));
                }
            }
        });
        relay = PinnedJvm.start("relay", runDir, "", Relay.class.getName(),
                List.of(pem.get(0).toString(), pem.get(1).toString(), pem.get(2).toString(), Integer.toString(sink.getLocalPort()),
                        "fe.lync.test"));
        int port = Integer.parseInt(relay.awaitLine("RELAY-PORT ", Duration.ofSeconds(30)).substring("RELAY-PORT ".length()).strip());
        source = (SSLSocket) tls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        source.setTcpNoDelay(true);
        sourceOut = source.getOutputStream();
    }

    /** One message of about the size of a chat stanza. */
    void send(long intendedNanos, String padding) throws IOException {
        sourceOut.write((intendedNanos + " " + padding + "\n").getBytes(StandardCharsets.US_ASCII));
        sourceOut.flush();
    }

    PinnedJvm process() {
        return relay;
    }

    private interface IoTask {
        void run() throws IOException;
    }

    private static void daemon(String name, IoTask task) {
        Thread t = new Thread(() -> {
            try {
                task.run();
            } catch (IOException closed) {
                // the run is over
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        source.close();
        relay.close();
        sink.close();
    }

    /**
     * The relay process: {@code certificates key ca sinkPort trustedPeerName}. Listens on a loopback port it prints as
     * {@code RELAY-PORT n}, and copies the first connection's bytes to the sink.
     */
    public static final class Relay {

        private Relay() {
        }

        public static void main(String[] args) throws Exception {
            SSLContext tls = TlsMaterial.fromPem(Path.of(args[0]), Path.of(args[1]), null, Path.of(args[2]), Set.of(args[4])).sslContext(reason -> { });
            try (SSLServerSocket server = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
                server.setNeedClientAuth(true);
                System.out.println("RELAY-PORT " + server.getLocalPort());
                System.out.flush();
                try (SSLSocket in = (SSLSocket) server.accept();
                     SSLSocket out = (SSLSocket) tls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), Integer.parseInt(args[3]))) {
                    in.setTcpNoDelay(true);
                    out.setTcpNoDelay(true);
                    InputStream i = in.getInputStream();
                    OutputStream o = out.getOutputStream();
                    byte[] buf = new byte[16 * 1024];
                    int n;
                    while ((n = i.read(buf)) >= 0) {
                        o.write(buf, 0, n);
                        o.flush();
                    }
                }
            }
        }
    }
}
