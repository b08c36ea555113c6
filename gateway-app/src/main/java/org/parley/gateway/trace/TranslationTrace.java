package org.parley.gateway.trace;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.GatewayEvent;

/**
 * The last N translations in memory (a ring: the oldest go first). Message bodies are redacted on
 * the way in unless {@code showBodies}: a trace must never become a message archive by accident.
 */
public final class TranslationTrace {

    /** The wire of a SIP output before (or without) the request that carried it. */
    public static final String NOT_SENT = "(not sent)";

    /**
     * Bytes kept per record on average (the ring's bound is this times the capacity). A translated IM with its wires is
     * about 2–3 KB (docs/performance.md); larger records leave sooner rather than growing the heap.
     */
    public static final int BYTES_PER_RECORD = 4096;

    private final boolean showBodies;
    private final Clock clock;
    private final AtomicLong ids = new AtomicLong();
    private final long firstId;
    /** The newest records by id, encoded: a record whose SIP request went out after it was finished is replaced there. */
    private final TraceRing ring;
    private final SentWires sentWires = new SentWires(4096);
    private final java.util.function.Consumer<TranslationRecord> listener;

    public TranslationTrace(int capacity, boolean showBodies, Clock clock) {
        this(capacity, showBodies, clock, r -> { });
    }

    /** @param listener told of every finished record (metrics) */
    public TranslationTrace(int capacity, boolean showBodies, Clock clock, java.util.function.Consumer<TranslationRecord> listener) {
        this(capacity, showBodies, clock, listener, 0);
    }

    /**
     * @param firstId ids continue from here: each member of a cluster numbers in its own range, so that an id
     *                names one record in the whole cluster
     */
    public TranslationTrace(int capacity, boolean showBodies, Clock clock, java.util.function.Consumer<TranslationRecord> listener,
                            long firstId) {
        this.ids.set(firstId);
        this.firstId = firstId;
        this.ring = new TraceRing(capacity, TraceRing.boundFor(capacity, BYTES_PER_RECORD));
        this.showBodies = showBodies;
        this.clock = clock;
        this.listener = listener;
    }

    /** Starts timing one translation; finish it with {@link Translation#done}. */
    public Translation begin(String direction, GatewayEvent input) {
        return new Translation(direction, input, System.nanoTime(), clock.instant());
    }

    /** A translation in progress: outputs and decisions collect here until the outcome is known. */
    public final class Translation {
        private final String direction;
        /** What arrived; dropped once the record is made (a slot may keep this translation for a late wire). */
        private GatewayEvent input;
        private final long startNanos;
        private final Instant at;
        private final List<String> outputs = new ArrayList<>();
        private final List<String> decisions = new ArrayList<>();
        private final List<String> outputWires = new ArrayList<>();
        /** Events handed to the SIP side whose slots in {@link #sentWires} wait for the request that carries them. */
        private final List<GatewayEvent> expected = new ArrayList<>(1);
        private String inputWire;
        private boolean finished;
        private long recordId;

        private Translation(String direction, GatewayEvent input, long startNanos, Instant at) {
            this.direction = direction;
            this.input = input;
            this.startNanos = startNanos;
            this.at = at;
        }

        public synchronized Translation output(GatewayEvent e) {
            outputs.add(render(e));
            return this;
        }

        /** An output with its wire form (rendered by the side it goes to). */
        public synchronized Translation output(GatewayEvent e, java.util.function.Function<GatewayEvent, String> wire) {
            outputs.add(render(e));
            outputWires.add(wire(e, wire));
            return this;
        }

        /**
         * An output handed to the SIP side. Its wire is the request as it went on the wire, once the SIP side reports
         * it ({@link TranslationTrace#sent}); until then, and for good when nothing was sent, {@link #NOT_SENT}. Nothing
         * is rendered: the trace shows what the peer got, not what Parley would have written.
         */
        public synchronized Translation outputToSip(GatewayEvent e) {
            outputs.add(render(e));
            outputWires.add(NOT_SENT);
            sentWires.expect(e, this, outputWires.size() - 1);
            expected.add(e);
            return this;
        }

        /** The request that carried output {@code index}: it replaces the rendering, or joins it when it is a further one. */
        void sentWire(int index, String wire, boolean replace) {
            synchronized (this) {
                if (!finished) {
                    if (replace) {
                        outputWires.set(index, wire);
                    } else {
                        outputWires.add(wire);
                    }
                    return;
                }
            }
            replaceWire(recordId, index, wire, replace);
        }

