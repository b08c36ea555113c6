package org.parley.presence.xmpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.presence.MappingException;
import org.parley.presence.MappingException.Reason;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Availability;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.ErrorType;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.LocalizedText;
import org.parley.presence.model.LyncState;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.xml.SafeXmlParser;

/**
 * Which children of a {@code <presence/>} {@link XmppPresenceCodec#decode} takes: it reads in one
 * pass, so these cases pin the rules (stanza namespace only, first show / priority / extension wins,
 * status texts kept as sent, children of children ignored).
 */
class XmppPresenceCodecDecodeTest {

    private final XmppPresenceCodec codec;

    XmppPresenceCodecDecodeTest() throws MappingException {
        codec = new XmppPresenceCodec(new SafeXmlParser(), AddressMapper.forDomains(List.of("xmpp.test", "contoso.com")));
    }

    @Test
    void firstShowPriorityAndExtensionWinAndForeignOrNestedChildrenAreIgnored() throws MappingException {
        PresenceUpdate p = (PresenceUpdate) codec.decode("<presence xmlns='jabber:client' from='Juliet@xmpp.test/balcony'>"
                + "<show xmlns='urn:example'>chat</show><x><show>xa</show><priority>9</priority></x>"
                + "<show> dnd </show><show>away</show><priority> -5 </priority><priority>7</priority>"
                + "<status xml:lang='fr'> Parti </status><status>Gone</status>"
                + "<lync-state xmlns='urn:parley:lync-state:0' availability='12000' activity='BeRightBack'/>"
                + "<lync-state xmlns='urn:parley:lync-state:0' availability='6500'/>"
                + "</presence>");

        assertThat(p.from().user()).isEqualTo("juliet");
        assertThat(p.lyncState()).isEqualTo(new LyncState(12000, "BeRightBack"));
        assertThat(p.availability()).isEqualTo(Availability.BE_RIGHT_BACK);
        assertThat(p.priority()).isEqualTo(-5);
        assertThat(p.statusTexts()).containsExactly(new LocalizedText("fr", " Parti "), new LocalizedText("", "Gone"));
    }

    @Test
    void theShowDecidesWithoutTheExtensionAndAnUnusableExtensionIsIgnored() throws MappingException {
        PresenceUpdate p = (PresenceUpdate) codec.decode("<presence xmlns='jabber:server' from='juliet@xmpp.test'>"
                + "<lync-state xmlns='urn:parley:lync-state:0' availability='-3'/><show>dnd</show></presence>");

        assertThat(p.lyncState()).isNull();
        assertThat(p.availability()).isEqualTo(Availability.DO_NOT_DISTURB);
    }

    @Test
    void anErrorPresenceReadsTheFirstErrorChildInAnyNamespace() throws MappingException {
        GatewayError e = (GatewayError) codec.decode("<presence xmlns='jabber:server' type='error' id='p1' "
                + "from='juliet@xmpp.test' to='alice@contoso.com'><status>ignored</status>"
                + "<error type='auth' xmlns='urn:example'><forbidden xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
                + "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>no</text></error>"
                + "<error type='wait'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>");

        assertThat(e.condition()).isEqualTo(ErrorCondition.FORBIDDEN);
        assertThat(e.type()).isEqualTo(ErrorType.AUTH);
        assertThat(e.text()).isEqualTo("no");
        assertThat(e.correlationId()).isEqualTo("p1");
    }

    @Test
    void checksKeepTheirOrderAndAMalformedStanzaIsMalformedFirst() {
        assertThatThrownBy(() -> codec.decode("<presence xmlns='jabber:client'><priority>x</priority></presence>"))
                .hasMessageContaining("without 'from'");
        assertThatThrownBy(() -> codec.decode("<presence xmlns='jabber:client' from='juliet@xmpp.test'><priority>x</priority></presence>"))
                .hasMessageContaining("'x' is not an integer");
        assertThatThrownBy(() -> codec.decode("<message xmlns='jabber:client' from='juliet@xmpp.test'/>"))
                .hasMessageContaining("expected a <presence/> stanza");
        assertThatThrownBy(() -> codec.decode("<presence xmlns='jabber:client'><show></status></presence>"))
                .isInstanceOfSatisfying(MappingException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_BODY);
                    assertThat(e.getMessage()).startsWith("malformed XML");
                });
    }
}
