package org.parley.presence.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.parley.presence.testing.Batches;
import org.parley.presence.testing.BenchmarkDocuments;

/**
 * Same-JVM A/B of two builds of presence-map: each build in its own class loader, 20 ms batches of one
 * translation alternated between them, so both see the same machine noise (these VMs change speed by up to 2x
 * for seconds at a time, more than most changes are worth). Prints the median of the paired B/A ratios and each
 * side's batch distribution. Not a test and not JMH: a tool to decide whether a change pays.
 *
 * <pre>
 * ./mvnw -o -q -pl presence-map compile &amp;&amp; cp -r presence-map/target/classes /tmp/A   # before the change
 * ./mvnw -o -q -pl presence-map test-compile &amp;&amp; cp -r presence-map/target/classes /tmp/B   # after it
 * java -cp presence-map/target/test-classes org.parley.presence.bench.SameJvmAb /tmp/A /tmp/B categoriesToXmpp 30
 * </pre>
 * The method is any {@code PresenceTranslator} method taking one body ({@code categoriesToXmpp}, {@code pidfToXmpp},
 * {@code xmppToPidf}, {@code xmppToCategories}); inputs are {@link BenchmarkDocuments}.
 */
public final class SameJvmAb {

    private static final long BATCH_NANOS = 20_000_000L;
    /** One instant for both builds, so that their msrtc bodies (which carry a publishTime) can be compared. */
    private static final Clock FIXED_CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC);
    private static final int WARM_UP_ROUNDS = 150;

    private SameJvmAb() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            System.err.println("usage: SameJvmAb <classes dir A> <classes dir B> [translation] [seconds]");
            System.exit(2);
        }
        String method = args.length > 2 ? args[2] : "categoriesToXmpp";
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        String input = inputFor(method);
        MethodHandle[] sides = {translation(Path.of(args[0]), method), translation(Path.of(args[1]), method)};
        Object a = sides[0].invokeExact(input);
        Object b = sides[1].invokeExact(input);
        if (!a.equals(b)) {
            System.out.println("the two builds translate differently:\nA " + a + "\nB " + b);
        }
        for (int i = 0; i < WARM_UP_ROUNDS; i++) {
            batch(sides[0], input);
            batch(sides[1], input);
        }
        List<Double> timesA = new ArrayList<>();
        List<Double> timesB = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        for (int round = 0; System.nanoTime() < end; round++) {
            // alternate which side goes first, so neither always runs right after a GC or a phase change
            double first = batch(sides[round & 1], input);
            double second = batch(sides[1 - (round & 1)], input);
            double ta = (round & 1) == 0 ? first : second;
            double tb = (round & 1) == 0 ? second : first;
            timesA.add(ta);
            timesB.add(tb);
            ratios.add(tb / ta);
        }
        System.out.printf("%s paired B/A: median %.3f (p25 %.3f, p75 %.3f) over %d rounds%n", method,
                Batches.percentile(ratios, 50), Batches.percentile(ratios, 25), Batches.percentile(ratios, 75), ratios.size());
        printDistribution("A " + args[0], timesA);
        printDistribution("B " + args[1], timesB);
    }

    private static String inputFor(String method) {
        if (method.startsWith("categories")) {
            return BenchmarkDocuments.CATEGORIES;
        }
        if (method.startsWith("pidf")) {
            return BenchmarkDocuments.PIDF;
        }
        return BenchmarkDocuments.XMPP_PRESENCE;
    }

    /** {@code PresenceTranslator.<method>(String)} of the build in {@code classes}, as {@code (String)Object}. */
    private static MethodHandle translation(Path classes, String method) throws Exception {
        ClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        Class<?> mapperType = loader.loadClass("org.parley.presence.address.AddressMapper");
        Object mapper = mapperType.getMethod("forDomains", Collection.class).invoke(null, List.of("contoso.com", "xmpp.test"));
        Class<?> parserType = loader.loadClass("org.parley.presence.xml.SafeXmlParser");
        Object parser = parserType.getConstructor().newInstance();
        Class<?> categoriesType = loader.loadClass("org.parley.presence.lync.CategoriesCodec");
        Object categories = categoriesType.getConstructor(parserType, mapperType, Clock.class)
                .newInstance(parser, mapper, FIXED_CLOCK);
        Class<?> xmppType = loader.loadClass("org.parley.presence.xmpp.XmppPresenceCodec");
        Object xmpp = xmppType.getConstructor(parserType, mapperType).newInstance(parser, mapper);
        Class<?> pidfType = loader.loadClass("org.parley.presence.pidf.PidfCodec");
        Object pidf = pidfType.getConstructor(parserType, mapperType).newInstance(parser, mapper);
        Class<?> translatorType = loader.loadClass("org.parley.presence.translate.PresenceTranslator");
        Object translator = translatorType.getConstructor(mapperType, xmppType, pidfType, categoriesType)
                .newInstance(mapper, xmpp, pidf, categories);
        return MethodHandles.publicLookup()
                .findVirtual(translatorType, method, MethodType.methodType(String.class, String.class))
                .bindTo(translator)
                .asType(MethodType.methodType(Object.class, String.class));
    }

    private static void printDistribution(String side, List<Double> times) {
        System.out.printf("%s: best %.0f  p10 %.0f  p25 %.0f  median %.0f ns%n", side, Batches.percentile(times, 0),
                Batches.percentile(times, 10), Batches.percentile(times, 25), Batches.percentile(times, 50));
    }

    /** Mean ns per translation over one batch. */
    private static double batch(MethodHandle translation, String input) throws Throwable {
        return Batches.meanNanos(() -> (Object) translation.invokeExact(input), BATCH_NANOS, 64);
    }
}
