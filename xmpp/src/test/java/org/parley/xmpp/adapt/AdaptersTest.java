package org.parley.xmpp.adapt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.Availability;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatState;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.LocalizedText;
import org.parley.presence.model.LyncState;
import org.parley.presence.model.MessageKind;
import org.parley.presence.model.MsDiagnostics;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.model.Receipt;
import org.parley.presence.model.SubscriptionAction;
import org.parley.presence.model.SubscriptionEvent;
import org.parley.xmpp.stream.StanzaReader;
import org.parley.xmpp.stream.StreamEvent;
import org.parley.xmpp.stream.StreamLimits;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.PacketError;
import org.xmpp.packet.Presence;

class AdaptersTest {

    private static final Address JULIET = Address.xmpp("juliet", "xmpp.test", "balcony");
    private static final Address ALICE = Address.xmpp("alice", "contoso.com");

    private final AddressMapper mapper;
    private final XmppToModel in;
    private final ModelToXmpp out;

    AdaptersTest() throws Exception {
        mapper = AddressMapper.forDomains(List.of("xmpp.test", "contoso.com"));
        in = new XmppToModel(mapper);
        out = new ModelToXmpp(mapper);
    }

    /** What Parley writes, read back as a stanza arrives: a Tinder packet of the rendered text. */
    private Packet rendered(GatewayEvent e) {
        try {
            return StanzaPackets.of(org.dom4j.DocumentHelper.parseText(out.render(e)).getRootElement());
        } catch (Exception x) {
            throw new AssertionError("unreadable rendering of " + e + ": " + out.render(e), x);
        }
    }

    private GatewayEvent roundTrip(GatewayEvent e) {
        Packet p = rendered(e);
        InboundResult r = in.translate(p);
        assertThat(r).as(p.toXML()).isInstanceOf(InboundResult.Event.class);
        return ((InboundResult.Event) r).event();
    }

    @Test
    void presenceWithLanguagesPriorityAndLyncStateRoundTrips() {
        PresenceUpdate p = new PresenceUpdate(ALICE, JULIET, Availability.BUSY, 5,
                List.of(new LocalizedText("en", "In a meeting"), new LocalizedText("fr", "En réunion")), null, new LyncState(6500, "in-a-meeting"));
        PresenceUpdate back = (PresenceUpdate) roundTrip(p);
        assertThat(back.lyncState()).isEqualTo(new LyncState(6500, "in-a-meeting"));
        assertThat(back.availability()).isEqualTo(Availability.BUSY);
        assertThat(back.statusTexts()).isEqualTo(p.statusTexts());
        assertThat(back.priority()).isEqualTo(5);
        assertThat(((Presence) rendered(p)).getShow()).isEqualTo(Presence.Show.dnd);
    }

    @Test
    void everyXmppAvailabilityRoundTrips() {
        for (Availability a : List.of(Availability.AVAILABLE, Availability.FREE_FOR_CHAT, Availability.AWAY,
                Availability.EXTENDED_AWAY, Availability.DO_NOT_DISTURB, Availability.OFFLINE)) {
            assertThat(((PresenceUpdate) roundTrip(PresenceUpdate.of(JULIET, a))).availability()).as(a.name()).isEqualTo(a);
        }
    }

    @Test
    void subscriptionActionsRoundTrip() {
        for (SubscriptionAction action : SubscriptionAction.values()) {
            assertThat(roundTrip(new SubscriptionEvent(JULIET, ALICE, action))).isEqualTo(new SubscriptionEvent(JULIET, ALICE, action));
        }
    }

    @Test
    void chatMessageWithHtmlThreadReceiptRequestAndStateRoundTrips() {
        ChatMessage m = new ChatMessage(JULIET, ALICE, "m1", MessageKind.CHAT, "bold move", "<b>bold</b> move", "conv-1", true, ChatState.ACTIVE);
        ChatMessage back = (ChatMessage) roundTrip(m);
        assertThat(back).isEqualTo(m);
    }

    @Test
    void chatStatesAndReceiptsRoundTrip() {
        ChatStateChange typing = new ChatStateChange(ALICE, JULIET, ChatState.COMPOSING, "conv-1");
        assertThat(roundTrip(typing)).isEqualTo(typing);
        Receipt receipt = new Receipt(ALICE, JULIET, "m1");
        assertThat(roundTrip(receipt)).isEqualTo(receipt);
    }

