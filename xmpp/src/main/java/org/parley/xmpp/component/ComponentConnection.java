package org.parley.xmpp.component;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.dom4j.Element;
import org.parley.presence.model.GatewayEvent;
import org.parley.xmpp.XmppInbound;
import org.parley.xmpp.adapt.InboundDispatcher;
import org.parley.xmpp.adapt.ModelToXmpp;
import org.parley.xmpp.adapt.XmppToModel;
import org.parley.xmpp.iq.IqHandler;
import org.parley.xmpp.outbound.PendingStanzas;
import org.parley.xmpp.stream.PeerStreamError;
import org.parley.xmpp.stream.StreamErrorException;
import org.parley.xmpp.stream.StreamEvent;
import org.parley.xmpp.stream.StreamHandler;
import org.parley.xmpp.stream.StreamLimits;
import org.parley.xmpp.stream.XmppStreamIo;
import org.parley.xmpp.stream.XmppWireTap;

/**
 * Parley as an XEP-0114 external component of an internal XMPP server: opens the
 * {@code jabber:component:accept} stream, proves the shared secret with
 * {@code <handshake>hex(SHA-1(stream id + secret))</handshake>}, then exchanges stanzas.
 * Reconnects with exponential back-off when the server goes away; a wrong secret is reported
 * (stream error {@code not-authorized}) and retried at the maximum back-off.
 */
