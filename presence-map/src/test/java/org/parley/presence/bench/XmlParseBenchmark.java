package org.parley.presence.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.parley.presence.MappingException;
import org.parley.presence.xml.SafeXmlParser;
import org.parley.presence.xml.XmlElement;

/** The share of a translation spent in XML parsing alone. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class XmlParseBenchmark {

    private final SafeXmlParser parser = new SafeXmlParser();

    @Benchmark
    public XmlElement parsePidf() throws MappingException {
        return parser.parse(PresenceTranslationBenchmark.PIDF);
    }

    @Benchmark
    public XmlElement parseCategories() throws MappingException {
        return parser.parse(PresenceTranslationBenchmark.CATEGORIES);
    }

    @Benchmark
    public XmlElement parseXmppPresence() throws MappingException {
        return parser.parse(PresenceTranslationBenchmark.XMPP_PRESENCE);
    }
}
