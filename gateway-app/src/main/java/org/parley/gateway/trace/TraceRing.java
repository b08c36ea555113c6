package org.parley.gateway.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The trace's storage: the records with the newest {@code capacity} ids, each kept encoded
 * ({@link TraceRecordCodec}) in one circular byte array. The records themselves become garbage as
 * soon as they are stored, so they die young; the array, once grown to its bound, lives in the old
 * generation, where a young collection neither copies nor scans it (it holds no references).
 *
 * <p>The bytes are bounded too: {@code bytesPerRecord} on average over the capacity, so a run of
 * large records (bodies shown, long stanzas) keeps fewer of them rather than growing the heap. A
 * record is dropped when a newer id takes its slot or newer bytes overwrite its own; one larger than
 * an eighth of the bound is kept with its longest texts shortened. Not thread-safe: the trace locks.
 */
final class TraceRing {

    /** Texts of a record too large for the ring are cut to this many characters. */
    static final int SHORTENED_CHARS = 2_000;
    /** The least the byte bound is, however small the capacity: a small trace (a dry run's) still keeps whole records. */
    static final int MIN_BYTES = 1 << 20;
    /** The most: a trace of a million records (the largest size allowed) keeps 256 bytes each on average, not 4 GiB. */
    static final int MAX_BYTES = 256 << 20;
    private static final long EMPTY = Long.MIN_VALUE;

    private final int capacity;
    private final int maxBytes;
    private final long[] slotId;
    private final long[] slotPos;
    private final int[] slotLength;
    private byte[] arena;
    /** Where the next record's bytes go, counted from the start: arena index {@code writePos % arena.length}. */
    private long writePos;
    private long newestId = EMPTY;

    /** @param maxBytes the bound on the encoded records' bytes ({@link #boundFor}) */
    TraceRing(int capacity, int maxBytes) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.slotId = new long[capacity];
        this.slotPos = new long[capacity];
        this.slotLength = new int[capacity];
        java.util.Arrays.fill(slotId, EMPTY);
        this.arena = new byte[Math.min(maxBytes, 64 * 1024)];
    }

    /** The byte bound for {@code capacity} records of {@code bytesPerRecord} on average, at least {@link #MIN_BYTES}. */
    static int boundFor(int capacity, int bytesPerRecord) {
        return (int) Math.min(MAX_BYTES, Math.max(MIN_BYTES, (long) capacity * bytesPerRecord));
    }

    /** Stores {@code r}, replacing the record with its id if there is one; a record older than the ring's window is not kept. */
    void put(TranslationRecord r) {
        if (newestId != EMPTY && r.id() <= newestId - capacity) {
            return;
        }
        byte[] bytes = TraceRecordCodec.encode(r);
        if (bytes.length > maxBytes / 8) {
            bytes = TraceRecordCodec.encode(shortened(r, Integer.MAX_VALUE));
        }
        if (bytes.length > maxBytes / 8) {
            bytes = TraceRecordCodec.encode(shortened(r, 8)); // hundreds of outputs: the first few tell the story
        }
        if (bytes.length > maxBytes) {
            return; // cannot happen with addresses of XMPP's bounded length; never let one record wrap over itself
        }
        long pos = write(bytes);
        int slot = slot(r.id());
        slotId[slot] = r.id();
        slotPos[slot] = pos;
        slotLength[slot] = bytes.length;
        newestId = newestId == EMPTY ? r.id() : Math.max(newestId, r.id());
    }

    /** The record with this id, or null when it has left the ring. */
    TranslationRecord get(long id) {
        byte[] bytes = encoded(id);
        return bytes == null ? null : TraceRecordCodec.decode(bytes);
    }

    /**
     * The record with this id as stored (a copy, to decode outside the caller's lock: a scan of the whole ring decodes
     * megabytes, and the live path must not wait for it), or null when it has left the ring.
     */
    byte[] encoded(long id) {
        int slot = slot(id);
        return held(slot, id) ? read(slot) : null;
    }

    /** The newest id stored, or {@link Long#MIN_VALUE} when none is. */
    long newestId() {
        return newestId;
    }

    int capacity() {
        return capacity;
    }

    /** Replaces the record with this id by {@code change} of it; nothing when it has left the ring. */
    void update(long id, UnaryOperator<TranslationRecord> change) {
        TranslationRecord r = get(id);
        if (r != null) {
            put(change.apply(r));
        }
    }

    /** Bytes the ring holds now (its array's size, which grows up to capacity × bytes per record). */
    int arenaBytes() {
        return arena.length;
    }

    private int slot(long id) {
        return (int) Math.floorMod(id, (long) capacity);
    }

    private boolean held(int slot, long id) {
        return slotId[slot] == id && slotPos[slot] >= writePos - arena.length;
    }

    private long write(byte[] bytes) {
        if (writePos + bytes.length > arena.length && arena.length < maxBytes) {
            // not wrapped yet, so every record's index is its position: a larger array keeps them where they are
            long needed = writePos + bytes.length;
            arena = java.util.Arrays.copyOf(arena, (int) Math.min(maxBytes, Math.max(needed, 2L * arena.length)));
        }
        long pos = writePos;
        int at = (int) (pos % arena.length);
        int first = Math.min(bytes.length, arena.length - at);
        System.arraycopy(bytes, 0, arena, at, first);
        System.arraycopy(bytes, first, arena, 0, bytes.length - first);
        writePos += bytes.length;
        return pos;
    }

    private byte[] read(int slot) {
        byte[] bytes = new byte[slotLength[slot]];
        int at = (int) (slotPos[slot] % arena.length);
        int first = Math.min(bytes.length, arena.length - at);
        System.arraycopy(arena, at, bytes, 0, first);
        System.arraycopy(arena, 0, bytes, first, bytes.length - first);
        return bytes;
    }

    /** {@code r} with every text cut to {@link #SHORTENED_CHARS} and each list to its first {@code items}. */
    private static TranslationRecord shortened(TranslationRecord r, int items) {
        return new TranslationRecord(r.id(), r.at(), r.direction(), r.kind(), r.from(), r.to(), r.correlation(), cut(r.input()),
                cut(r.outputs(), items), cut(r.inputWire()), cut(r.outputWires(), items), cut(r.decisions(), items), r.outcome(),
                cut(r.reason()), r.latencyMicros());
    }

    private static List<String> cut(List<String> texts, int items) {
        List<String> out = new ArrayList<>(texts.stream().limit(items).map(TraceRing::cut).toList());
        if (texts.size() > items) {
            out.add("… (" + (texts.size() - items) + " more not kept by the trace)");
        }
        return out;
    }

    private static String cut(String s) {
        return s == null || s.length() <= SHORTENED_CHARS ? s
                : s.substring(0, SHORTENED_CHARS) + "… (" + (s.length() - SHORTENED_CHARS) + " more characters not kept by the trace)";
    }
}
