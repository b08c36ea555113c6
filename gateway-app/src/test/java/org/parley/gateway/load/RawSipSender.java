package org.parley.gateway.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A SIP load source that does not wait: MESSAGE requests written back to back over one mutual-TLS
 * connection (as a front end pipelines them), responses read and counted on a second thread. A
 * generator must not be the bottleneck it measures, so this writes the wire format itself.
 */
final class RawSipSender implements AutoCloseable {

    private final SSLSocket socket;
    private final OutputStream out;
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private long cseq;

    RawSipSender(SSLContext tls, int port) throws IOException {
        socket = (SSLSocket) tls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);
        socket.startHandshake();
        out = socket.getOutputStream();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("SIP/2.0 2")) {
                        ok.incrementAndGet();
                    } else if (line.startsWith("SIP/2.0 ") && !line.startsWith("SIP/2.0 1")) {
                        failed.incrementAndGet();
                    }
                }
            } catch (IOException closed) {
                // run over
            }
        }, "load-sip-responses");
        reader.setDaemon(true);
        reader.start();
    }

    /** A page-mode MESSAGE from alice@lync.test to juliet@xmpp.test whose body is the intended send time. */
    synchronized void send(long intendedNanos) throws IOException {
        long n = ++cseq;
        String body = Long.toString(intendedNanos);
        String request = "MESSAGE sip:juliet@xmpp.test SIP/2.0\r\n"
                + "Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK-load-" + n + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@lync.test>;tag=load\r\n"
                + "To: <sip:juliet@xmpp.test>\r\n"
                + "Call-ID: load-" + n + "@127.0.0.1\r\n"
                + "CSeq: 1 MESSAGE\r\n"
                + "Content-Type: text/plain;charset=UTF-8\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    long answeredOk() {
        return ok.get();
    }

    long answeredWithError() {
        return failed.get();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
