package org.parley.presence.pidf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.presence.MappingException;
import org.parley.presence.MappingException.Reason;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Activity;
import org.parley.presence.model.Availability;
import org.parley.presence.model.LocalizedText;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.xml.SafeXmlParser;

/**
 * What {@link PidfCodec#decode} takes from where in a PIDF document: it reads in one pass, so these
 * cases pin the scoping rules (person data after the tuples still applies to them, only direct
 * children count, first status and basic win, notes merge person → tuple → document).
 */
class PidfCodecDecodeTest {

    private static final String OPEN = "<presence xmlns='urn:ietf:params:xml:ns:pidf' "
            + "xmlns:dm='urn:ietf:params:xml:ns:pidf:data-model' xmlns:rpid='urn:ietf:params:xml:ns:pidf:rpid' "
            + "entity='sip:romeo@contoso.com'>";

    private final PidfCodec codec;

    PidfCodecDecodeTest() throws MappingException {
        codec = new PidfCodec(new SafeXmlParser(), AddressMapper.forDomains(List.of("contoso.com")));
    }

    @Test
    void personDataAfterTheTuplesAppliesToEveryTuple() throws MappingException {
        List<PresenceUpdate> updates = codec.decode(OPEN
                + "<tuple id='desk'><status><basic>open</basic></status></tuple>"
                + "<tuple id='phone'><status><basic>open</basic></status>"
                + "<rpid:activities><rpid:lunch/><rpid:on-the-phone/></rpid:activities></tuple>"
                + "<dm:person id='p'><rpid:activities><rpid:other>x</rpid:other><rpid:note>y</rpid:note>"
                + "<rpid:unknown/></rpid:activities><rpid:user-input> idle </rpid:user-input></dm:person>"
                + "</presence>");

        assertThat(updates).extracting(u -> u.from().instance()).containsExactly("desk", "phone");
        // person tokens come first: "unknown" is skipped as an activity, other/note are never tokens
        assertThat(updates.get(0).availability()).isEqualTo(Availability.IDLE);
        assertThat(updates.get(0).activity()).isNull();
        assertThat(updates.get(1).availability()).isEqualTo(Availability.BUSY_IDLE);
        assertThat(updates.get(1).activity()).isEqualTo(Activity.of("lunch"));
    }

    @Test
    void onlyDirectChildrenAndTheFirstStatusAndBasicCount() throws MappingException {
        List<PresenceUpdate> updates = codec.decode(OPEN
                + "<tuple id='t'><status><x><basic>open</basic></x><basic>closed</basic><basic>open</basic></status>"
                + "<status><basic>open</basic></status>"
                + "<ext><rpid:activities><rpid:busy/></rpid:activities><note>nested note</note></ext>"
                + "<rpid:activities><other:busy xmlns:other='urn:example'/><rpid:away/></rpid:activities></tuple>"
                + "<tuple id='u'><status><basic> open </basic></status>"
                + "<rpid:activities><rpid:busy/></rpid:activities></tuple>"
                + "</presence>");

        assertThat(updates.get(0).availability()).isEqualTo(Availability.OFFLINE);
        assertThat(updates.get(0).statusTexts()).isEmpty();
        assertThat(updates.get(0).activity()).isEqualTo(Activity.of("away"));
        assertThat(updates.get(1).availability()).isEqualTo(Availability.BUSY);
    }

    @Test
    void notesMergePersonThenTupleThenDocumentOneTextPerLanguage() throws MappingException {
        List<PresenceUpdate> updates = codec.decode(OPEN
                + "<note xml:lang='en'>document en</note><note xml:lang='it'>documento</note><note>   </note>"
                + "<tuple id='t'><status><basic>open</basic></status>"
                + "<note xml:lang='en'>tuple en</note><note xml:lang='fr'>tuple fr</note><note xml:lang='fr'>second fr</note></tuple>"
                + "<dm:person><dm:note xml:lang='fr'> personne </dm:note><dm:note xml:lang='fr'>encore</dm:note></dm:person>"
                + "</presence>");

        assertThat(updates).singleElement().extracting(PresenceUpdate::statusTexts).isEqualTo(List.of(
                new LocalizedText("fr", "personne"), new LocalizedText("en", "tuple en"), new LocalizedText("it", "documento")));
    }

    @Test
    void aDocumentWithoutTuplesIsOneOfflineUpdateWithThePersonNotes() throws MappingException {
        List<PresenceUpdate> updates = codec.decode(OPEN
                + "<dm:person><rpid:activities><rpid:meeting/></rpid:activities><dm:note>In a meeting</dm:note></dm:person>"
                + "<note>fallback</note></presence>");

        assertThat(updates).singleElement().satisfies(u -> {
            assertThat(u.from().instance()).isNull();
            assertThat(u.availability()).isEqualTo(Availability.OFFLINE);
            assertThat(u.statusTexts()).extracting(LocalizedText::text).containsExactly("In a meeting");
            assertThat(u.activity()).isEqualTo(Activity.of("meeting"));
        });
    }

    @Test
    void aForeignRootIsUnsupportedButAMalformedDocumentIsMalformedWhateverItsRoot() {
        assertThatThrownBy(() -> codec.decode("<presence xmlns='jabber:client'/>"))
                .isInstanceOfSatisfying(MappingException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_BODY));
        assertThatThrownBy(() -> codec.decode("<presence xmlns='jabber:client'><a></b></presence>"))
                .isInstanceOfSatisfying(MappingException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_BODY));
        assertThatThrownBy(() -> codec.decode(OPEN + "<tuple id='t'><status><basic>open</basic></status></tuple>"))
                .isInstanceOfSatisfying(MappingException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_BODY));
        assertThatThrownBy(() -> codec.decode(OPEN.replace("entity='sip:romeo@contoso.com'", "") + "</presence>"))
                .isInstanceOfSatisfying(MappingException.class, e -> assertThat(e.getMessage()).contains("without 'entity'"));
    }
}