        /** A SIP request as it arrived (text bodies redacted unless configured); {@code null} when no request caused it (an expiry). */
        public synchronized Translation inputSipWire(String raw) {
            inputWire = raw != null ? (showBodies ? raw : redactSip(raw)) : null;
            return this;
        }

        /** The input's wire form: raw where the module handed it on ({@code raw} not null), else rendered. */
        public synchronized Translation inputWire(String raw, java.util.function.Function<GatewayEvent, String> wire) {
            inputWire = raw != null ? (showBodies ? raw : redactXml(raw)) : wire(input, wire);
            return this;
        }

        public synchronized Translation decision(String why) {
            decisions.add(why);
            return this;
        }

        synchronized boolean isFinished() {
            return finished;
        }

        /** Records the outcome; only the first call counts (a late second answer must not double the figures). */
        public void done(TranslationRecord.Outcome outcome, String reason) {
            TranslationRecord r;
            synchronized (this) {
                if (finished) {
                    return;
                }
                finished = true;
                recordId = ids.incrementAndGet();
                r = new TranslationRecord(recordId, at, direction, kind(input), String.valueOf(input.from()),
                        String.valueOf(input.to()), correlation(input), render(input), outputs, inputWire, outputWires, decisions, outcome,
                        reason, (System.nanoTime() - startNanos) / 1000);
                // the record has its own copies; a slot in sentWires may keep this translation for seconds, and needs only
                // recordId from now on, so the texts go now rather than surviving young collections (docs/performance.md)
                outputs.clear();
                outputWires.clear();
                decisions.clear();
                inputWire = null;
                for (GatewayEvent e : expected) {
                    sentWires.finished(e, this);
                }
                expected.clear();
                input = null;
                // stored before the lock goes: a wire reported from now on replaces it in the ring, so the record must
                // be there (the trace's lock is taken after this one everywhere, never before)
                add(r);
            }
            listener.accept(r);
        }
    }

    /**
     * A keep-alive exchange (an OPTIONS probe of a front end): not a translation, but part of the
     * picture an operator wants — the flow view hides these unless asked.
     *
     * @param answer the response's status line, or null when none came
     */
    public void keepAlive(String direction, String from, String to, String request, String answer, long latencyMicros) {
        TranslationRecord r = new TranslationRecord(ids.incrementAndGet(), clock.instant(), direction, "keep-alive", from, to, null, request,
                answer == null ? List.of() : List.of(answer), request, answer == null ? List.of() : List.of(answer), List.of(),
                answer == null ? TranslationRecord.Outcome.FAILED : TranslationRecord.Outcome.DELIVERED,
                answer == null ? "no answer" : null, latencyMicros);
        add(r);
        listener.accept(r);
    }

    /**
     * Something refused below the translation: a SIP request answered (or, where no answer is
     * possible, dropped) before it became an event, an XMPP stanza answered with an error by the
     * adapter, a stream closed with a stream error. Recorded as REJECTED so an operator sees every
     * refusal in the same place as the translations.
     *
     * @param kind     what was refused: {@code sip-request}, {@code stanza}, {@code stream}
     * @param raw      the input as it arrived, or null; bodies are redacted unless configured
     * @param sipRaw   whether {@code raw} is a SIP message (else XML)
     * @param answer   what Parley answered ({@code SIP/2.0 400 …}, {@code <stream:error>…}), null when nothing could be
     */
    public void refusal(String direction, String kind, String from, String to, String correlation, String raw, boolean sipRaw,
            String answer, String reason) {
        String input = raw == null ? null : showBodies ? raw : sipRaw ? redactSip(raw) : redactXml(raw);
        // an XMPP error stanza is a copy of the refused stanza, body included
        List<String> answers = answer == null ? List.of() : List.of(showBodies || sipRaw ? answer : redactXml(answer));
        TranslationRecord r = new TranslationRecord(ids.incrementAndGet(), clock.instant(), direction, kind, from, to, correlation,
                input == null ? "" : input, answers, input, answers, List.of(), TranslationRecord.Outcome.REJECTED, reason, 0);
        add(r);
        listener.accept(r);
    }

    private synchronized void add(TranslationRecord r) {
        ring.put(r);
    }

