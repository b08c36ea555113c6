package org.parley.presence.properties;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.parley.presence.MappingException;
import org.parley.presence.aggregate.PresenceAggregator;
import org.parley.presence.lync.LyncAvailability;
import org.parley.presence.model.Address;
import org.parley.presence.model.Availability;
import org.parley.presence.model.LocalizedText;
import org.parley.presence.model.LyncState;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.xmpp.XmppShow;

/**
 * Presence through each body format: exact on the lossless path, equal to the documented table
 * projection on the lossy ones.
 */
class PresenceRoundTripProperties {

    private final Fixtures f = new Fixtures();
    private static final Address JULIET = Address.xmpp("juliet", "xmpp.test", "balcony");

    /** Lync → XMPP (with Parley's extension) → Lync: the exact state and note survive. */
    @Property(tries = 1000)
    void lyncStateSurvivesXmppExactly(@ForAll("lyncStates") LyncState state, @ForAll("texts") List<LocalizedText> texts)
            throws MappingException {
        PresenceUpdate fromLync = new PresenceUpdate(Address.sip("alice", "contoso.com"), null,
                LyncAvailability.decode(state.availability()), 0, texts, null, state);

        String stanza = f.xmpp.encode(fromLync.withFrom(f.mapper.toXmpp(fromLync.from())));
        PresenceUpdate viaXmpp = (PresenceUpdate) f.xmpp.decode(stanza);
        String body = f.categories.encode(viaXmpp.withFrom(f.mapper.toSip(viaXmpp.from())));
        PresenceUpdate back = f.categories.decode(body);

        assertThat(back.lyncState()).isEqualTo(state);
        assertThat(back.availability()).isEqualTo(LyncAvailability.decode(state.availability()));
        if (!texts.isEmpty()) {
            assertThat(back.statusTexts()).isEqualTo(texts);
        }
    }

    /** XMPP → msrtc → XMPP without the extension follows the availability tables. */
    @Property(tries = 500)
    void xmppThroughCategoriesFollowsTheTable(@ForAll Availability availability, @ForAll("texts") List<LocalizedText> texts)
            throws MappingException {
        PresenceUpdate sent = new PresenceUpdate(JULIET, null, availability, 0, texts, null, null);
        String body = f.categories.encode(sent.withFrom(f.mapper.toSip(JULIET)));
        PresenceUpdate back = f.categories.decode(body);

        assertThat(back.availability()).isEqualTo(LyncAvailability.decode(LyncAvailability.encode(availability)));
        assertThat(back.statusTexts()).isEqualTo(texts);
    }

    /** XMPP → PIDF → XMPP: the rendered {@code <show/>} is the one the PIDF table documents. */
    @Property(tries = 500)
    void xmppThroughPidfFollowsTheTable(@ForAll Availability availability, @ForAll("texts") List<LocalizedText> texts)
            throws MappingException {
        PresenceUpdate sent = new PresenceUpdate(JULIET, null, availability, 0, texts, null, null);
        String body = f.pidf.encode(sent.withFrom(f.mapper.toSip(JULIET)));
        PresenceUpdate back = PresenceAggregator.aggregate(f.pidf.decode(body));

        assertThat(back.availability()).isEqualTo(pidfProjection(availability));
        assertThat(XmppShow.encodeShow(back.availability())).isEqualTo(XmppShow.encodeShow(pidfProjection(availability)));
        assertThat(back.statusTexts()).isEqualTo(texts);
    }

    /** XMPP → model → XMPP is exact for what XMPP can say. */
    @Property(tries = 500)
    void xmppStanzaRoundTrips(@ForAll("xmppAvailabilities") Availability availability,
                              @ForAll("texts") List<LocalizedText> texts,
                              @ForAll("priorities") int priority) throws MappingException {
        int p = availability == Availability.OFFLINE ? 0 : priority;
        PresenceUpdate sent = new PresenceUpdate(JULIET, null, availability, p, texts, null, null);
        PresenceUpdate back = (PresenceUpdate) f.xmpp.decode(f.xmpp.encode(sent));
        assertThat(back).isEqualTo(sent);
    }

    /** The documented PIDF projection (RpidActivities javadoc, docs/presence-mapping.md). */
    static Availability pidfProjection(Availability a) {
        return switch (a) {
            case FREE_FOR_CHAT, AVAILABLE -> Availability.AVAILABLE;
            case IDLE -> Availability.IDLE;
            case BUSY, DO_NOT_DISTURB -> Availability.BUSY;
            case BUSY_IDLE -> Availability.BUSY_IDLE;
            case BE_RIGHT_BACK, AWAY, EXTENDED_AWAY -> Availability.AWAY;
            case OFFLINE, UNKNOWN -> Availability.OFFLINE;
        };
    }

    @Provide
    Arbitrary<LyncState> lyncStates() {
        Arbitrary<Integer> numbers = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 20000),
                Arbitraries.of(2999, 3000, 4499, 4500, 5999, 6000, 7499, 7500, 8999, 9000, 11999, 12000, 14999, 15000, 17999, 18000),
                Arbitraries.integers().between(0, Integer.MAX_VALUE));
        Arbitrary<String> tokens = Arbitraries.oneOf(
                Arbitraries.just(null),
                Arbitraries.of("in-a-meeting", "on-the-phone", "in-a-conference", "in-presentation", "out-of-office",
                        "urgent-interruptions-only", "Busy", "Away"),
                Arbitraries.strings().withCharRange('a', 'z').withChars('-').ofMinLength(1).ofMaxLength(20)
                        .filter(s -> !s.isBlank()));
        return Combinators.combine(numbers, tokens).as(LyncState::new);
    }

    @Provide
    Arbitrary<List<LocalizedText>> texts() {
        Arbitrary<String> text = Arbitraries.strings()
                .withCharRange('a', 'z').withChars(' ', '&', '<', '>', '"', '\'', 'é', '中', '#')
                .ofMinLength(1).ofMaxLength(30)
                // '#' stands for a character outside the BMP (a surrogate pair in Java)
                .map(s -> s.replace("#", "\uD83D\uDE00").strip()).filter(s -> !s.isEmpty());
        Arbitrary<String> lang = Arbitraries.of("", "en", "fr", "de", "ja", "pt-BR");
        return Combinators.combine(lang, text).as(LocalizedText::new).list().ofMaxSize(4)
                .map(list -> {
                    Map<String, LocalizedText> unique = new LinkedHashMap<>();
                    list.forEach(t -> unique.putIfAbsent(t.lang(), t));
                    return new ArrayList<>(unique.values());
                });
    }

    @Provide
    Arbitrary<Availability> xmppAvailabilities() {
        return Arbitraries.of(Availability.FREE_FOR_CHAT, Availability.AVAILABLE, Availability.AWAY,
                Availability.EXTENDED_AWAY, Availability.DO_NOT_DISTURB, Availability.OFFLINE);
    }

    @Provide
    Arbitrary<Integer> priorities() {
        return Arbitraries.integers().between(-128, 127);
    }
}
