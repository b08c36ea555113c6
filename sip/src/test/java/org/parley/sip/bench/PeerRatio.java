package org.parley.sip.bench;

import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.lync.CategoriesCodec;
import org.parley.presence.pidf.PidfCodec;
import org.parley.presence.testing.Batches;
import org.parley.presence.testing.BenchmarkDocuments;
import org.parley.presence.translate.PresenceTranslator;
import org.parley.presence.xml.SafeXmlParser;
import org.parley.presence.xmpp.XmppPresenceCodec;

/**
 * Each presence translation as a ratio to the peer, JAIN-SIP's parse of one ≈ 560-byte MESSAGE (the reference
 * operation of performance-targets.md, 7.6 µs there), with the two measured in alternating 20 ms batches in one
 * JVM. JMH measures one benchmark after another, minutes apart, and these VMs change speed by up to 2× for
 * seconds at a time, so a JMH ratio compares two different machines as often as not; pairing every translation
 * batch with a peer batch taken a moment before or after compares like with like.
 *
 * <p>Prints, per translation, the median and 90th percentile of the per-round ratios, the batch means, and the
 * translation's cost at the reference speed (median ratio × 7.6 µs). Run (figures in docs/performance.md):
 * <pre>
 * ./mvnw -B -q -pl presence-map,sip -am -DskipTests package dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath
 * java -cp sip/target/test-classes:sip/target/classes:$(cat sip/target/test.classpath) org.parley.sip.bench.PeerRatio 60
 * </pre>
 */
public final class PeerRatio {

    /** JAIN-SIP's MESSAGE parse on the reference machine: 132k/s (performance-targets.md). */
    private static final double REFERENCE_PEER_NANOS = 1e9 / 132_000;
    private static final long BATCH_NANOS = 20_000_000L;
    private static final int WARM_UP_SECONDS = 10;

    private PeerRatio() {
    }

    public static void main(String[] args) throws Throwable {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        AddressMapper mapper = AddressMapper.forDomains(List.of("contoso.com", "xmpp.test"));
        SafeXmlParser xml = new SafeXmlParser();
        PresenceTranslator translator = new PresenceTranslator(mapper, new XmppPresenceCodec(xml, mapper),
                new PidfCodec(xml, mapper), new CategoriesCodec(xml, mapper, Clock.systemUTC()));
        byte[] message = SipMessageBenchmark.MESSAGE.getBytes(StandardCharsets.UTF_8);

        Batches.Operation peer = () -> new StringMsgParser().parseSIPMessage(message, true, false, null);
        Map<String, Batches.Operation> translations = new LinkedHashMap<>();
        translations.put("xmppToPidf", () -> translator.xmppToPidf(BenchmarkDocuments.XMPP_PRESENCE));
        translations.put("xmppToCategories", () -> translator.xmppToCategories(BenchmarkDocuments.XMPP_PRESENCE));
        translations.put("pidfToXmpp", () -> translator.pidfToXmpp(BenchmarkDocuments.PIDF));
        translations.put("categoriesToXmpp", () -> translator.categoriesToXmpp(BenchmarkDocuments.CATEGORIES));

        long warmEnd = System.nanoTime() + WARM_UP_SECONDS * 1_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            batch(peer);
            for (Batches.Operation t : translations.values()) {
                batch(t);
            }
        }

        List<Double> peerTimes = new ArrayList<>();
        Map<String, List<Double>> times = new LinkedHashMap<>();
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        for (String name : translations.keySet()) {
            times.put(name, new ArrayList<>());
            ratios.put(name, new ArrayList<>());
        }
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        for (int round = 0; System.nanoTime() < end; round++) {
            // peer, then each translation, then the peer again: every translation batch is compared with the mean
            // of the peer batches around it (a round is about 120 ms)
            double before = batch(peer);
            Map<String, Double> inRound = new LinkedHashMap<>();
            for (Map.Entry<String, Batches.Operation> t : translations.entrySet()) {
                inRound.put(t.getKey(), batch(t.getValue()));
            }
            double after = batch(peer);
            double peerMean = (before + after) / 2;
            peerTimes.add(before);
            peerTimes.add(after);
            for (Map.Entry<String, Double> r : inRound.entrySet()) {
                times.get(r.getKey()).add(r.getValue());
                ratios.get(r.getKey()).add(r.getValue() / peerMean);
            }
        }

        System.out.printf("peer (JAIN-SIP parse of a MESSAGE): batches p10 %.2f  median %.2f  p90 %.2f µs; reference %.2f µs%n",
                micros(peerTimes, 10), micros(peerTimes, 50), micros(peerTimes, 90), REFERENCE_PEER_NANOS / 1000);
        System.out.printf("%-18s %-30s %-34s %s%n", "translation", "ratio to peer: median (p90)",
                "batches µs: p10 / median / p90", "at reference speed µs");
        for (String name : translations.keySet()) {
            double median = Batches.percentile(ratios.get(name), 50);
            System.out.printf("%-18s %-30s %-34s %.2f%n", name,
                    String.format("%.3f (%.3f)", median, Batches.percentile(ratios.get(name), 90)),
                    String.format("%.2f / %.2f / %.2f", micros(times.get(name), 10), micros(times.get(name), 50),
                            micros(times.get(name), 90)),
                    median * REFERENCE_PEER_NANOS / 1000);
        }
        System.out.printf("%d rounds%n", peerTimes.size() / 2);
    }

    private static double micros(List<Double> nanos, int percentile) {
        return Batches.percentile(nanos, percentile) / 1000;
    }

    /** Mean ns per operation over one batch. */
    private static double batch(Batches.Operation operation) throws Throwable {
        return Batches.meanNanos(operation, BATCH_NANOS, 16);
    }
}
