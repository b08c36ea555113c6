package org.parley.gateway.trace;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link TranslationRecord} as one byte array, and back. The trace keeps its records in this form
 * ({@link TraceRing}) because a collector copies a byte array in one move, and one that lives in a
 * single long-lived array not at all: ten thousand records as objects, about 30 MB of strings and
 * lists, were what the gateway's young collections spent their 16–30 ms copying (docs/performance.md).
 * Strings are UTF-8 with an int length, -1 for null; lists an int count, then their strings.
 */
final class TraceRecordCodec {

    private static final TranslationRecord.Outcome[] OUTCOMES = TranslationRecord.Outcome.values();

    private TraceRecordCodec() {
    }

    static byte[] encode(TranslationRecord r) {
        List<byte[]> strings = new ArrayList<>(16);
        int size = 8 + 8 + 4 + 1 + 8; // id, epoch second, nano, outcome, latency
        size += add(strings, r.direction()) + add(strings, r.kind()) + add(strings, r.from()) + add(strings, r.to())
                + add(strings, r.correlation()) + add(strings, r.input()) + add(strings, r.inputWire()) + add(strings, r.reason());
        size += 12 + addAll(strings, r.outputs()) + addAll(strings, r.outputWires()) + addAll(strings, r.decisions());
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putLong(r.id()).putLong(r.at().getEpochSecond()).putInt(r.at().getNano()).put((byte) r.outcome().ordinal())
                .putLong(r.latencyMicros());
        int next = 0;
        for (int i = 0; i < 8; i++) {
            put(out, strings.get(next++));
        }
        for (List<String> list : List.of(r.outputs(), r.outputWires(), r.decisions())) {
            out.putInt(list.size());
            for (int i = 0; i < list.size(); i++) {
                put(out, strings.get(next++));
            }
        }
        return out.array();
    }

    static TranslationRecord decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        long id = in.getLong();
        Instant at = Instant.ofEpochSecond(in.getLong(), in.getInt());
        TranslationRecord.Outcome outcome = OUTCOMES[in.get()];
        long latency = in.getLong();
        String direction = string(in);
        String kind = string(in);
        String from = string(in);
        String to = string(in);
        String correlation = string(in);
        String input = string(in);
        String inputWire = string(in);
        String reason = string(in);
        List<String> outputs = list(in);
        List<String> outputWires = list(in);
        List<String> decisions = list(in);
        return new TranslationRecord(id, at, direction, kind, from, to, correlation, input, outputs, inputWire, outputWires, decisions,
                outcome, reason, latency);
    }

    /** The record's id, read without decoding the rest. */
    static long id(byte[] bytes) {
        return ByteBuffer.wrap(bytes).getLong();
    }

    private static int add(List<byte[]> strings, String s) {
        byte[] b = s == null ? null : s.getBytes(StandardCharsets.UTF_8);
        strings.add(b);
        return 4 + (b == null ? 0 : b.length);
    }

    private static int addAll(List<byte[]> strings, List<String> list) {
        int size = 0;
        for (String s : list) {
            size += add(strings, s);
        }
        return size;
    }

    private static void put(ByteBuffer out, byte[] b) {
        if (b == null) {
            out.putInt(-1);
        } else {
            out.putInt(b.length).put(b);
        }
    }

    private static String string(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) {
            return null;
        }
        String s = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    private static List<String> list(ByteBuffer in) {
        int n = in.getInt();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(string(in));
        }
        return out;
    }
}
