package org.parley.presence.properties;

import static org.assertj.core.api.Assertions.assertThatCode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.parley.presence.MappingException;
import org.parley.presence.error.MsDiagnosticsParser;

/**
 * Every parser either returns a value or throws {@link MappingException}: arbitrary text and
 * mutations of valid documents never surface as another exception (which would become a 500
 * or kill a connection thread).
 */
class ParsersNeverThrowProperties {

    private static final String PIDF = "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\" "
            + "xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\" entity=\"sip:romeo@contoso.com\"><tuple id=\"t1\"><status><basic>open</basic></status>"
            + "<note xml:lang=\"en\">Lunch</note></tuple><dm:person id=\"p\"><rpid:activities><rpid:away/></rpid:activities></dm:person></presence>";
    private static final String CATEGORIES = "<categories xmlns=\"http://schemas.microsoft.com/2006/09/sip/categories\" uri=\"sip:alice@contoso.com\">"
            + "<category name=\"state\" instance=\"0\" publishTime=\"2026-01-02T03:00:00.000\"><state xmlns=\"http://schemas.microsoft.com/2006/09/sip/state\" "
            + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"aggregateState\"><availability>6500</availability>"
            + "<activity token=\"in-a-meeting\"/></state></category><category name=\"note\" instance=\"0\"><note xmlns=\"http://schemas.microsoft.com/2006/09/sip/note\">"
            + "<body type=\"personal\" uri=\"\">Hi</body></note></category></categories>";
    private static final String PRESENCE = "<presence xmlns=\"jabber:server\" from=\"juliet@xmpp.test/balcony\" to=\"romeo@contoso.com\">"
            + "<show>away</show><status xml:lang=\"en\">Out</status><priority>5</priority>"
            + "<lync-state xmlns=\"urn:parley:lync-state:0\" availability=\"6500\" activity=\"on-the-phone\"/></presence>";

    private final Fixtures f = new Fixtures();

    @Property(tries = 1500)
    void xmlBodyParsersOnlyThrowMappingException(@ForAll("mutatedDocuments") String input) {
        onlyMappingException(() -> f.pidf.decode(input));
        onlyMappingException(() -> f.categories.decode(input));
        onlyMappingException(() -> f.xmpp.decode(input));
    }

    @Property(tries = 1500)
    void addressParsersOnlyThrowMappingException(@ForAll("addressLike") String input) {
        onlyMappingException(() -> f.mapper.parseJid(input));
        onlyMappingException(() -> f.mapper.parseSipUri(input));
        onlyMappingException(() -> f.mapper.jidToSipUri(input));
        onlyMappingException(() -> f.mapper.sipUriToJid(input));
    }

    @Property(tries = 1500)
    void msDiagnosticsParserOnlyThrowsMappingException(@ForAll("headerLike") String input) {
        onlyMappingException(() -> MsDiagnosticsParser.parse(input, true));
    }

    private static void onlyMappingException(ThrowingCallable call) {
        assertThatCode(() -> {
            try {
                call.call();
            } catch (MappingException expected) {
                // the one allowed failure
            }
        }).doesNotThrowAnyException();
    }

    @Provide
    Arbitrary<String> mutatedDocuments() {
        Arbitrary<String> base = Arbitraries.of(PIDF, CATEGORIES, PRESENCE);
        Arbitrary<String> noise = Arbitraries.strings().ofMaxLength(8)
                .withChars('<', '>', '/', '"', '&', ';', '#', '=', ':', ' ', 'x', '\u0000', '\uD800', '\uFFFF', ']', '!');
        Arbitrary<String> mutated = base.flatMap(doc -> Arbitraries.integers().between(0, doc.length())
                .flatMap(at -> Arbitraries.integers().between(0, 12)
                        .flatMap(cut -> noise.map(n -> doc.substring(0, at) + n + doc.substring(Math.min(doc.length(), at + cut))))));
        return Arbitraries.oneOf(mutated, Arbitraries.strings().ofMaxLength(200), base);
    }

    @Provide
    Arbitrary<String> addressLike() {
        return Arbitraries.strings().ofMaxLength(60)
                .withChars('s', 'i', 'p', ':', '@', '/', '%', ';', '=', '<', '>', '"', '[', ']', '.', 'a', 'Z', '0', '\\', ' ', 'é',
                        '\u0000', '\uD800', '\u200B', '\uFF21', 't', 'e', 'l', '?', '-');
    }

    @Provide
    Arbitrary<String> headerLike() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(80).withChars('1', '0', '3', ';', '=', '"', '\\', 'r', 'e', 'a', 's', 'o', 'n', ' ', ','),
                Arbitraries.strings().ofMaxLength(80));
    }
}
