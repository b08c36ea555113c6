package org.parley.xmpp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.GatewayEvent;
import org.parley.xmpp.adapt.XmppToModel;
import org.parley.xmpp.iq.IqHandler;
import org.parley.xmpp.s2s.InboundServerListener;
import org.parley.xmpp.stream.StreamLimits;
import org.parley.xmpp.testing.OpensslPki;
import org.parley.xmpp.testing.ProsodyRig;
import org.parley.xmpp.testing.TestTls;
import org.xmpp.packet.Packet;

/**
 * A strict real Prosody federating toward Parley: Prosody opens the s2s stream, STARTTLS, SASL
 * EXTERNAL with its CA-signed certificate, and a Smack user's message arrives as a model event.
 */
class ProsodyS2sInboundIT {

    private static ProsodyRig prosody;
    private static InboundServerListener parley;
    private static XMPPTCPConnection juliet;
    private static final BlockingQueue<GatewayEvent> events = new LinkedBlockingQueue<>();
    private static final BlockingQueue<Packet> replies = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("parley-s2s-in-it");
        OpensslPki pki = new OpensslPki(dir.resolve("pki"));
        pki.leaf("xmpp.test");
        pki.leaf("lync.test");
        AddressMapper mapper = AddressMapper.forDomains(List.of("lync.test", "xmpp.test"));
        parley = new InboundServerListener("127.0.0.1", 0, Set.of("lync.test"), TestTls.context(pki, "lync.test", pki.ca()),
                new XmppToModel(mapper), events::add, new IqHandler(Set.of("lync.test"), "test"), replies::add, StreamLimits.DEFAULT,
                org.parley.xmpp.s2s.PartnerPolicy.only(Set.of("xmpp.test")));
        parley.start();
        prosody = ProsodyRig.createFederating(dir.resolve("prosody"), pki, parley.port());
        prosody.register("juliet", "xmpp.test", "juliet-password");
        prosody.start();
        juliet = TestTls.smackUser("juliet", "juliet-password", prosody.c2sPort, pki.ca());
        juliet.connect().login();
    }

    @AfterAll
    static void stop() throws Exception {
        if (juliet != null) {
            juliet.disconnect();
        }
        if (prosody != null) {
            prosody.close();
        }
        if (parley != null) {
            parley.close();
        }
    }

    @Test
    void aMessageFromTheFederatedXmppServerArrivesOverTlsAndSaslExternal() throws Exception {
        juliet.sendStanza(StanzaBuilder.buildMessage("f1").to(JidCreate.from("bob@lync.test")).ofType(Message.Type.chat)
                .setBody("hello over federation").build());
        GatewayEvent e = null;
        for (int i = 0; i < 5 && !(e instanceof ChatMessage); i++) {
            e = events.poll(5, TimeUnit.SECONDS);
        }
        assertThat(e).as(prosody.log()).isInstanceOf(ChatMessage.class);
        ChatMessage m = (ChatMessage) e;
        assertThat(m.from()).isEqualTo(Address.xmpp("juliet", "xmpp.test", "balcony"));
        assertThat(m.to()).isEqualTo(Address.xmpp("bob", "lync.test"));
        assertThat(m.body()).isEqualTo("hello over federation");
        assertThat(prosody.log()).containsIgnoringCase("lync.test");
    }


}
