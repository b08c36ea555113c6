package org.parley.gateway.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TraceRingTest {

    /** What the ring holds, newest id first, as {@link TranslationTrace#find} scans it. */
    private static List<TranslationRecord> newestFirst(TraceRing ring, java.util.function.Predicate<TranslationRecord> filter, int limit) {
        List<TranslationRecord> out = new ArrayList<>();
        for (long id = ring.newestId(); id > ring.newestId() - ring.capacity() && out.size() < limit; id--) {
            TranslationRecord r = ring.get(id);
            if (r != null && filter.test(r)) {
                out.add(r);
            }
        }
        return out;
    }

    private static TranslationRecord record(long id, String text) {
        return new TranslationRecord(id, Instant.ofEpochSecond(1_796_000_000L, 123_456_789), "xmpp→sip", "message", "juliet@xmpp.test/balcony",
                "alice@lync.test", "m" + id, "ChatMessage[" + text + "]", List.of("out " + text), "<message>" + text + "</message>",
                List.of("MESSAGE sip:alice@lync.test SIP/2.0\r\n\r\n" + text), List.of("page mode"), TranslationRecord.Outcome.DELIVERED,
                null, 42 + id);
    }

    @Test
    void aRecordComesBackEqualNullsAndNonAsciiIncluded() {
        TranslationRecord r = new TranslationRecord(7, Instant.parse("2026-12-07T20:00:00.000000001Z"), "sip→xmpp", "presence", "ålice@lync.test",
                "juliet@xmpp.test", null, "Presence[busy ☎]", List.of(), null, List.of("<presence/>", "<presence type='probe'/>"),
                List.of("→ 👍 emoji"), TranslationRecord.Outcome.FAILED, "no route", 0);
        TraceRing ring = new TraceRing(10, TraceRing.boundFor(10, 4096));
        ring.put(r);

        assertThat(ring.get(7)).isEqualTo(r);
        assertThat(TraceRecordCodec.decode(TraceRecordCodec.encode(r))).isEqualTo(r);
    }

    @Test
    void keepsTheNewestCapacityIdsNewestFirst() {
        TraceRing ring = new TraceRing(5, TraceRing.boundFor(5, 4096));
        for (long id = 1; id <= 12; id++) {
            ring.put(record(id, "hello " + id));
        }

        assertThat(newestFirst(ring, r -> true, 100)).extracting(TranslationRecord::id).containsExactly(12L, 11L, 10L, 9L, 8L);
        assertThat(ring.get(7)).isNull();
        assertThat(ring.get(8)).isEqualTo(record(8, "hello 8"));
        assertThat(newestFirst(ring, r -> r.id() % 2 == 0, 2)).extracting(TranslationRecord::id).containsExactly(12L, 10L);
    }

    @Test
    void aRecordOlderThanTheWindowIsNotKeptAndDoesNotEvictANewerOne() {
        TraceRing ring = new TraceRing(3, TraceRing.boundFor(3, 4096));
        ring.put(record(10, "ten"));
        ring.put(record(7, "late")); // slot 1, as 10 is: 7 is more than 3 ids older than 10
        ring.put(record(9, "nine")); // within the window though it came after 10

        assertThat(ring.get(10)).isEqualTo(record(10, "ten"));
        assertThat(ring.get(7)).isNull();
        assertThat(newestFirst(ring, r -> true, 10)).extracting(TranslationRecord::id).containsExactly(10L, 9L);
    }

    @Test
    void theByteBoundDropsTheOldestBytesAndRecordsAcrossTheWrapDecode() {
        int one = TraceRecordCodec.encode(record(1, "x".repeat(100))).length;
        TraceRing ring = new TraceRing(1_000, one * 5 + one / 2); // room for five and a half records of this size
        List<TranslationRecord> written = new ArrayList<>();
        for (long id = 1; id <= 23; id++) {
            TranslationRecord r = record(id, "x".repeat(97) + String.format("%03d", id));
            written.add(r);
            ring.put(r);
            // every record whose bytes are still whole comes back equal, including those that straddle the array's end
            for (TranslationRecord w : written) {
                TranslationRecord got = ring.get(w.id());
                if (got != null) {
                    assertThat(got).isEqualTo(w);
                }
            }
        }

        assertThat(ring.arenaBytes()).isEqualTo(one * 5 + one / 2);
        assertThat(newestFirst(ring, r -> true, 1_000)).extracting(TranslationRecord::id).containsExactly(23L, 22L, 21L, 20L, 19L);
    }

    @Test
    void aRecordWhoseBytesBeganExactlyOneArrayLengthAgoIsHeldAndTheOneBeforeItIsNot() {
        int one = TraceRecordCodec.encode(record(1, "abc")).length;
        TraceRing ring = new TraceRing(10, 2 * one); // two records fill the array exactly
        ring.put(record(1, "abc"));
        ring.put(record(2, "abd"));
        ring.put(record(3, "abe")); // over record 1's bytes, to the byte

        assertThat(ring.get(1)).isNull();
        assertThat(ring.get(2)).isEqualTo(record(2, "abd"));
        assertThat(ring.get(3)).isEqualTo(record(3, "abe"));
    }

    @Test
    void anUpdateReplacesTheRecordAndSurvivesLaterWrites() {
        TraceRing ring = new TraceRing(10, TraceRing.boundFor(10, 4096));
        ring.put(record(1, "one"));
        ring.put(record(2, "two"));
        ring.update(1, r -> r.withOutputWire(0, "MESSAGE as sent", true));
        ring.put(record(3, "three"));

        assertThat(ring.get(1).outputWires()).containsExactly("MESSAGE as sent");
        assertThat(newestFirst(ring, r -> true, 10)).extracting(TranslationRecord::id).containsExactly(3L, 2L, 1L);
        ring.update(99, r -> { throw new AssertionError("no record 99 to change"); });
    }

    @Test
    void aRecordLargerThanAnEighthOfTheBoundIsKeptShortened() {
        TraceRing ring = new TraceRing(10, TraceRing.boundFor(10, 4096)); // the least bound, 1 MiB: an eighth is 128 KiB
        String huge = "y".repeat(200_000);
        List<String> many = IntStream.range(0, 100).mapToObj(i -> "w" + i + "z".repeat(1_990)).toList();
        TranslationRecord r = new TranslationRecord(1, Instant.EPOCH, "xmpp→sip", "message", "a", "b", null, huge, List.of(), huge, many,
                List.of(), TranslationRecord.Outcome.DELIVERED, null, 0);
        ring.put(r);

        TranslationRecord kept = ring.get(1);
        assertThat(kept.input()).startsWith("y".repeat(TraceRing.SHORTENED_CHARS))
                .endsWith("… (" + (200_000 - TraceRing.SHORTENED_CHARS) + " more characters not kept by the trace)");
        // a hundred wires of 2 KB still exceed an eighth: the first eight are kept, and the count of the rest
        assertThat(kept.outputWires()).hasSize(9).startsWith(many.subList(0, 8).toArray(String[]::new))
                .endsWith("… (92 more not kept by the trace)");
    }
}
