package org.parley.presence.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.parley.presence.MappingException;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.error.MsDiagnosticsParser;
import org.parley.presence.lync.CategoriesCodec;
import org.parley.presence.pidf.PidfCodec;
import org.parley.presence.translate.PresenceTranslator;
import org.parley.presence.xml.SafeXmlParser;
import org.parley.presence.xml.XmlLimits;
import org.parley.presence.xmpp.XmppPresenceCodec;

/**
 * Fuzz targets for what arrives from the other organisation: SIP presence bodies (PIDF, msrtc
 * categories), XMPP presence and message stanzas, ms-diagnostics headers and addresses. The contract is the
 * module's: a value or {@link MappingException}, never another exception, never a hang.
 *
 * <p>Under {@code mvn verify} each runs its seed corpus (src/test/resources/.../BodyCodecsFuzzTestInputs)
 * as a regression test; {@code .ci/fuzz} runs each coverage-guided for a bounded time.
 */
class BodyCodecsFuzzTest {

    private final AddressMapper mapper = mapper();
    private final SafeXmlParser parser = new SafeXmlParser(new XmlLimits(64 * 1024, 32, 2_000));
    private final PidfCodec pidf = new PidfCodec(parser, mapper);
    private final CategoriesCodec categories = new CategoriesCodec(parser, mapper, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
    private final XmppPresenceCodec xmpp = new XmppPresenceCodec(parser, mapper);
    private final PresenceTranslator translator = new PresenceTranslator(mapper, xmpp, pidf, categories);

    /** The first byte picks the body kind; the rest is the body, as a peer would send it (UTF-8). */
    @FuzzTest(maxDuration = "60s")
    void bodies(byte[] input) {
        if (input.length == 0) {
            return;
        }
        String body = new String(Arrays.copyOfRange(input, 1, input.length), StandardCharsets.UTF_8);
        try {
            switch (Byte.toUnsignedInt(input[0]) % 6) {
                case 0 -> translator.pidfToXmpp(body);
                case 1 -> translator.categoriesToXmpp(body);
                case 2 -> translator.xmppToPidf(body);
                case 3 -> translator.xmppToCategories(body);
                case 4 -> MsDiagnosticsParser.parse(body, false);
                default -> MsDiagnosticsParser.parse(body, true);
            }
        } catch (MappingException expected) {
            // refused with the typed error: what the gateway turns into a 4xx / stanza error
        }
    }

    private final org.parley.presence.xmpp.XmppMessageCodec messages = new org.parley.presence.xmpp.XmppMessageCodec(parser, mapper);

    /** XMPP message stanzas (the live message codec) and what Parley would write back for them: a value or MappingException. */
    @FuzzTest(maxDuration = "60s")
    void messages(byte[] input) {
        try {
            org.parley.presence.model.GatewayEvent e = messages.decode(new String(input, StandardCharsets.UTF_8));
            if (e instanceof org.parley.presence.model.ChatMessage m) {
                messages.decode(messages.encode(m)); // what Parley writes must read back
            }
        } catch (MappingException expected) {
            // refused with the typed error
        }
    }

    /** Addresses both ways and their round trips: a value or MappingException. */
    @FuzzTest(maxDuration = "60s")
    void addresses(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            mapper.sipUriToJid(mapper.jidToSipUri(text));
        } catch (MappingException expected) {
            // refused
        }
        try {
            mapper.jidToSipUri(mapper.sipUriToJid(text));
        } catch (MappingException expected) {
            // refused
        }
    }

    private static AddressMapper mapper() {
        try {
            return AddressMapper.forDomains(List.of("contoso.com", "xmpp.test"));
        } catch (MappingException e) {
            throw new IllegalStateException(e);
        }
    }
}