public final class ComponentConnection implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ComponentConnection.class.getName());
    static final String NAMESPACE = "jabber:component:accept";
    /** RFC 6120 §4.6.1 whitespace keep-alive interval; three silent intervals end the link. */
    static final long KEEPALIVE_MILLIS = 30_000;

    /** Link state, for health checks. */
    public enum State { CONNECTING, CONNECTED, DISCONNECTED, STOPPED }

    private final ComponentConfig config;
    private final ModelToXmpp outbound;
    private final XmppInbound listener;
    private final InboundDispatcher dispatcher;
    private final PendingStanzas pending;
    /** Outcomes of queued events sent with sendTracked, by identity (two equal records are two stanzas). */
    private final java.util.Map<GatewayEvent, java.util.concurrent.CompletableFuture<GatewayEvent>> tracked =
            java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());
    private final java.util.concurrent.ScheduledExecutorService expiry;
    private final Thread thread;
    private final XmppWireTap tap;
    private volatile State state = State.DISCONNECTED;
    /** The current connection, from connect to close. */
    private volatile XmppStreamIo io;
    /** The current connection once handshaken: where stanzas go. */
    private volatile XmppStreamIo link;
    private volatile CountDownLatch connected = new CountDownLatch(1);
    private volatile String lastError;
    private volatile boolean handshakenThisSession;

    public ComponentConnection(ComponentConfig config, XmppToModel inbound, ModelToXmpp outbound, XmppInbound listener,
                               IqHandler iqs) {
        this(config, inbound, outbound, listener, iqs, XmppWireTap.NONE);
    }

    /** As the constructor without {@code tap}, the link's text shown to {@code tap}. */
    public ComponentConnection(ComponentConfig config, XmppToModel inbound, ModelToXmpp outbound, XmppInbound listener,
                               IqHandler iqs, XmppWireTap tap) {
        this.config = config;
        this.tap = tap;
        this.dispatcher = new InboundDispatcher(inbound, iqs, listener);
        this.pending = new PendingStanzas(config.queueCapacity(), config.queueTimeout(), java.time.Clock.systemUTC(), this::failed, true);
        this.expiry = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-component-expiry-" + config.domain());
            t.setDaemon(true);
            return t;
        });
        this.outbound = outbound;
        this.listener = listener;
        this.thread = new Thread(this::run, "parley-component-" + config.domain());
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
        long every = Math.max(100, config.queueTimeout().toMillis() / 4);
        expiry.scheduleWithFixedDelay(() -> pending.expire(config.domain()), every, every, TimeUnit.MILLISECONDS);
        expiry.scheduleWithFixedDelay(() -> {
            if (state == State.CONNECTED) {
                sendRaw(" ");
            }
        }, KEEPALIVE_MILLIS, KEEPALIVE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Stanzas waiting for the link. */
    public int pendingCount() {
        return pending.size();
    }

    public State state() {
        return state;
    }

    /** Why the link is down, {@code null} when it never failed. */
    public String lastError() {
        return lastError;
    }

    public boolean awaitConnected(long timeout, TimeUnit unit) throws InterruptedException {
        return connected.await(timeout, unit);
    }

    /**
     * Sends a model event as a stanza, or queues it while the link is (re-)established. A queued
     * event that cannot be sent in time, or that finds the queue full, comes back to the
     * listener as a {@link org.parley.presence.model.GatewayError}: nothing vanishes.
     *
     * @return true when written to the link now, false when queued or refused
     */
    public boolean send(GatewayEvent event) {
        if (state == State.STOPPED) {
            listener.onEvent(failureFor(event, "the component link is stopped"));
            return false;
        }
        if (state == State.CONNECTED && sendRaw(outbound.render(event))) {
            return true;
        }
        pending.offer(event, config.domain());
        if (state == State.CONNECTED) {
            flushPending(); // the link came up between the check and the offer
        }
        return false;
    }

    /**
     * As {@link #send}, with the outcome: completes with the event once written to the link (now or
     * when the link comes back), or with the GatewayError that answers it — which then goes only to
     * the caller, not also to the listener.
     */
    public java.util.concurrent.CompletableFuture<GatewayEvent> sendTracked(GatewayEvent event) {
        java.util.concurrent.CompletableFuture<GatewayEvent> outcome = new java.util.concurrent.CompletableFuture<>();
        if (state == State.STOPPED) {
            outcome.complete(failureFor(event, "the component link is stopped"));
            return outcome;
        }
        if (state == State.CONNECTED && sendRaw(outbound.render(event))) {
            outcome.complete(event);
            return outcome;
        }
        tracked.put(event, outcome);
        if (!pending.offer(event, config.domain())) {
            return outcome; // answered through failed(): the queue is full
        }
        if (state == State.CONNECTED) {
            flushPending();
        }
        return outcome;
    }

    /** A queued event failed: its tracker hears of it, or else the listener. */
    private void failed(GatewayEvent event, org.parley.presence.model.GatewayError error) {
        java.util.concurrent.CompletableFuture<GatewayEvent> f = tracked.remove(event);
        if (f != null) {
            f.complete(error);
        } else {
            listener.onEvent(error);
        }
    }

    private static org.parley.presence.model.GatewayError failureFor(GatewayEvent event, String text) {
        org.parley.presence.model.Address unreachable = event.to() != null ? event.to() : event.from();
        return new org.parley.presence.model.GatewayError(unreachable, event.from(),
                org.parley.presence.model.ErrorCondition.SERVICE_UNAVAILABLE, null, 0, text, null,
                event instanceof org.parley.presence.model.ChatMessage m ? m.id() : null);
    }

    private void flushPending() {
        for (GatewayEvent e : pending.drain()) {
            if (sendRaw(outbound.render(e))) {
                java.util.concurrent.CompletableFuture<GatewayEvent> f = tracked.remove(e);
                if (f != null) {
                    f.complete(e);
                }
            } else {
                pending.offer(e, config.domain());
            }
        }
    }

    private boolean sendRaw(String xml) {
        XmppStreamIo l = link;
        if (state != State.CONNECTED || l == null) {
            return false;
        }
        try {
            l.write(xml);
            return true;
        } catch (IOException e) {
            lastError = "write failed: " + e.getMessage();
            closeSocket();
            return false;
        }
    }

    @Override
    public void close() {
        State previous = state;
        state = State.STOPPED;
        XmppStreamIo l = link;
        if (previous == State.CONNECTED && l != null) {
            try {
                l.write("</stream:stream>");
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        closeSocket();
        thread.interrupt();
        expiry.shutdownNow();
        for (GatewayEvent e : pending.drain()) {
            failed(e, failureFor(e, "the component link was stopped"));
        }
    }

    // ------------------------------------------------------------------ link loop

    private void run() {
        long backoff = config.minBackoff().toMillis();
        while (state != State.STOPPED) {
            boolean wasConnected;
            try {
                state = State.CONNECTING;
                session();
            } catch (IOException | StreamErrorException | RuntimeException e) {
                lastError = e.getMessage();
                LOG.log(System.Logger.Level.WARNING, "component link " + config.domain() + " to " + config.host() + ":" + config.port()
                        + " down: " + e.getMessage());
            } finally {
                closeSocket();
                wasConnected = handshakenThisSession;
                handshakenThisSession = false;
                if (state != State.STOPPED) {
                    state = State.DISCONNECTED;
                    if (wasConnected) {
                        connected = new CountDownLatch(1); // the next awaitConnected waits for the reconnect
                    }
                }
            }
            if (state == State.STOPPED) {
                return;
            }
            backoff = wasConnected ? config.minBackoff().toMillis() : Math.min(backoff * 2, config.maxBackoff().toMillis());
            if (lastError != null && lastError.contains("not-authorized")) {
                backoff = config.maxBackoff().toMillis();
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One connection: handshake, then stanzas until the stream ends. Returns whether it got connected. */
    private boolean session() throws IOException, StreamErrorException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(config.host(), config.port()), 5000);
        XmppStreamIo io = new XmppStreamIo(s, StreamLimits.DEFAULT, Set.of(NAMESPACE), config.host() + ":" + config.port(), tap);
        this.io = io;
        if (state == State.STOPPED) {
            throw new IOException("stopped while connecting");
        }
        // a half-open link is noticed: the server answers our whitespace pings, so silence means dead
        io.timeout((int) KEEPALIVE_MILLIS * 3);
        io.write("<?xml version='1.0'?><stream:stream xmlns='" + NAMESPACE + "' xmlns:stream='http://etherx.jabber.org/streams' to='"
                + config.domain() + "'>");
        LinkReader reader = new LinkReader(io);
        try {
            io.readUntilClosed(reader);
        } catch (StreamErrorException e) {
            // Parley's header went out first: the error follows it, no second header (RFC 6120 §4.9.1.2 is the receiver's)
            io.sendStreamError("", e);
            throw e;
        } catch (EOFException gone) {
            // the server closed the connection without closing its stream: the link is down, no error to report
        }
        return reader.handshaken;
    }

    /** Reads the component stream: the header's id answered with the handshake, the server's verdict, then stanzas. */
    private final class LinkReader implements StreamHandler {
        private final XmppStreamIo io;
        private boolean handshaken;

        LinkReader(XmppStreamIo io) {
            this.io = io;
        }

        @Override
        public void header(StreamEvent.Opened opened) throws IOException {
            String id = opened.attributes().get("id");
            if (id == null) {
                throw new IOException("server sent no stream id");
            }
            io.write("<handshake>" + handshake(id, config.secret()) + "</handshake>");
        }

        @Override
        public boolean element(Element e, String text) throws IOException {
            if (handshaken) {
                try {
                    dispatcher.dispatch(e, text, reply -> sendRaw(reply.toXML()));
                } catch (RuntimeException bug) {
                    // one stanza Parley could not handle must not take the link down
                    LOG.log(System.Logger.Level.ERROR, "failed to handle a stanza on component link " + config.domain(), bug);
                }
            } else if (e.getName().equals("handshake")) {
                handshaken = true;
                handshakenThisSession = true;
                link = io;
                if (state == State.STOPPED) {
                    throw new IOException("stopped during the handshake");
                }
                state = State.CONNECTED;
                lastError = null;
                flushPending(); // before anyone waiting for the link is released
                connected.countDown();
                LOG.log(System.Logger.Level.INFO, "component " + config.domain() + " connected to " + config.host() + ":" + config.port());
            } else if (e.getName().equals("error")) {
                throw new IOException("handshake refused: " + PeerStreamError.condition(e, "stream error"));
            }
            return true;
        }
    }

    /** XEP-0114 §3: lower-case hex SHA-1 of the stream id concatenated with the secret. */
    static String handshake(String streamId, String secret) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(sha1.digest((streamId + secret).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every Java runtime", e);
        }
    }

    private void closeSocket() {
        link = null;
        XmppStreamIo s = io;
        io = null;
        if (s != null) {
            s.closeSocket();
        }
    }
}
