package org.parley.xmpp.component;

import org.parley.xmpp.testing.StreamBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.parley.presence.address.AddressMapper;
import org.parley.xmpp.adapt.ModelToXmpp;
import org.parley.xmpp.adapt.XmppToModel;
import org.parley.xmpp.iq.IqHandler;

/**
 * On the component link Parley is the initiating entity: its header went out first, so a stream
 * error it sends when the server's bytes are broken follows that one header — and must not open
 * a second stream (RFC 6120 §4.9.1.2 only asks the receiving entity for a header before an error).
 */
class ComponentStreamErrorTest {

    @Test
    void anErrorOnTheComponentLinkFollowsParleysOneHeader() throws Exception {
        AddressMapper mapper = AddressMapper.forDomains(List.of("lync.test", "xmpp.test"));
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ComponentConnection c = new ComponentConnection(new ComponentConfig("127.0.0.1", server.getLocalPort(), "lync.test", "secret",
                     Duration.ofSeconds(30), Duration.ofSeconds(30)),
                     new XmppToModel(mapper), new ModelToXmpp(mapper), e -> { }, new IqHandler(Set.of("lync.test"), "test"))) {
            c.start();
            try (Socket s = server.accept()) {
                s.setSoTimeout(200);
                String header = StreamBytes.readUntil(s.getInputStream(), new ByteArrayOutputStream(), "<stream:stream");
                assertThat(header).contains("<stream:stream");
                s.getOutputStream().write("<<<>>>".getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().flush();
                String sent = header + StreamBytes.readUntil(s.getInputStream(), new ByteArrayOutputStream(), "</stream:stream>");
                assertThat(sent).contains("<stream:error><not-well-formed");
                assertThat(sent.split("<stream:stream", -1)).as("one header in: %s", sent).hasSize(2);
                assertThat(sent.indexOf("<stream:stream")).isLessThan(sent.indexOf("<stream:error>"));
            }
        }
    }
}
