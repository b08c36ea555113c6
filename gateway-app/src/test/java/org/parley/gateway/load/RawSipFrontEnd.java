package org.parley.gateway.load;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A front end as cheap as the relay baseline's sink, for the IM scenarios: it accepts the gateway's
 * mutual-TLS connections, reads each request (headers to the blank line, then Content-Length bytes),
 * answers 200 OK with the request's Via, From, To (given a tag), Call-ID and CSeq (RFC 3261 §8.2.6.2),
 * and records each MESSAGE's arrival from its body, the send time. The JAIN-SIP front-end simulator
 * parses, checks and dispatches every request on an event thread and stalled the gateway's writes
 * now and then (docs/performance.md); this one only answers, so what S1 shows is the gateway's.
 * Requests that need a dialog of the front end's (SUBSCRIBE) are answered too, but only the
 * simulator plays them faithfully: the subscription scenarios keep it.
 */
final class RawSipFrontEnd implements AutoCloseable {

    private final SSLServerSocket server;
    private final LongConsumer messageArrivals;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final List<SSLSocket> connections = new CopyOnWriteArrayList<>();

    /**
     * @param tls             the front end's TLS: its certificate, and trust in the gateway's
     * @param messageArrivals told the send time each MESSAGE carries in its body
     */
    RawSipFrontEnd(SSLContext tls, LongConsumer messageArrivals) throws IOException {
        this.messageArrivals = messageArrivals;
        server = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setNeedClientAuth(true); // a Lync front end requires the trusted application's certificate
        Thread acceptor = new Thread(this::accept, "raw-front-end-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Requests answered so far. */
    long requests() {
        return requests.get();
    }

    /** Requests this front end could not read (a malformed header block, a missing Content-Length). */
    long unreadable() {
        return unreadable.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                SSLSocket s = (SSLSocket) server.accept();
                s.setTcpNoDelay(true);
                connections.add(s);
                Thread t = new Thread(() -> serve(s), "raw-front-end-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(SSLSocket s) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream(), 64 * 1024)) {
            OutputStream out = s.getOutputStream();
            while (true) {
                List<String> head = readHead(in);
                if (head == null) {
                    return;
                }
                if (head.isEmpty()) {
                    continue; // a CRLF keep-alive (RFC 5626 §4.4.1)
                }
                int length = contentLength(head);
                byte[] body = in.readNBytes(Math.max(length, 0));
                if (length < 0 || body.length < length) {
                    unreadable.incrementAndGet();
                    return; // without a length the stream cannot be framed (RFC 3261 §18.3): close, as a front end does
                }
                String start = head.get(0);
                if (start.startsWith("SIP/2.0 ")) {
                    continue; // a response to nothing this front end sent
                }
                requests.incrementAndGet();
                String method = start.substring(0, start.indexOf(' '));
                if (!method.equals("BENOTIFY")) { // Microsoft's best-effort NOTIFY gets no response
                    out.write(ok(head, method).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                if (method.equals("MESSAGE")) {
                    try {
                        messageArrivals.accept(Long.parseLong(new String(body, StandardCharsets.US_ASCII).strip()));
                    } catch (NumberFormatException notOurs) {
                        // a MESSAGE the load did not send (typing, a warm-up leftover)
                    }
                }
            }
        } catch (SocketException | javax.net.ssl.SSLException closed) {
            // the gateway closed, or the run is over
        } catch (IOException e) {
            unreadable.incrementAndGet();
        } finally {
            connections.remove(s);
        }
    }

    /** The start line and header lines up to the blank line; an empty list for a bare CRLF; null at the end of the stream. */
    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                int n = line.size();
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (n > 0 && text.charAt(n - 1) == '\r') {
                    text = text.substring(0, text.length() - 1);
                }
                if (text.isEmpty()) {
                    return lines;
                }
                if ((text.charAt(0) == ' ' || text.charAt(0) == '\t') && !lines.isEmpty()) {
                    lines.set(lines.size() - 1, lines.get(lines.size() - 1) + " " + text.strip()); // a folded line
                } else {
                    lines.add(text);
                }
            } else {
                line.write(b);
            }
        }
        return null;
    }

    private static int contentLength(List<String> head) {
        for (String h : head) {
            String name = name(h);
            if (name.equals("content-length") || name.equals("l")) {
                return Integer.parseInt(value(h));
            }
        }
        return -1;
    }

    /** 200 OK for the request whose header block is {@code head}: RFC 3261 §8.2.6.2, a To tag added when there is none. */
    private static String ok(List<String> head, String method) {
        StringBuilder r = new StringBuilder(512).append("SIP/2.0 200 OK\r\n");
        for (String h : head.subList(1, head.size())) {
            switch (name(h)) {
                case "via", "v", "from", "f", "call-id", "i", "cseq" -> r.append(h).append("\r\n");
                case "to", "t" -> r.append(h).append(h.contains(";tag=") ? "" : ";tag=rawfe").append("\r\n");
                case "expires" -> {
                    if (method.equals("SUBSCRIBE")) {
                        r.append(h).append("\r\n");
                    }
                }
                default -> {
                    // not echoed
                }
            }
        }
        if (method.equals("SUBSCRIBE")) {
            r.append("Contact: <sip:fe.lync.test:5061;transport=tls>\r\n");
        }
        return r.append("Content-Length: 0\r\n\r\n").toString();
    }

    private static String name(String header) {
        int colon = header.indexOf(':');
        return colon < 0 ? "" : header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
    }

    private static String value(String header) {
        return header.substring(header.indexOf(':') + 1).strip();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (SSLSocket s : connections) {
            s.close();
        }
    }
}
