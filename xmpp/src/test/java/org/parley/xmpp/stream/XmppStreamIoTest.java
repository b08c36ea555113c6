package org.parley.xmpp.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one stream I/O class every XMPP stream uses, on a real loopback socket: the read loop's
 * ends (the peer's close, the handler's stop, the connection's end), a restart, and the wire tap
 * seeing each element as the peer's bytes had it — split across reads, with whatever quoting,
 * spacing and escapes the peer chose — and each write as Parley made it.
 */
class XmppStreamIoTest {

    private static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
            + "xmlns:stream='http://etherx.jabber.org/streams' from='xmpp.test' to='lync.test' version='1.0'>";

    private final List<String> received = new ArrayList<>();
    private final List<String> sent = new ArrayList<>();
    private final XmppWireTap tap = new XmppWireTap() {
        @Override
        public void received(String peer, String stanzaXml) {
            received.add(peer + ": " + stanzaXml);
        }

        @Override
        public void sent(String peer, String xml) {
            sent.add(peer + ": " + xml);
        }
    };
    private ServerSocket server;
    private Socket peer;
    private XmppStreamIo io;

    @BeforeEach
    void connect() throws Exception {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket ours = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        peer = server.accept();
        ours.setSoTimeout(5000);
        io = new XmppStreamIo(ours, StreamLimits.DEFAULT, Set.of("jabber:server"), "xmpp.test", tap);
    }

    @AfterEach
    void close() throws Exception {
        io.closeSocket();
        peer.close();
        server.close();
    }

    @Test
    void theTapSeesEachElementAsThePeerWroteItAndEachWriteAsMade() throws Exception {
        String message = "<message  to=\"bob@lync.test\" from='juliet@xmpp.test/r'\n type='chat'><body>a &amp; b &#x263A; é</body></message>";
        String iq = "<iq type='get' id='1'/>";
        peer(HEADER.substring(0, 30));
        peer(HEADER.substring(30) + "\n" + message.substring(0, 17));
        peer(message.substring(17) + " \t" + iq + " </stream:stream>");
        io.write("<presence/>");

        List<String> elements = new ArrayList<>();
        assertThat(io.readUntilClosed((e, text) -> elements.add(e.getName()))).as("the peer closed its stream").isTrue();

        assertThat(elements).containsExactly("message", "iq");
        assertThat(received).containsExactly("xmpp.test: " + message, "xmpp.test: " + iq);
        assertThat(sent).containsExactly("xmpp.test: <presence/>");
    }

    @Test
    void theHandlerStopsTheLoopAndTheConnectionsEndIsAnEofNamingThePeer() throws Exception {
        peer(HEADER + "<message/><stream:error><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>");
        List<String> elements = new ArrayList<>();
        assertThat(io.readUntilClosed((e, text) -> {
            elements.add(e.getName());
            return !PeerStreamError.is(e);
        })).as("stopped by the handler").isFalse();
        assertThat(elements).containsExactly("message", "error");

        peer.close();
        assertThatThrownBy(() -> io.next()).isInstanceOf(EOFException.class).hasMessageContaining("xmpp.test");
    }

    @Test
    void aRestartedStreamIsANewDocumentAndItsElementsAreTappedFromItsOwnStart() throws Exception {
        peer(HEADER + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
        assertThat(io.next()).isInstanceOf(StreamEvent.Opened.class);
        assertThat(((StreamEvent.Stanza) io.next()).element().getName()).isEqualTo("auth");
        io.restart();
        peer(HEADER + "<message id='after'/>");
        assertThat(io.next()).as("a header again, not unsupported-stanza-type").isInstanceOf(StreamEvent.Opened.class);
        StreamEvent.Stanza after = (StreamEvent.Stanza) io.next();
        io.pushBack(after);
        assertThat(io.next()).as("pushed back").isSameAs(after);
        assertThat(received).containsExactly("xmpp.test: <auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>", "xmpp.test: <message id='after'/>");
    }

    @Test
    void aStreamErrorGoesOutAfterTheHeaderItIsGivenInOneWrite() throws Exception {
        io.sendStreamError("<stream:stream>", new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION, "no"));
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0)).startsWith("xmpp.test: <stream:stream><stream:error><policy-violation ").endsWith("</stream:stream>");
    }

    private void peer(String text) throws Exception {
        OutputStream out = peer.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        Thread.sleep(20); // separate reads on Parley's side, so that elements are cut across them
    }
}