    @Test
    void anErrorCarriesTheConditionAndTheMsDiagnosticsReason() {
        GatewayError error = new GatewayError(ALICE, JULIET, ErrorCondition.ITEM_NOT_FOUND, null, 404, "404 Not Found",
                new MsDiagnostics(1003, "User does not exist", java.util.Map.of(), false), "m1");
        Message wire = (Message) rendered(error);
        assertThat(wire.getType()).isEqualTo(Message.Type.error);
        assertThat(wire.getID()).isEqualTo("m1");
        assertThat(wire.getError().getCondition()).isEqualTo(PacketError.Condition.item_not_found);
        assertThat(wire.getError().getText()).isEqualTo("User does not exist (ms-diagnostics 1003)");
        GatewayError back = (GatewayError) roundTrip(error);
        assertThat(back.condition()).isEqualTo(ErrorCondition.ITEM_NOT_FOUND);
        assertThat(back.text()).isEqualTo("User does not exist (ms-diagnostics 1003)");
    }

    @Test
    void anErrorAboutAPresenceIsAPresenceError() {
        // RFC 6120 §8.3.1: a refused <presence type='subscribe'/> is answered with <presence type='error'/>, not a message
        GatewayError refused = new GatewayError(ALICE, JULIET, ErrorCondition.FORBIDDEN, null, 0, "not allowed", null, null,
                org.parley.presence.model.StanzaKind.PRESENCE);
        Packet wire = rendered(refused);
        assertThat(wire).isInstanceOf(Presence.class);
        assertThat(wire.getElement().attributeValue("type")).isEqualTo("error");
        assertThat(wire.getError().getCondition()).isEqualTo(PacketError.Condition.forbidden);
        GatewayError back = (GatewayError) roundTrip(refused);
        assertThat(back.kind()).isEqualTo(org.parley.presence.model.StanzaKind.PRESENCE);
        assertThat(back.condition()).isEqualTo(ErrorCondition.FORBIDDEN);
        assertThat(back.text()).isEqualTo("not allowed");
    }

    @Test
    void untranslatableStanzasAreAnsweredWithTheRightError() throws Exception {
        Message groupchat = new Message();
        groupchat.setFrom("juliet@xmpp.test/balcony");
        groupchat.setTo("room@contoso.com");
        groupchat.setType(Message.Type.groupchat);
        groupchat.setBody("hi all");
        assertReply(in.translate(groupchat), PacketError.Condition.feature_not_implemented, "juliet@xmpp.test/balcony");

        Message empty = new Message();
        empty.setFrom("juliet@xmpp.test");
        empty.setTo("alice@contoso.com");
        assertReply(in.translate(empty), PacketError.Condition.bad_request, "juliet@xmpp.test");

        Presence badPriority = new Presence();
        badPriority.setFrom("juliet@xmpp.test");
        badPriority.getElement().addElement("priority").setText("500");
        assertReply(in.translate(badPriority), PacketError.Condition.bad_request, "juliet@xmpp.test");

        Message noFrom = new Message();
        noFrom.setTo("alice@contoso.com");
        noFrom.setBody("who am i");
        assertThat(((InboundResult.Reply) in.translate(noFrom)).error().getError().getCondition()).isEqualTo(PacketError.Condition.jid_malformed);
    }

    @Test
    void bytesFromTheWireBecomeModelEvents() throws Exception {
        StanzaReader reader = new StanzaReader(StreamLimits.DEFAULT, Set.of("jabber:server"));
        byte[] wire = ("<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'>"
                + "<message from='Juliet@xmpp.test/balcony' to='alice@contoso.com' type='chat' id='w1'><body>from the wire</body>"
                + "<request xmlns='urn:xmpp:receipts'/></message>").getBytes(StandardCharsets.UTF_8);
        List<StreamEvent> events = reader.feed(wire, 0, wire.length);
        Message m = new Message(((StreamEvent.Stanza) events.get(1)).element(), true);

        ChatMessage chat = (ChatMessage) ((InboundResult.Event) in.translate(m)).event();

        assertThat(chat.from()).isEqualTo(JULIET);
        assertThat(chat.to()).isEqualTo(ALICE);
        assertThat(chat.body()).isEqualTo("from the wire");
        assertThat(chat.receiptRequested()).isTrue();
        assertThat(chat.id()).isEqualTo("w1");
    }

    private static void assertReply(InboundResult r, PacketError.Condition condition, String backTo) {
        assertThat(r).isInstanceOf(InboundResult.Reply.class);
        Packet error = ((InboundResult.Reply) r).error();
        assertThat(error.getError().getCondition()).isEqualTo(condition);
        assertThat(error.getTo().toString()).isEqualTo(backTo);
        assertThat(error.getElement().attributeValue("type")).isEqualTo("error");
    }
}
