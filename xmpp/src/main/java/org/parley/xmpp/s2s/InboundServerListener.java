package org.parley.xmpp.s2s;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.parley.xmpp.adapt.InboundDispatcher;
import org.parley.xmpp.stream.XmppWireTap;
import org.xmpp.packet.Packet;

/**
 * Accepts server-to-server streams from partner domains on one port, STARTTLS or direct TLS
 * (XEP-0368) per {@link S2sListenerConfig}: one thread per stream, each an {@link InboundStream}
 * (negotiation, authentication, stanzas), so a bad stream ends with its stream error and never
 * affects another. Keeps track of the open streams for health reporting and for a clean close.
 */
public final class InboundServerListener implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(InboundServerListener.class.getName());

    private final InboundStreamSetup setup;
    private final ServerSocket server;
    private final Thread acceptor;
    private final ExecutorService verifications;
    private final Set<InboundStream> streams = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    /**
     * @param replies  where replies to inbound stanzas go (stanza errors, IQ results): s2s streams are one-way
     * @param dialback keys this gateway gave out as originating server, to answer partners' db:verify; {@code null}: none
     * @param verifier checks partners' dialback keys; {@code null}: inbound dialback is not offered
     */
    public InboundServerListener(S2sListenerConfig config, S2sTls tls, PartnerPolicy policy, InboundDispatcher dispatcher,
                                 Consumer<Packet> replies, DialbackKeys dialback, DialbackVerifier verifier) throws IOException {
        this(config, tls, policy, dispatcher, replies, dialback, verifier, XmppWireTap.NONE);
    }

    /** As the constructor without {@code tap}, every stream's text shown to {@code tap}. */
    public InboundServerListener(S2sListenerConfig config, S2sTls tls, PartnerPolicy policy, InboundDispatcher dispatcher,
                                 Consumer<Packet> replies, DialbackKeys dialback, DialbackVerifier verifier, XmppWireTap tap)
            throws IOException {
        if (config.directTls() && !tls.hasCertificate()) {
            throw new IllegalArgumentException("a direct TLS s2s port needs a certificate");
        }
        this.verifications = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "parley-s2s-dialback-verify");
            t.setDaemon(true);
            return t;
        });
        this.setup = new InboundStreamSetup(config, tls, policy, dispatcher, replies, dialback, verifier, verifications, tap);
        this.server = new ServerSocket(config.port(), 50, InetAddress.getByName(config.bindAddress()));
        this.acceptor = new Thread(this::acceptLoop, "parley-s2s-accept-" + server.getLocalPort());
        this.acceptor.setDaemon(true);
    }

    public void start() {
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Streams currently open, for health reporting. */
    public int openStreams() {
        return streams.size();
    }

    /** What is authenticated on the open streams, for health reporting and tests. */
    public List<AuthenticatedPair> authenticatedPairs() {
        return streams.stream().flatMap(s -> s.authenticatedPairs().stream()).toList();
    }

    @Override
    public void close() {
        running = false;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        // RFC 6120 §4.4: close our side, then keep reading and handling what the partner already sent
        // until it closes too — a stanza on the wire must not vanish with an abrupt socket close
        for (InboundStream stream : streams) {
            stream.closeStream();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!streams.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        verifications.shutdownNow();
        for (InboundStream stream : streams) {
            stream.abort(); // the partner did not close in time
        }
    }

    private void acceptLoop() {
        while (running) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                Thread t = new Thread(() -> serve(s), "parley-s2s-in-" + s.getRemoteSocketAddress());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (running) {
                    LOG.log(System.Logger.Level.WARNING, "s2s accept failed: " + e.getMessage());
                }
            }
        }
    }

    /** On the stream's own thread: the stream is open (counted, closed with the listener) while it runs. */
    private void serve(Socket s) {
        InboundStream stream;
        try {
            stream = new InboundStream(setup, s);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "s2s stream from " + s.getRemoteSocketAddress() + " ended: " + e.getMessage());
            try {
                s.close();
            } catch (IOException ignored) {
                // closed
            }
            return;
        }
        streams.add(stream);
        try {
            stream.run();
        } finally {
            streams.remove(stream);
        }
    }
}
