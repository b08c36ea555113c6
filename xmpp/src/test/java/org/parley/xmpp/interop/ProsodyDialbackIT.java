package org.parley.xmpp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.xmpp.adapt.ModelToXmpp;
import org.parley.xmpp.adapt.XmppToModel;
import org.parley.xmpp.iq.IqHandler;
import org.parley.xmpp.s2s.DialbackKeys;
import org.parley.xmpp.s2s.InboundServerListener;
import org.parley.xmpp.s2s.OutboundServerStream;
import org.parley.xmpp.s2s.PartnerPolicy;
import org.parley.xmpp.stream.StreamLimits;
import org.parley.xmpp.testing.OpensslPki;
import org.parley.xmpp.testing.ProsodyRig;
import org.parley.xmpp.testing.TestTls;

/**
 * Dialback (XEP-0220) over TLS toward a lenient real Prosody: Parley's certificate is self-signed,
 * so Prosody offers no SASL EXTERNAL; Parley sends a dialback key, Prosody calls Parley's listener
 * back with db:verify, Parley confirms its own key, and the stream delivers.
 */
class ProsodyDialbackIT {

    private static ProsodyRig prosody;
    private static InboundServerListener listener;
    private static XMPPTCPConnection juliet;
    private static OpensslPki pki;
    private static final DialbackKeys KEYS = DialbackKeys.random();
    private static final BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
    private static ModelToXmpp out;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("parley-dialback-it");
        pki = new OpensslPki(dir.resolve("pki"));
        pki.leaf("xmpp.test");
        pki.leaf("lync.test");
        pki.selfSigned("lync.test");
        AddressMapper mapper = AddressMapper.forDomains(List.of("lync.test", "xmpp.test"));
        out = new ModelToXmpp(mapper);
        listener = new InboundServerListener("127.0.0.1", 0, Set.of("lync.test"), TestTls.context(pki, "lync.test", pki.ca()), new XmppToModel(mapper),
                e -> { }, new IqHandler(Set.of("lync.test"), "test"), p -> { }, StreamLimits.DEFAULT, PartnerPolicy.open(Set.of()), KEYS);
        listener.start();
        prosody = ProsodyRig.createFederating(dir.resolve("prosody"), pki, listener.port(), false);
        prosody.register("juliet", "xmpp.test", "juliet-password");
        prosody.start();
        juliet = TestTls.smackUser("juliet", "juliet-password", prosody.c2sPort, pki.ca());
        juliet.addAsyncStanzaListener(s -> inbox.add((Message) s), StanzaTypeFilter.MESSAGE);
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
        if (listener != null) {
            listener.close();
        }
    }

    @Test
    void aSelfSignedParleyAuthenticatesWithDialbackAndDelivers() throws Exception {
        try (OutboundServerStream stream = OutboundServerStream.open("127.0.0.1", prosody.componentPort, "lync.test", "xmpp.test",
                TestTls.context(pki, "lync.test-self", pki.ca()), out, 10_000, KEYS)) {
            assertThat(stream.authentication()).isEqualTo("dialback");
            stream.send(ChatMessage.text(Address.xmpp("bob", "lync.test"), Address.xmpp("juliet", "xmpp.test", "balcony"),
                    "d1", "hello via dialback"));
            Message got = inbox.poll(10, TimeUnit.SECONDS);
            assertThat(got).as(prosody.log()).isNotNull();
            assertThat(got.getBody()).isEqualTo("hello via dialback");
        }
    }

    @Test
    void aKeyTheAuthoritativeGatewayDidNotIssueIsRejected() throws Exception {
        // keys from another secret: Prosody's db:verify reaches Parley's listener, which says invalid
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OutboundServerStream.open("127.0.0.1", prosody.componentPort,
                        "lync.test", "xmpp.test", TestTls.context(pki, "lync.test-self", pki.ca()), out, 10_000, DialbackKeys.random()))
                .isInstanceOf(org.parley.xmpp.s2s.S2sException.class).hasMessageContaining("did not accept dialback");
    }


}
