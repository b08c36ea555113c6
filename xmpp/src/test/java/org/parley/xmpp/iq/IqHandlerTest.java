package org.parley.xmpp.iq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.IQ;
import org.xmpp.packet.PacketError;

class IqHandlerTest {

    private final IqHandler handler = new IqHandler(Set.of("lync.test"), "0.1.0");

    private static IQ get(String to, String element, String ns) {
        IQ iq = new IQ(IQ.Type.get, "q1");
        iq.setFrom("juliet@xmpp.test/balcony");
        iq.setTo(to);
        iq.setChildElement(element, ns);
        return iq;
    }

    @Test
    void discoOfTheDomainAdvertisesAGatewayToSip() {
        IQ answer = handler.answer(get("lync.test", "query", IqHandler.DISCO_INFO));
        assertThat(answer.getType()).isEqualTo(IQ.Type.result);
        assertThat(answer.getTo().toString()).isEqualTo("juliet@xmpp.test/balcony");
        assertThat(answer.getID()).isEqualTo("q1");
        assertThat(answer.toXML()).contains("category=\"gateway\"").contains("type=\"sip\"").contains("var=\"urn:xmpp:ping\"");
    }

    @Test
    void discoOfAUserAdvertisesWhatParleyTranslates() {
        IQ answer = handler.answer(get("bob@lync.test", "query", IqHandler.DISCO_INFO));
        assertThat(answer.toXML()).contains("http://jabber.org/protocol/chatstates").contains("urn:xmpp:receipts")
                .contains("urn:parley:lync-state:0").contains("category=\"account\"");
    }

    @Test
    void pingAndVersionAreAnswered() {
        assertThat(handler.answer(get("lync.test", "ping", IqHandler.PING)).getType()).isEqualTo(IQ.Type.result);
        IQ version = handler.answer(get("lync.test", "query", IqHandler.VERSION));
        assertThat(version.getChildElement().elementText("name")).isEqualTo("Parley");
        assertThat(version.getChildElement().elementText("version")).isEqualTo("0.1.0");
    }

    @Test
    void everythingElseIsServiceUnavailableAndResultsAreNotAnswered() {
        IQ vcard = get("bob@lync.test", "vCard", "vcard-temp");
        IQ answer = handler.answer(vcard);
        assertThat(answer.getType()).isEqualTo(IQ.Type.error);
        assertThat(answer.getError().getCondition()).isEqualTo(PacketError.Condition.service_unavailable);
        IQ set = new IQ(IQ.Type.set, "s1");
        set.setTo("lync.test");
        set.setFrom("juliet@xmpp.test");
        set.setChildElement("query", "jabber:iq:register");
        assertThat(handler.answer(set).getError().getCondition()).isEqualTo(PacketError.Condition.service_unavailable);
        assertThat(handler.answer(get("other.test", "query", IqHandler.DISCO_INFO)).getType()).isEqualTo(IQ.Type.error);
        IQ result = new IQ(IQ.Type.result, "r1");
        assertThat(handler.answer(result)).isNull();
    }
}
