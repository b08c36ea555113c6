package org.parley.gateway.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The ceiling of forwarding without translation, built with the same I/O stack (JDK TLS sockets,
 * one thread per connection): a source writes lines over mutual TLS to a relay, which copies the
 * bytes over a second mutual-TLS connection to a sink that reads each line's send time.
 */
final class TlsRelayBaseline implements AutoCloseable {

    private final SSLServerSocket relay;
    private final SSLServerSocket sink;
    private final SSLSocket source;
    private final OutputStream sourceOut;

    /** @param arrivals told the intended send time of each line as it arrives at the sink */
    TlsRelayBaseline(SSLContext tls, LongConsumer arrivals) throws IOException {
        sink = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 10, InetAddress.getLoopbackAddress());
        sink.setNeedClientAuth(true);
        relay = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 10, InetAddress.getLoopbackAddress());
        relay.setNeedClientAuth(true);
        daemon("baseline-sink", () -> {
            try (SSLSocket s = (SSLSocket) sink.accept();
                 BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))) {
                String line;
                while ((line = in.readLine()) != null) {
                    arrivals.accept(Long.parseLong(line.substring(0, line.indexOf(' '))));
                }
            }
        });
        daemon("baseline-relay", () -> {
            try (SSLSocket in = (SSLSocket) relay.accept();
                 SSLSocket out = (SSLSocket) tls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), sink.getLocalPort())) {
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
        });
        source = (SSLSocket) tls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), relay.getLocalPort());
        source.setTcpNoDelay(true);
        sourceOut = source.getOutputStream();
    }

    /** One message of about the size of a chat stanza. */
    void send(long intendedNanos, String padding) throws IOException {
        sourceOut.write((intendedNanos + " " + padding + "\n").getBytes(StandardCharsets.US_ASCII));
        sourceOut.flush();
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
    public void close() throws IOException {
        source.close();
        relay.close();
        sink.close();
    }
}
