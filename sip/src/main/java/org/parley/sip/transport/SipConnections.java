package org.parley.sip.transport;

import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import org.parley.sip.tls.PeerNames;

/**
 * The SIP connections the network layer opened or accepted, for the admin API: direction, peer,
 * TLS protocol and cipher and the peer certificate's names once the handshake completed. Closed
 * sockets leave the list when it is next read.
 */
public final class SipConnections {

    /** One connection as an operator sees it. */
    public record Connection(String direction, String remote, String local, boolean tls, String protocol, String cipher,
                             List<String> peerNames, Instant opened) {
    }

    private static final class Entry {
        final String direction;
        final Instant opened;
        volatile String protocol;
        volatile String cipher;
        volatile List<String> peerNames = List.of();

        Entry(String direction, Instant opened) {
            this.direction = direction;
            this.opened = opened;
        }
    }

    private final Clock clock;
    private final Map<Socket, Entry> sockets = new ConcurrentHashMap<>();

    public SipConnections(Clock clock) {
        this.clock = clock;
    }

    void opened(Socket socket, String direction) {
        Entry e = new Entry(direction, clock.instant());
        sockets.put(socket, e);
        if (socket instanceof SSLSocket ssl) {
            // the handshake runs later on JAIN-SIP's thread: read the session when it is there, never force it
            ssl.addHandshakeCompletedListener(done -> {
                e.protocol = done.getSession().getProtocol();
                e.cipher = done.getCipherSuite();
                try {
                    Certificate[] chain = done.getPeerCertificates();
                    if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
                        e.peerNames = List.copyOf(PeerNames.of(leaf));
                    }
                } catch (SSLPeerUnverifiedException noCertificate) {
                    e.peerNames = List.of();
                }
            });
        }
    }

    public List<Connection> list() {
        List<Connection> out = new ArrayList<>();
        for (Map.Entry<Socket, Entry> me : sockets.entrySet()) {
            Socket s = me.getKey();
            if (s.isClosed()) {
                sockets.remove(s, me.getValue());
                continue;
            }
            Entry e = me.getValue();
            out.add(new Connection(e.direction, String.valueOf(s.getRemoteSocketAddress()), String.valueOf(s.getLocalSocketAddress()),
                    s instanceof SSLSocket, e.protocol, e.cipher, e.peerNames, e.opened));
        }
        return out;
    }
}
