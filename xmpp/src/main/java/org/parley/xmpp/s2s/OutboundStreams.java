package org.parley.xmpp.s2s;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.xmpp.adapt.ModelToXmpp;
import org.parley.xmpp.outbound.PendingStanzas;
import org.parley.xmpp.stream.XmppWireTap;

/**
 * Outgoing s2s streams by (local domain, partner domain): reused while open, opened on demand
 * through a static route or SRV. Stanzas wait (bounded) while a stream is being established; if
 * it cannot be, each is answered — {@code remote-server-not-found} when no target could be
 * reached or resolved, {@code remote-server-timeout} when targets timed out — and none vanishes.
 */
public final class OutboundStreams implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(OutboundStreams.class.getName());

    private final S2sTls tls;
    private final ModelToXmpp outbound;
    private final PartnerTargets targets;
    private final PartnerPolicy policy;
    private final DialbackKeys dialback;
    private final Consumer<GatewayError> failures;
    private final int connectTimeoutMillis;
    private final int queueCapacity;
    private final Duration queueTimeout;
    private final Clock clock;
    private final XmppWireTap tap;
    private final ExecutorService connector;
    private final java.util.concurrent.ScheduledExecutorService keepAlive;
    private final Map<String, OutboundServerStream> open = new ConcurrentHashMap<>();
    private final Map<String, PendingStanzas> waiting = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    /** Direct replies (IQ results, stanza errors) waiting for a stream, as XML. */
    private final Map<String, java.util.Queue<String>> replies = new ConcurrentHashMap<>();
    /** Outcomes of queued events, by identity (two equal records are still two stanzas). */
    private final Map<GatewayEvent, CompletableFuture<GatewayEvent>> inFlight = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    /** @param dialback keys for Server Dialback where a partner does not accept Parley's certificate; {@code null}: EXTERNAL only */
    public OutboundStreams(S2sTls tls, ModelToXmpp outbound, PartnerTargets targets, PartnerPolicy policy, DialbackKeys dialback,
                           Consumer<GatewayError> failures, int connectTimeoutMillis, int queueCapacity, Duration queueTimeout, Clock clock) {
        this(tls, outbound, targets, policy, dialback, failures, connectTimeoutMillis, queueCapacity, queueTimeout, clock, XmppWireTap.NONE);
    }

    /** As the constructor without {@code tap}, every stream's text shown to {@code tap}. */
    public OutboundStreams(S2sTls tls, ModelToXmpp outbound, PartnerTargets targets, PartnerPolicy policy, DialbackKeys dialback,
                           Consumer<GatewayError> failures, int connectTimeoutMillis, int queueCapacity, Duration queueTimeout, Clock clock,
                           XmppWireTap tap) {
        this.tap = tap;
        this.policy = policy;
        this.tls = tls;
        this.outbound = outbound;
        this.targets = targets;
        this.dialback = dialback;
        this.failures = failures;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.queueCapacity = queueCapacity;
        this.queueTimeout = queueTimeout;
        this.clock = clock;
        this.connector = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "parley-s2s-connect");
            t.setDaemon(true);
            return t;
        });
        this.keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-s2s-keepalive");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * XEP-0199 pings on streams idle for {@code pingAfter}, and a clean close
     * ({@code </stream:stream>}) of streams idle for {@code closeAfter}; the next stanza reopens.
     */
    public void startKeepAlive(Duration pingAfter, Duration closeAfter) {
        long every = Math.max(100, Math.min(pingAfter.toMillis(), closeAfter.toMillis()) / 2);
        keepAlive.scheduleWithFixedDelay(() -> {
            for (Map.Entry<String, OutboundServerStream> e : open.entrySet()) {
                OutboundServerStream stream = e.getValue();
                try {
                    long idle = stream.idleNanos();
                    if (idle > closeAfter.toNanos()) {
                        if (open.remove(e.getKey(), stream)) {
                            stream.close();
                        }
                    } else if (idle > pingAfter.toNanos()) {
                        stream.ping("keepalive-" + Long.toHexString(System.nanoTime()));
                    }
                } catch (IOException | RuntimeException ex) {
                    // a stream that cannot even be pinged is gone: the next stanza opens a new one
                    open.remove(e.getKey(), stream);
                    stream.close();
                }
            }
        }, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Open streams, for health reporting. */
    public int openStreams() {
        return open.size();
    }

    /** Stanzas waiting for a stream (a drain waits for these before closing). */
    public int pendingCount() {
        return inFlight.size();
    }

    /**
     * Sends an event from one of Parley's domains to its partner domain (from/to are XMPP addresses).
     * The returned stage completes with the event itself once it is written to a stream, or with the
     * {@link GatewayError} that answers it (also handed to {@code failures}) — so a caller can hold a
     * SIP transaction open until the outcome is known.
     */
    public CompletableFuture<GatewayEvent> send(GatewayEvent event) {
        CompletableFuture<GatewayEvent> outcome = new CompletableFuture<>();
        String local = event.from().domain();
        String remote = event.to().domain();
        PartnerRules rules = policy.rulesFor(remote).orElse(null);
        if (rules == null) {
            GatewayError refused = failure(event, ErrorCondition.FORBIDDEN, remote + " is not an allowed federation partner of this gateway");
            failures.accept(refused);
            outcome.complete(refused);
            return outcome;
        }
        boolean written = writeOrQueue(local, remote, rules, stream -> stream.send(event), queue -> {
            if (queue.offer(event, local + " → " + remote)) {
                inFlight.put(event, outcome);
            } else {
                outcome.complete(PendingStanzas.failure(event, ErrorCondition.RESOURCE_CONSTRAINT, "too many stanzas wait for " + remote));
            }
        });
        if (written) {
            outcome.complete(event);
        }
        return outcome;
    }

    /**
     * Sends a stanza Parley answers with directly (an IQ result, a stanza error) from one of its
     * domains to a partner: over the open stream, or once one is established. Replies that cannot
     * be delivered are logged, not bounced: an error about an error would loop.
     */
    public void sendReply(org.xmpp.packet.Packet reply) {
        if (reply.getFrom() == null || reply.getTo() == null) {
            return;
        }
        String local = reply.getFrom().getDomain();
        String remote = reply.getTo().getDomain();
        PartnerRules rules = policy.rulesFor(remote).orElse(null);
        if (rules == null) {
            return;
        }
        String xml = reply.toXML();
        writeOrQueue(local, remote, rules, stream -> stream.sendXml(xml),
                queue -> replies.computeIfAbsent(local + "|" + remote, k -> new java.util.concurrent.ConcurrentLinkedQueue<>()).add(xml));
    }

    /** One write on an open stream. */
    @FunctionalInterface
    private interface StreamWrite {
        void to(OutboundServerStream stream) throws IOException;
    }

    /**
     * Writes on the open stream of the domain pair, or hands the pair's wait queue to {@code enqueue}; the first
     * to wait starts connecting. Per domain pair this, and the flush of the queue once connected, hold one lock, so
     * stanzas leave in the order they were given. A stream that ended or fails the write is dropped (the next one
     * replaces it).
     *
     * @return true when written now
     */
    private boolean writeOrQueue(String local, String remote, PartnerRules rules, StreamWrite write, Consumer<PendingStanzas> enqueue) {
        String key = local + "|" + remote;
        boolean startConnecting = false;
        PendingStanzas queue;
        synchronized (lockFor(key)) {
            OutboundServerStream stream = open.get(key);
            if (stream != null && stream.ended()) {
                open.remove(key, stream);
                stream = null;
            }
            if (stream != null) {
                try {
                    write.to(stream);
                    return true;
                } catch (IOException e) {
                    open.remove(key, stream);
                    stream.close();
                    LOG.log(System.Logger.Level.INFO, "s2s stream " + local + " → " + remote + " lost: " + e.getMessage());
                }
            }
            queue = waiting.get(key);
            if (queue == null) {
                queue = new PendingStanzas(queueCapacity, queueTimeout, clock, failures);
                waiting.put(key, queue);
                startConnecting = true;
            }
            enqueue.accept(queue);
        }
        if (startConnecting) {
            PendingStanzas q = queue;
            connector.execute(() -> establish(key, local, remote, rules, q));
        }
        return false;
    }

    private Object lockFor(String key) {
        return locks.computeIfAbsent(key, k -> new Object());
    }

    private void establish(String key, String local, String remote, PartnerRules rules, PendingStanzas queue) {
        boolean timedOut = false;
        boolean refused = false;
        String last = "no target";
        for (S2sTarget t : targets.targets(remote)) {
            try {
                OutboundServerStream stream = OutboundServerStream.open(t, local, remote, tls, rules, dialback, outbound, connectTimeoutMillis, tap);
                synchronized (lockFor(key)) {
                    for (GatewayEvent e : queue.drain()) {
                        try {
                            stream.send(e);
                            settle(e, e);
                        } catch (IOException ex) {
                            fail(failure(e, ErrorCondition.REMOTE_SERVER_TIMEOUT, "s2s stream to " + remote + " failed: " + ex.getMessage()), e);
                        }
                    }
                    java.util.Queue<String> raw = replies.remove(key);
                    if (raw != null) {
                        for (String xml : raw) {
                            try {
                                stream.sendXml(xml);
                            } catch (IOException ex) {
                                LOG.log(System.Logger.Level.INFO, "reply to " + remote + " lost with the stream: " + ex.getMessage());
                            }
                        }
                    }
                    open.put(key, stream);
                    OutboundServerStream opened = stream;
                    stream.watch(() -> {
                        if (open.remove(key, opened)) {
                            opened.close();
                            LOG.log(System.Logger.Level.INFO, "s2s stream " + key.replace('|', '→') + " ended by the partner; the next stanza reconnects");
                        }
                    });
                    waiting.remove(key, queue);
                }
                return;
            } catch (S2sException e) {
                last = e.getMessage();
                timedOut |= e.getCause() instanceof SocketTimeoutException;
                refused |= e.getCause() instanceof ConnectException;
                if (!(e.getCause() instanceof ConnectException || e.getCause() instanceof UnknownHostException
                        || e.getCause() instanceof SocketTimeoutException)) {
                    LOG.log(System.Logger.Level.WARNING, e.getMessage());
                }
            }
        }
        ErrorCondition condition = timedOut ? ErrorCondition.REMOTE_SERVER_TIMEOUT : ErrorCondition.REMOTE_SERVER_NOT_FOUND;
        List<GatewayEvent> unsent;
        synchronized (lockFor(key)) {
            waiting.remove(key, queue);
            unsent = queue.drain();
            java.util.Queue<String> raw = replies.remove(key);
            if (raw != null && !raw.isEmpty()) {
                LOG.log(System.Logger.Level.INFO, raw.size() + " replies to " + remote + " dropped: cannot reach it (" + last + ")");
            }
        }
        // a server that exists but refuses or is down is a temporary failure for the SIP sender: 408 (RFC 7247 allows
        // 404 or 408 for remote-server-not-found; 404 would tell a Lync user that the person does not exist)
        int sipStatus = !timedOut && refused ? 408 : 0;
        for (GatewayEvent e : unsent) {
            fail(failure(e, condition, "cannot reach " + remote + " (" + last + ")", sipStatus), e);
        }
    }

    private void fail(GatewayError error, GatewayEvent event) {
        failures.accept(error);
        settle(event, error);
    }

    private void settle(GatewayEvent event, GatewayEvent outcome) {
        CompletableFuture<GatewayEvent> f = inFlight.remove(event);
        if (f != null) {
            f.complete(outcome);
        }
    }

    private static GatewayError failure(GatewayEvent e, ErrorCondition condition, String text) {
        return failure(e, condition, text, 0);
    }

    private static GatewayError failure(GatewayEvent e, ErrorCondition condition, String text, int sipStatus) {
        String id = e instanceof org.parley.presence.model.ChatMessage m ? m.id() : null;
        return new GatewayError(e.to(), e.from(), condition, null, sipStatus, text, null, id);
    }

    @Override
    public void close() {
        keepAlive.shutdownNow();
        connector.shutdownNow();
        open.values().forEach(OutboundServerStream::close);
        open.clear();
        List<GatewayEvent> left;
        synchronized (inFlight) {
            left = new java.util.ArrayList<>(inFlight.keySet());
        }
        for (GatewayEvent e : left) {
            fail(failure(e, ErrorCondition.REMOTE_SERVER_TIMEOUT, "the gateway stopped before the stream was established"), e);
        }
    }
}
