package org.parley.xmpp.adapt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.parley.presence.MappingException;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.GatewayEvent;
import org.parley.xmpp.XmppInbound;
import org.parley.xmpp.XmppRefusal;
import org.parley.xmpp.iq.IqHandler;
import org.xmpp.packet.Packet;
import org.xmpp.packet.PacketError;

/** A stanza whose address Tinder cannot parse is the peer's error: answered jid-malformed when possible, never a crash. */
class InboundDispatcherMalformedAddressTest {

    private final List<GatewayEvent> events = new ArrayList<>();
    private final List<Packet> replies = new ArrayList<>();
    private final List<XmppRefusal> refusals = new ArrayList<>();
    private final InboundDispatcher dispatcher = new InboundDispatcher(new XmppToModel(AddressMapper.anyDomain()),
            new IqHandler(Set.of("lync.test"), "test"), new XmppInbound() {
                @Override
                public void onEvent(GatewayEvent event) {
                    events.add(event);
                }

                @Override
                public void onRefused(XmppRefusal refusal) {
                    refusals.add(refusal);
                }
            });

    @Test
    void aMalformedToIsAnsweredJidMalformedFromTheAddressedDomain() throws Exception {
        dispatcher.dispatch(stanza("<message from='juliet@xmpp.test/balcony' to='alice@lync.test/' id='m1' type='chat'><body>hi</body></message>"),
                replies::add);
        assertThat(events).isEmpty();
        assertThat(replies).hasSize(1);
        Packet error = replies.get(0);
        assertThat(error.getError().getCondition()).isEqualTo(PacketError.Condition.jid_malformed);
        assertThat(error.getTo().toString()).isEqualTo("juliet@xmpp.test/balcony");
        assertThat(error.getFrom().toString()).isEqualTo("lync.test");
        assertThat(error.getID()).isEqualTo("m1");
        assertThat(refusals).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo("stanza");
            assertThat(r.condition()).isEqualTo("jid-malformed");
            assertThat(r.id()).isEqualTo("m1");
            assertThat(r.raw()).contains("to=\"alice@lync.test/\"");
            assertThat(r.answer()).contains("jid-malformed");
        });
    }

    @Test
    void aMalformedFromCannotBeAnsweredAndIsDroppedWithoutAnException() throws Exception {
        dispatcher.dispatch(stanza("<presence from='@xmpp.test/' to='alice@lync.test'/>"), replies::add);
        dispatcher.dispatch(stanza("<iq from='juliet@xmpp.test/' to='lync.test' type='get' id='q'><ping xmlns='urn:xmpp:ping'/></iq>"), replies::add);
        assertThat(events).isEmpty();
        assertThat(replies).isEmpty();
        assertThat(refusals).as("unanswerable, but still in the trace").hasSize(2)
                .allSatisfy(r -> assertThat(r.answer()).isNull())
                .allSatisfy(r -> assertThat(r.text()).contains("nobody to answer"));
    }

    @Test
    void theDryRunRefusesItWithATypedError() {
        XmppDryRun dry = new XmppDryRun(new XmppToModel(AddressMapper.anyDomain()), new ModelToXmpp(AddressMapper.anyDomain()));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dry.read("<message from='juliet@xmpp.test/' to='alice@lync.test'><body>x</body></message>"))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("malformed address");
    }

    private static Element stanza(String xml) throws Exception {
        Element root = DocumentHelper.parseText("<stream xmlns='jabber:server'>" + xml + "</stream>").getRootElement();
        return (Element) root.elements().get(0);
    }
}
