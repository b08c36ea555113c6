package org.parley.xmpp.s2s;

import org.parley.xmpp.testing.StreamBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.dom4j.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.GatewayEvent;
import org.parley.xmpp.XmppInbound;
import org.parley.xmpp.XmppRefusal;
import org.parley.xmpp.adapt.InboundDispatcher;
import org.parley.xmpp.adapt.XmppToModel;
import org.parley.xmpp.iq.IqHandler;
import org.parley.xmpp.stream.StanzaReader;
import org.parley.xmpp.stream.StreamEvent;
import org.parley.xmpp.stream.StreamLimits;
import org.parley.xmpp.testing.OpensslPki;
import org.parley.xmpp.testing.TestTls;

/**
 * RFC 6120 §4.9.1.2/§4.9.1.3: a stream error Parley sends as receiving entity before it sent its
 * response header must be preceded by one — with a fresh {@code id}, a {@code from} and
 * {@code version} — and an error on a stream Parley already answered must not get a second header.
 * Prosody logs "Missing stream ID" and drops the error's reason otherwise. Checked on the wire:
 * a raw client on 127.0.0.1, the bytes Parley sends back parsed as the XML stream they must be.
 */
class StreamErrorHeaderTest {

    private static final String STREAMS = "http://etherx.jabber.org/streams";
    private static final String HEADER_TO_LYNC = "<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='" + STREAMS
            + "' xmlns:db='jabber:server:dialback' from='xmpp.test' to='lync.test' version='1.0'>";

    private static OpensslPki pki;
    private static InboundServerListener starttls;
    private static InboundServerListener directTls;

    @BeforeAll
    static void start() throws Exception {
        pki = new OpensslPki(Files.createTempDirectory("parley-stream-error-header"));
        pki.leaf("lync.test");
        S2sTls tls = TestTls.s2s(pki, "lync.test", pki.ca());
        S2sListenerConfig config = S2sListenerConfig.starttls("127.0.0.1", 0, Set.of("lync.test"));
        starttls = new InboundServerListener(config, tls, PartnerPolicy.open(Set.of()), dispatcher(), p -> { }, null, null);
        directTls = new InboundServerListener(config.withDirectTls(), tls, PartnerPolicy.open(Set.of()), dispatcher(), p -> { }, null, null);
        starttls.start();
        directTls.start();
    }