    /**
     * The SIP side sent {@code wire}, a request carrying {@code cause}: the translation that handed it over shows it
     * (bodies redacted unless configured). A request no translation waits for (a refresh, a probe) is not recorded here.
     */
    public void sent(GatewayEvent cause, String wire) {
        SentWires.Slot slot = sentWires.find(cause);
        if (slot != null) {
            slot.translation().sentWire(slot.index(), showBodies ? wire : redactSip(wire), slot.filled().compareAndSet(false, true));
            if (slot.translation().isFinished()) {
                sentWires.finished(cause, slot.translation());
            }
        }
    }

    private synchronized void replaceWire(long id, int index, String wire, boolean replace) {
        ring.update(id, r -> r.withOutputWire(index, wire, replace));
    }

    /** Translations' events still waiting by identity for the request that carries them (for tests). */
    int waitingForRequests() {
        return sentWires.byEventSlots();
    }

    /** How many records this trace has made since start (older ones may have left the ring). */
    public long recorded() {
        return ids.get() - firstId;
    }

    /**
     * Newest first, at most {@code limit}, matching {@code filter}. The lock is held for one record's bytes at a time and
     * records are decoded outside it, so that an admin query over the whole ring does not hold up the translations
     * finishing meanwhile; a record that leaves the ring during the scan is not shown.
     */
    public List<TranslationRecord> find(Predicate<TranslationRecord> filter, int limit) {
        long newest;
        synchronized (this) {
            newest = ring.newestId();
        }
        List<TranslationRecord> out = new ArrayList<>();
        if (newest == Long.MIN_VALUE) {
            return out;
        }
        for (long id = newest; id > newest - ring.capacity() && out.size() < limit; id--) {
            byte[] bytes;
            synchronized (this) {
                bytes = ring.encoded(id);
            }
            if (bytes != null) {
                TranslationRecord r = TraceRecordCodec.decode(bytes);
                if (filter.test(r)) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    public Optional<TranslationRecord> get(long id) {
        byte[] bytes;
        synchronized (this) {
            bytes = ring.encoded(id);
        }
        return Optional.ofNullable(bytes).map(TraceRecordCodec::decode);
    }

    public static String kind(GatewayEvent e) {
        if (e instanceof ChatMessage) {
            return "message";
        }
        if (e instanceof org.parley.presence.model.PresenceUpdate) {
            return "presence";
        }
        if (e instanceof org.parley.presence.model.SubscriptionEvent) {
            return "subscription";
        }
        if (e instanceof org.parley.presence.model.ChatStateChange) {
            return "chat-state";
        }
        return e instanceof org.parley.presence.model.Receipt ? "receipt" : "error";
    }

    private static String correlation(GatewayEvent e) {
        if (e instanceof ChatMessage m) {
            return m.id();
        }
        if (e instanceof org.parley.presence.model.Receipt r) {
            return r.messageId();
        }
        return e instanceof org.parley.presence.model.GatewayError g ? g.correlationId() : null;
    }

    private String wire(GatewayEvent e, java.util.function.Function<GatewayEvent, String> wire) {
        try {
            return wire.apply(showBodies ? e : redacted(e));
        } catch (RuntimeException cannot) {
            return "(no wire form: " + cannot.getMessage() + ")";
        }
    }

    private static GatewayEvent redacted(GatewayEvent e) {
        if (e instanceof ChatMessage m && (m.body() != null || m.htmlBody() != null)) {
            return new ChatMessage(m.from(), m.to(), m.id(), m.kind(), "[redacted " + (m.body() == null ? 0 : m.body().length()) + " chars]",
                    m.htmlBody() == null ? null : "[redacted html]", m.conversationId(), m.receiptRequested(), m.chatState());
        }
        return e;
    }

    /** A SIP message whose body is text (an IM) keeps its headers; the body is replaced by its length. */
    public static String redactSip(String raw) {
        return BodyRedaction.sip(raw);
    }

    /** A stanza's {@code <body/>} and XHTML-IM contents replaced by their length. */
    public static String redactXml(String xml) {
        return BodyRedaction.xml(xml);
    }

    /** The event's record form, with bodies replaced by their length unless bodies may be shown. */
    String render(GatewayEvent e) {
        if (!showBodies && e instanceof ChatMessage m && (m.body() != null || m.htmlBody() != null)) {
            String redacted = "[redacted " + (m.body() == null ? 0 : m.body().length()) + " chars]";
            return new ChatMessage(m.from(), m.to(), m.id(), m.kind(), m.body() == null ? null : redacted,
                    m.htmlBody() == null ? null : "[redacted html]", m.conversationId(), m.receiptRequested(), m.chatState()).toString();
        }
        return e.toString();
    }
}
