package org.parley.xmpp.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A DNS server on 127.0.0.1 (UDP, a port of its own) that answers SRV questions from a fixed table and
 * NXDOMAIN to everything else: how a rig tells a real XMPP server where Parley's domains are without
 * DNS, /etc/hosts or a plugin. The name {@code _xmpp-server._tcp.lync.test} answers the targets given
 * for it; each target is an IP address written as a name ({@code 127.0.0.1}), which a resolver's
 * getaddrinfo takes as the address itself. TTL 0, so nothing is cached across tests.
 *
 * <p>Only what Erlang's {@code inet_res} (ejabberd) asks is understood: one question, no EDNS, UDP.
 */
public final class SrvResponder implements AutoCloseable {

    /** One SRV target: the host (an IP address) and port. */
    public record Target(String host, int port) {
    }

    private static final int TYPE_SRV = 33;
    private static final int CLASS_IN = 1;

    private final DatagramSocket socket;
    private final Map<String, List<Target>> records;
    private final Thread thread;

    /** {@code records}: SRV owner name (e.g. {@code _xmpp-server._tcp.lync.test}) → its targets, in priority order. */
    public SrvResponder(Map<String, List<Target>> records) throws SocketException {
        this.records = records.entrySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue));
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.thread = new Thread(this::serve, "srv-responder-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void serve() {
        byte[] buffer = new byte[512];
        while (!socket.isClosed()) {
            try {
                DatagramPacket query = new DatagramPacket(buffer, buffer.length);
                socket.receive(query);
                byte[] answer = answer(query.getData(), query.getLength());
                if (answer != null) {
                    socket.send(new DatagramPacket(answer, answer.length, query.getSocketAddress()));
                }
            } catch (IOException | RuntimeException e) {
                if (socket.isClosed()) {
                    return;
                }
                // a malformed query: ignore it, the resolver times out on its own
            }
        }
    }

    /** The response to one query, or null when it is not a query with one question. */
    byte[] answer(byte[] q, int length) {
        if (length < 12 || (q[2] & 0x80) != 0 || (((q[4] & 0xff) << 8) | (q[5] & 0xff)) != 1) {
            return null;
        }
        int i = 12;
        StringBuilder name = new StringBuilder();
        while (q[i] != 0) {
            int len = q[i] & 0xff;
            if (len > 63 || i + 1 + len >= length) {
                return null;
            }
            if (name.length() > 0) {
                name.append('.');
            }
            name.append(new String(q, i + 1, len, StandardCharsets.US_ASCII));
            i += 1 + len;
        }
        int questionEnd = i + 5; // the zero label, QTYPE, QCLASS
        if (questionEnd > length) {
            return null;
        }
        int qtype = ((q[i + 1] & 0xff) << 8) | (q[i + 2] & 0xff);
        List<Target> targets = qtype == TYPE_SRV ? records.get(name.toString().toLowerCase(Locale.ROOT)) : null;
        boolean known = targets != null && !targets.isEmpty();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(q[0]);
        out.write(q[1]);
        // QR, the query's opcode and RD, AA; RCODE 0 or NXDOMAIN (3)
        out.write(0x80 | (q[2] & 0x79) | 0x04);
        out.write(known ? 0x00 : 0x03);
        writeShort(out, 1);
        writeShort(out, known ? targets.size() : 0);
        writeShort(out, 0);
        writeShort(out, 0);
        out.write(q, 12, questionEnd - 12);
        if (known) {
            int priority = 0;
            for (Target t : targets) {
                ByteArrayOutputStream rdata = new ByteArrayOutputStream();
                writeShort(rdata, priority++);
                writeShort(rdata, 0);
                writeShort(rdata, t.port());
                for (String label : t.host().split("\\.")) {
                    rdata.write(label.length());
                    rdata.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
                }
                rdata.write(0);
                writeShort(out, 0xC00C); // the name: a pointer to the question's
                writeShort(out, TYPE_SRV);
                writeShort(out, CLASS_IN);
                writeShort(out, 0);
                writeShort(out, 0); // TTL 0
                writeShort(out, rdata.size());
                out.writeBytes(rdata.toByteArray());
            }
        }
        return out.toByteArray();
    }

    private static void writeShort(ByteArrayOutputStream out, int v) {
        out.write((v >> 8) & 0xff);
        out.write(v & 0xff);
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
