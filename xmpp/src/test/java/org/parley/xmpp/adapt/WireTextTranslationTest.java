package org.parley.xmpp.adapt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.presence.address.AddressMapper;
import org.xmpp.packet.Packet;

/**
 * A stanza is translated from its text as it came on the stream, read in the stream's default namespace, and that
 * gives what the element serialized with its whole context gives: the same event, or the same refusal. Where the text
 * alone cannot be read (a prefix only the stream header declared), the element is read instead.
 */
class WireTextTranslationTest {

    private final XmppToModel translator = new XmppToModel(AddressMapper.anyDomain());

    static List<String> stanzas() {
        return List.of(
                "<message from='juliet@xmpp.test/balcony' to='alice@lync.test' type='chat' id='m1'><body>hi &amp; bye &lt;3</body>"
                        + "<request xmlns='urn:xmpp:receipts'/><thread>t1</thread></message>",
                "<message from='juliet@xmpp.test' to='alice@lync.test' type='chat'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>",
                "<message from='juliet@xmpp.test' to='alice@lync.test' id='m2'><body xml:lang='de'>hallo</body>"
                        + "<html xmlns='http://jabber.org/protocol/xhtml-im'><body xmlns='http://www.w3.org/1999/xhtml'><p><b>hallo</b></p></body></html></message>",
                "<message from='juliet@xmpp.test' to='alice@lync.test' type='chat'><received xmlns='urn:xmpp:receipts' id='m9'/></message>",
                "<message from='juliet@xmpp.test' to='alice@lync.test' type='error' id='m3'><error type='cancel'>"
                        + "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>",
                "<message from='juliet@xmpp.test' to='alice@lync.test' type='chat'/>",
                "<message from='juliet@xmpp.test' to='alice@lync.test' type='bogus'><body>x</body></message>",
                "<message xmlns='jabber:client' from='juliet@xmpp.test' to='alice@lync.test'><body>client ns</body></message>",
                "<message from='juliet@xmpp.test' to='alice@lync.test'><body>prefixed</body><x:extra xmlns:x='urn:example'/></message>",
                "<message from='juliet@xmpp.test' to='alice@lync.test'><body>stream prefix</body><s:extra/></message>",
                "<j:message xmlns:j='jabber:client' from='juliet@xmpp.test' to='alice@lync.test'><body>prefixed root</body></j:message>",
                "<presence from='juliet@xmpp.test/balcony' to='alice@lync.test'><show>away</show><status>out</status><priority>5</priority></presence>",
                "<presence from='juliet@xmpp.test/balcony' to='alice@lync.test' type='unavailable'/>",
                "<presence from='juliet@xmpp.test' to='alice@lync.test' type='subscribe'/>",
                "<presence from='juliet@xmpp.test/balcony' to='alice@lync.test'><priority>many</priority></presence>");
    }

    @ParameterizedTest
    @MethodSource("stanzas")
    void theWireTextGivesWhatTheSerializedElementGives(String stanza) throws Exception {
        Element element = inStream(stanza);
        Packet packet = StanzaPackets.of(element);

        InboundResult fromWire = translator.translate(packet, stanza);
        InboundResult fromElement = translator.translate(packet);

        assertThat(fromWire.toString()).isEqualTo(fromElement.toString());
        assertThat(packet.getElement().getNamespaceURI()).as("what the wire text is read in").isIn("jabber:server", "jabber:client");
    }

    @org.junit.jupiter.api.Test
    void theWireTextIsReadInTheStreamsNamespaceNotSerializedAgain() throws Exception {
        var codec = new org.parley.presence.xmpp.XmppMessageCodec(new org.parley.presence.xml.SafeXmlParser(), AddressMapper.anyDomain());
        String wire = stanzas().get(0);

        assertThat(codec.decode(wire, "jabber:server")).isEqualTo(((InboundResult.Event) translator.translate(StanzaPackets.of(inStream(wire)))).event());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> codec.decode(stanzas().get(9), "jabber:server"))
                .as("a prefix only the stream declared stays unbound").isInstanceOf(org.parley.presence.MappingException.class);
    }

    /** The stanza as a stream holds it: in jabber:server, with a prefix the stream header declares. */
    private static Element inStream(String stanza) throws Exception {
        Element root = DocumentHelper.parseText("<stream xmlns='jabber:server' xmlns:s='urn:stream-declared'>" + stanza + "</stream>")
                .getRootElement();
        Element e = (Element) root.elements().get(0);
        e.detach();
        return e;
    }
}
