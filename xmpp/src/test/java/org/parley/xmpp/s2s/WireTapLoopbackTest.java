package org.parley.xmpp.s2s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.GatewayEvent;
import org.parley.xmpp.adapt.InboundDispatcher;
import org.parley.xmpp.adapt.ModelToXmpp;
import org.parley.xmpp.adapt.XmppToModel;
import org.parley.xmpp.iq.IqHandler;
import org.parley.xmpp.stream.XmppWireTap;
import org.parley.xmpp.testing.OpensslPki;
import org.parley.xmpp.testing.TestTls;

/**
 * The wire tap on both ends of a real s2s stream (TLS, SASL EXTERNAL) on loopback: the listener's
 * tap gets the partner's stanza exactly as its bytes were — not as Parley would re-serialize it —
 * under the partner's authenticated domain, and the originating side's tap gets what it wrote.
 */
class WireTapLoopbackTest {

    private final AddressMapper mapper = AddressMapper.forDomains(List.of("lync.test", "xmpp.test"));

    WireTapLoopbackTest() throws Exception {
    }

    /** Certificates for both ends, from one CA. */
    private static OpensslPki pki() throws Exception {
        OpensslPki pki = new OpensslPki(Files.createTempDirectory("parley-wire"));
        pki.leaf("lync.test");
        pki.leaf("xmpp.test");
        return pki;
    }

    @Test
    void bothEndsOfAStreamSeeTheRealText() throws Exception {
        OpensslPki pki = pki();
        BlockingQueue<GatewayEvent> events = new LinkedBlockingQueue<>();
        BlockingQueue<String> listenerHeard = new LinkedBlockingQueue<>();
        BlockingQueue<String> partnerSent = new LinkedBlockingQueue<>();
        XmppWireTap listenerTap = new XmppWireTap() {
            @Override
            public void received(String peer, String stanzaXml) {
                listenerHeard.add(peer + " " + stanzaXml);
            }
        };
        XmppWireTap partnerTap = new XmppWireTap() {
            @Override
            public void sent(String peer, String xml) {
                partnerSent.add(peer + " " + xml);
            }
        };
        String stanza = "<message type=\"chat\"   from='juliet@xmpp.test/balcony' to='alice@lync.test' id='w1'>"
                + "<body>tap &amp; see &#233;</body></message>";
        try (InboundServerListener listener = new InboundServerListener(S2sListenerConfig.starttls("127.0.0.1", 0, Set.of("lync.test")),
                TestTls.s2s(pki, "lync.test", pki.ca()), PartnerPolicy.open(Set.of()),
                new InboundDispatcher(new XmppToModel(mapper), new IqHandler(Set.of("lync.test"), "test"), events::add),
                p -> { }, null, null, listenerTap)) {
            listener.start();
            try (OutboundServerStream partner = OutboundServerStream.open(new S2sTarget("127.0.0.1", listener.port(), false), "xmpp.test",
                    "lync.test", TestTls.s2s(pki, "xmpp.test", pki.ca()), PartnerRules.DEFAULT, null, new ModelToXmpp(mapper), 5000,
                    partnerTap)) {
                listenerHeard.clear(); // the negotiation (starttls, auth) was heard too
                partner.sendRaw(stanza);

                assertThat(((ChatMessage) events.poll(5, TimeUnit.SECONDS)).body()).isEqualTo("tap & see é");
                assertThat(listenerHeard.poll(5, TimeUnit.SECONDS)).isEqualTo("xmpp.test " + stanza);
                assertThat(partnerSent).contains("lync.test " + stanza);
            }
        }
    }

    /** Without any tap, the event an inbound stanza becomes still comes with the stanza as its bytes were: the trace's input. */
    @Test
    void theEventComesWithTheStanzaAsItsBytesWere() throws Exception {
        OpensslPki pki = pki();
        BlockingQueue<String> raws = new LinkedBlockingQueue<>();
        org.parley.xmpp.XmppInbound inbound = new org.parley.xmpp.XmppInbound() {
            @Override
            public void onEvent(GatewayEvent event) {
            }

            @Override
            public void onEvent(GatewayEvent event, String rawStanza) {
                raws.add(rawStanza);
            }
        };
        String stanza = "<message  to='alice@lync.test' from=\"juliet@xmpp.test/balcony\" type='chat' id='raw1'>"
                + "<body>wherefore &#x72;omeo</body>\n</message>";
        try (InboundServerListener listener = new InboundServerListener(S2sListenerConfig.starttls("127.0.0.1", 0, Set.of("lync.test")),
                TestTls.s2s(pki, "lync.test", pki.ca()), PartnerPolicy.open(Set.of()),
                new InboundDispatcher(new XmppToModel(mapper), new IqHandler(Set.of("lync.test"), "test"), inbound), p -> { }, null, null)) {
            listener.start();
            try (OutboundServerStream partner = OutboundServerStream.open(new S2sTarget("127.0.0.1", listener.port(), false), "xmpp.test",
                    "lync.test", TestTls.s2s(pki, "xmpp.test", pki.ca()), PartnerRules.DEFAULT, null, new ModelToXmpp(mapper), 5000)) {
                partner.sendRaw(stanza);
                assertThat(raws.poll(5, TimeUnit.SECONDS)).as("not a re-serialization").isEqualTo(stanza);
            }
        }
    }
}
