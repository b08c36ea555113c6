package org.parley.presence.golden;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.parley.presence.MappingException;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.error.ErrorMapping;
import org.parley.presence.error.MsDiagnosticsParser;
import org.parley.presence.lync.CategoriesCodec;
import org.parley.presence.lync.LyncAvailability;
import org.parley.presence.model.Availability;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.pidf.PidfCodec;
import org.parley.presence.translate.PresenceTranslator;
import org.parley.presence.xml.SafeXmlParser;
import org.parley.presence.xmpp.XmppPresenceCodec;
import org.parley.presence.xmpp.XmppShow;

/** The translation each golden table checks. Errors render as {@code ERROR <reason>}. */
final class GoldenTranslations {

    interface Translation {
        String apply(String input) throws MappingException;
    }

    static final List<String> DOMAINS = List.of("contoso.com", "xmpp.test", "example.com", "fabrikam.com", "münchen.de");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC);

    private final Map<String, Translation> tables;

    GoldenTranslations() throws MappingException {
        AddressMapper mapper = AddressMapper.forDomains(DOMAINS);
        SafeXmlParser parser = new SafeXmlParser();
        XmppPresenceCodec xmpp = new XmppPresenceCodec(parser, mapper);
        org.parley.presence.xmpp.XmppMessageCodec messages = new org.parley.presence.xmpp.XmppMessageCodec(parser, mapper);
        PidfCodec pidf = new PidfCodec(parser, mapper);
        CategoriesCodec categories = new CategoriesCodec(parser, mapper, CLOCK);
        PresenceTranslator translator = new PresenceTranslator(mapper, xmpp, pidf, categories);

        tables = Map.ofEntries(
                Map.entry("jid-to-sip", mapper::jidToSipUri),
                Map.entry("sip-to-jid", mapper::sipUriToJid),
                Map.entry("xmpp-error-to-sip", in -> Integer.toString(ErrorMapping.toSipStatus(condition(in)))),
                Map.entry("sip-error-to-xmpp", in -> ErrorMapping.toXmppCondition(Integer.parseInt(in)).xmppName()),
                Map.entry("lync-availability-to-model", in -> LyncAvailability.decode(Integer.parseInt(in)).name()),
                Map.entry("model-to-lync-availability", in -> Integer.toString(LyncAvailability.encode(Availability.valueOf(in)))),
                Map.entry("model-to-xmpp-show", in -> {
                    Availability a = Availability.valueOf(in);
                    if (XmppShow.encodesAsUnavailable(a)) {
                        return "type=unavailable";
                    }
                    String show = XmppShow.encodeShow(a);
                    return show == null ? "available" : "show=" + show;
                }),
                Map.entry("ms-diagnostics", in -> MsDiagnosticsParser.parse(in, false).toString()),
                Map.entry("xmpp-to-model", in -> xmpp.decode(in).toString()),
                // a message stanza → the model event → the stanza Parley writes for it (both directions of the live codec)
                Map.entry("xmpp-message", in -> {
                    org.parley.presence.model.GatewayEvent e = messages.decode(in);
                    return e + "\n" + encode(messages, e);
                }),
                Map.entry("xmpp-to-pidf", translator::xmppToPidf),
                Map.entry("pidf-to-xmpp", translator::pidfToXmpp),
                Map.entry("xmpp-to-msrtc", translator::xmppToCategories),
                Map.entry("msrtc-to-xmpp", translator::categoriesToXmpp),
                Map.entry("xmpp-aggregate-to-pidf", in -> translator.aggregateXmppToPidf(split(in))),
                Map.entry("xml-safety", in -> {
                    parser.parse(in);
                    return "ACCEPTED";
                }));
    }

    String translate(String table, String input) {
        Translation t = tables.get(table);
        if (t == null) {
            throw new IllegalStateException("no translation for golden table '" + table + "'");
        }
        try {
            return t.apply(input);
        } catch (MappingException e) {
            return "ERROR " + e.reason();
        }
    }

    private static ErrorCondition condition(String name) {
        return ErrorCondition.fromXmppName(name.toLowerCase(Locale.ROOT))
                .orElseThrow(() -> new IllegalArgumentException("unknown condition " + name));
    }

    /** Inputs that hold several stanzas separate them with a line of three dashes. */
    private static List<String> split(String in) {
        List<String> parts = new ArrayList<>();
        for (String p : in.split("(?m)^---\\s*$")) {
            if (!p.isBlank()) {
                parts.add(p.strip());
            }
        }
        return parts;
    }

    private static String encode(org.parley.presence.xmpp.XmppMessageCodec codec, org.parley.presence.model.GatewayEvent e) {
        if (e instanceof org.parley.presence.model.ChatMessage m) {
            return codec.encode(m);
        }
        if (e instanceof org.parley.presence.model.ChatStateChange c) {
            return codec.encode(c);
        }
        if (e instanceof org.parley.presence.model.Receipt r) {
            return codec.encode(r);
        }
        return codec.encode((org.parley.presence.model.GatewayError) e);
    }
}
