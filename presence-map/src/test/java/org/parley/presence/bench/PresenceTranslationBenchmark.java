package org.parley.presence.bench;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.parley.presence.MappingException;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.lync.CategoriesCodec;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.pidf.PidfCodec;
import org.parley.presence.testing.BenchmarkDocuments;
import org.parley.presence.translate.PresenceTranslator;
import org.parley.presence.xml.SafeXmlParser;
import org.parley.presence.xmpp.XmppPresenceCodec;

/**
 * Cost of one whole presence translation (parse, map addresses, render) and of address mapping.
 * Run: {@code ./mvnw -B -pl presence-map -am -Pbench -DskipTests verify} (figures in docs/performance.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PresenceTranslationBenchmark {

    static final String XMPP_PRESENCE = BenchmarkDocuments.XMPP_PRESENCE;
    static final String PIDF = BenchmarkDocuments.PIDF;
    static final String CATEGORIES = BenchmarkDocuments.CATEGORIES;

    private PresenceTranslator translator;
    private AddressMapper mapper;
    private CategoriesCodec categories;
    private XmppPresenceCodec xmpp;
    private PresenceUpdate fromLync;

    @Setup
    public void setUp() throws MappingException {
        mapper = AddressMapper.forDomains(List.of("contoso.com", "xmpp.test"));
        SafeXmlParser parser = new SafeXmlParser();
        categories = new CategoriesCodec(parser, mapper, Clock.systemUTC());
        xmpp = new XmppPresenceCodec(parser, mapper);
        translator = new PresenceTranslator(mapper, xmpp, new PidfCodec(parser, mapper), categories);
        PresenceUpdate decoded = categories.decode(CATEGORIES);
        fromLync = decoded.withFrom(mapper.toXmpp(decoded.from()));
    }

    /** Part of {@link #categoriesToXmpp}: parse + read the categories document (no address mapping, no rendering). */
    @Benchmark
    public PresenceUpdate decodeCategories() throws MappingException {
        return categories.decode(CATEGORIES);
    }

    /** Part of {@link #categoriesToXmpp}: render the XMPP presence of an already mapped update. */
    @Benchmark
    public String encodeXmppPresence() {
        return xmpp.encode(fromLync);
    }

    @Benchmark
    public String xmppToPidf() throws MappingException {
        return translator.xmppToPidf(XMPP_PRESENCE);
    }

    @Benchmark
    public String pidfToXmpp() throws MappingException {
        return translator.pidfToXmpp(PIDF);
    }

    @Benchmark
    public String xmppToCategories() throws MappingException {
        return translator.xmppToCategories(XMPP_PRESENCE);
    }

    @Benchmark
    public String categoriesToXmpp() throws MappingException {
        return translator.categoriesToXmpp(CATEGORIES);
    }

    @Benchmark
    public String jidToSipUri() throws MappingException {
        return mapper.jidToSipUri("D\\27Artagnan@xmpp.test/balcony");
    }

    @Benchmark
    public String sipUriToJid() throws MappingException {
        return mapper.sipUriToJid("\"Alice\" <sip:Alice@contoso.com;opaque=user:epid:Bq4pK4Ma8V2W2GRjC7Sm_gAA;gruu>");
    }
}
