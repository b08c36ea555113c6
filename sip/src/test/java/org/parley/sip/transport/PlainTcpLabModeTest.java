package org.parley.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.Receipt;
import org.parley.sip.SipEndpoint;
import org.parley.sip.config.HostPort;
import org.parley.sip.config.SipDialect;
import org.parley.sip.config.SipEndpointConfig;
import org.parley.sip.config.SipTransport;
import org.parley.sip.testing.FreePorts;
import org.parley.sip.testing.RecordingInbound;

/** Plain TCP works when — and only when — it is configured explicitly (labs without a PKI). */
class PlainTcpLabModeTest {

    @Test
    void twoEndpointsExchangeAMessageOverPlainTcp() throws Exception {
        int aPort = FreePorts.next();
        int bPort = FreePorts.next();
        AddressMapper mapper = AddressMapper.forDomains(List.of("xmpp.test", "contoso.com"));
        RecordingInbound bInbound = new RecordingInbound();
        SipEndpointConfig a = new SipEndpointConfig("gw.xmpp.test", "127.0.0.1", "127.0.0.1", aPort, SipTransport.TCP, null,
                List.of(new HostPort("127.0.0.1", bPort)), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(30),
                Set.of("xmpp.test"), SipDialect.RFC, null);
        SipEndpointConfig b = new SipEndpointConfig("fe.contoso.com", "127.0.0.1", "127.0.0.1", bPort, SipTransport.TCP, null,
                List.of(new HostPort("127.0.0.1", aPort)), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(30),
                Set.of("contoso.com"), SipDialect.RFC, null);
        try (SipEndpoint gateway = new SipEndpoint(a, mapper, new RecordingInbound(), Clock.systemUTC(), line -> { });
             SipEndpoint peer = new SipEndpoint(b, mapper, bInbound, Clock.systemUTC(), line -> { })) {
            gateway.start();
            peer.start();

            var outcome = gateway.sendMessage(ChatMessage.text(Address.sip("juliet", "xmpp.test"), Address.sip("bob", "contoso.com"),
                    "t1", "over tcp")).get(10, TimeUnit.SECONDS);

            assertThat(outcome).isInstanceOf(Receipt.class);
            ChatMessage got = bInbound.messages.poll(5, TimeUnit.SECONDS);
            assertThat(got).isNotNull();
            assertThat(got.body()).isEqualTo("over tcp");
            assertThat(got.from()).isEqualTo(Address.sip("juliet", "xmpp.test"));
        }
    }

    @Test
    void tlsIsTheDefaultAndCannotStartWithoutMaterial() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SipEndpointConfig("gw.xmpp.test", "127.0.0.1", "127.0.0.1", 5061,
                SipTransport.TLS, null, List.of(new HostPort("127.0.0.1", 5062)), null, null, null, Set.of("xmpp.test"), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs TLS material");
    }
}