    @AfterAll
    static void stop() {
        if (starttls != null) {
            starttls.close();
        }
        if (directTls != null) {
            directTls.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "malformed XML as the first bytes | <<<>>> | not-well-formed",
        "a root that is not a stream | <message xmlns='jabber:server'/> | invalid-namespace",
        "a client stream on the server port | <stream:stream xmlns='jabber:client' xmlns:stream='" + STREAMS + "' to='lync.test' version='1.0'> | invalid-namespace",
        "a DTD before the header | <?xml version='1.0'?><!DOCTYPE x []> | restricted-xml",
        "a domain Parley does not serve | <stream:stream xmlns='jabber:server' xmlns:stream='" + STREAMS + "' from='xmpp.test' to='elsewhere.test' version='1.0'> | host-unknown",
        "a header without from | <stream:stream xmlns='jabber:server' xmlns:stream='" + STREAMS + "' to='lync.test' version='1.0'> | invalid-from"})
    void anErrorBeforeParleysHeaderComesAfterAHeaderWithAnId(String name, String firstBytes, String condition) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), starttls.port())) {
            s.setSoTimeout(200);
            String answer = exchange(s, firstBytes);
            assertOneHeaderThenError(answer, condition);
        }
    }

    @Test
    void anErrorRightAfterDirectTlsComesAfterAHeaderWithAnId() throws Exception {
        try (SSLSocket s = (SSLSocket) clientTls().getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), directTls.port())) {
            s.setSoTimeout(5_000);
            s.startHandshake();
            s.setSoTimeout(200);
            assertOneHeaderThenError(exchange(s, "<<<>>>"), "not-well-formed");
        }
    }

    @Test
    void aPreRfc3920PartnerGetsAnIdButNoVersion() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), starttls.port())) {
            s.setSoTimeout(200);
            String answer = exchange(s, "<stream:stream xmlns='jabber:server' xmlns:stream='" + STREAMS
                    + "' xmlns:db='jabber:server:dialback' to='elsewhere.test'>");
            assertThat(answer).contains("<host-unknown ");
            assertThat(id(answer)).as("stream id in: %s", answer).isNotBlank();
            assertThat(answer).as("RFC 6120 §4.7.5: no version to a partner that sent none").doesNotContain("version='1.0'>");
            assertThat(answer.indexOf("<stream:stream")).isLessThan(answer.indexOf("<stream:error>"));
        }
    }

    @Test
    void anErrorOnAnAnsweredStreamGetsNoSecondHeader() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), starttls.port())) {
            s.setSoTimeout(200);
            String features = StreamBytes.readUntil(s.getInputStream(), write(s, HEADER_TO_LYNC), "</stream:features>");
            assertThat(features).contains("<starttls");
            String answer = features + exchange(s, "<message><body></message>");
            assertOneHeaderThenError(answer, "not-well-formed");
        }
    }

    /** RFC 6120 §4.3.3: a stream restarts only after STARTTLS or SASL; a header in an open stream is an error, at once. */
    @Test
    void aStreamHeaderInsideAnOpenStreamIsAStreamErrorAtOnce() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), starttls.port())) {
            s.setSoTimeout(200);
            String features = StreamBytes.readUntil(s.getInputStream(), write(s, HEADER_TO_LYNC), "</stream:features>");
            assertThat(features).contains("<starttls");
            String answer = features + exchange(s, "<stream:stream xmlns='jabber:server' xmlns:stream='" + STREAMS
                    + "' from='xmpp.test' to='lync.test' version='1.0'>");
            assertOneHeaderThenError(answer, "unsupported-stanza-type");
        }
    }

    @ParameterizedTest(name = "after STARTTLS: {0}")
    @CsvSource(delimiter = '|', value = {
        "malformed XML as the first bytes | <<<>>> | not-well-formed",
        "a domain Parley does not serve | <stream:stream xmlns='jabber:server' xmlns:stream='" + STREAMS + "' from='xmpp.test' to='elsewhere.test' version='1.0'> | host-unknown",
        "a stanza before the new header | <message from='a@xmpp.test' to='b@lync.test'/> | invalid-namespace"})
    void anErrorRightAfterStarttlsComesAfterANewHeaderWithAnId(String name, String firstBytes, String condition) throws Exception {
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), starttls.port())) {
            plain.setSoTimeout(200);
            String features = StreamBytes.readUntil(plain.getInputStream(), write(plain, HEADER_TO_LYNC), "</stream:features>");
            assertThat(features).contains("<starttls");
            String proceed = StreamBytes.readUntil(plain.getInputStream(), write(plain, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"), "<proceed");
            assertThat(proceed).contains("<proceed");
            try (SSLSocket s = (SSLSocket) clientTls().getSocketFactory().createSocket(plain, "lync.test", plain.getPort(), true)) {
                s.setSoTimeout(5_000);
                s.startHandshake();
                s.setSoTimeout(200);
                // what follows TLS is a new stream (RFC 6120 §5.4.3.3): it needs its own header and id
                String answer = exchange(s, firstBytes);
                assertOneHeaderThenError(answer, condition);
                assertThat(id(answer)).as("a fresh id after TLS").isNotEqualTo(id(features));
            }
        }
    }

    /** One opening header with id, from and version, then the stream error with {@code condition}, then the close. */
    private static void assertOneHeaderThenError(String answer, String condition) throws Exception {
        assertThat(answer).as("the answer").contains("<stream:error>", "</stream:stream>");
        assertThat(answer.split("<stream:stream", -1)).as("exactly one stream header in: %s", answer).hasSize(2);
        assertThat(answer.indexOf("<stream:stream")).as("header before the error in: %s", answer).isLessThan(answer.indexOf("<stream:error>"));
        StanzaReader reader = new StanzaReader(StreamLimits.DEFAULT, Set.of("jabber:server"));
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        List<StreamEvent> events = reader.feed(bytes, 0, bytes.length);
        assertThat(events).as("what Parley sent, parsed: %s", answer).hasSizeGreaterThanOrEqualTo(3);
        StreamEvent.Opened header = (StreamEvent.Opened) events.get(0);
        assertThat(header.attributes().get("id")).as("stream id in: %s", answer).isNotBlank();
        assertThat(header.attributes().get("from")).as("from in: %s", answer).isEqualTo("lync.test");
        assertThat(header.attributes().get("version")).as("version in: %s", answer).isEqualTo("1.0");
        Element error = ((StreamEvent.Stanza) events.get(events.size() - 2)).element();
        assertThat(error.getName()).isEqualTo("error");
        assertThat(error.getNamespaceURI()).isEqualTo(STREAMS);
        assertThat(error.element(condition)).as("<%s/> in: %s", condition, answer).isNotNull();
        assertThat(events.get(events.size() - 1)).isInstanceOf(StreamEvent.Closed.class);
    }

    private static String id(String answer) {
        Matcher m = Pattern.compile("<stream:stream[^>]* id='([^']+)'").matcher(answer);
        return m.find() ? m.group(1) : null;
    }

    private static String exchange(Socket s, String bytes) throws IOException {
        return StreamBytes.readUntil(s.getInputStream(), write(s, bytes), "</stream:stream>");
    }

    /** Writes, ignoring a write the server refused because it had already answered and hung up. */
    private static ByteArrayOutputStream write(Socket s, String xml) {
        try {
            OutputStream out = s.getOutputStream();
            out.write(xml.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException closedByServer) {
            // what it answered is still to be read
        }
        return new ByteArrayOutputStream();
    }

    private static SSLContext clientTls() throws Exception {
        return TestTls.s2sWithoutCertificate(pki.ca()).outbound();
    }

    private static InboundDispatcher dispatcher() throws Exception {
        AddressMapper mapper = AddressMapper.forDomains(List.of("lync.test", "xmpp.test"));
        return new InboundDispatcher(new XmppToModel(mapper), new IqHandler(Set.of("lync.test"), "test"), new XmppInbound() {
            @Override
            public void onEvent(GatewayEvent event) {
                // no stanza reaches Parley in these tests
            }

            @Override
            public void onRefused(XmppRefusal refusal) {
                // the refusal's trace is HostileStreamsTest's subject
            }
        });
    }
}
