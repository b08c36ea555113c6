package org.parley.xmpp.s2s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.GatewayEvent;
import org.parley.xmpp.XmppInbound;
import org.parley.xmpp.XmppRefusal;
import org.parley.xmpp.adapt.InboundDispatcher;
import org.parley.xmpp.adapt.ModelToXmpp;
import org.parley.xmpp.adapt.XmppToModel;
import org.parley.xmpp.iq.IqHandler;
import org.parley.xmpp.testing.OpensslPki;
import org.parley.xmpp.testing.TestTls;

/**
 * Hostile input on the s2s listener's direct-TLS port, each case on its own connection while a
 * legitimate partner stream keeps sending on another: every hostile stream ends with the stream
 * error RFC 6120 names for it (§4.9.3), nothing is buffered past the stanza limit, and the
 * legitimate stream loses nothing.
 */
class HostileStreamsTest {

    private static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
            + "xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback' from='xmpp.test' to='lync.test' version='1.0'>";

    private static OpensslPki pki;
    private static InboundServerListener parley;
    private static final BlockingQueue<GatewayEvent> delivered = new LinkedBlockingQueue<>();
    private static final BlockingQueue<XmppRefusal> refused = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        pki = new OpensslPki(Files.createTempDirectory("parley-hostile"));
        pki.leaf("lync.test");
        pki.leaf("xmpp.test");
        AddressMapper mapper = AddressMapper.forDomains(List.of("lync.test", "xmpp.test"));
        parley = new InboundServerListener(S2sListenerConfig.starttls("127.0.0.1", 0, Set.of("lync.test")).withDirectTls(),
                TestTls.s2s(pki, "lync.test", pki.ca()), PartnerPolicy.open(Set.of()),
                new InboundDispatcher(new XmppToModel(mapper), new IqHandler(Set.of("lync.test"), "test"), new XmppInbound() {
                    @Override
                    public void onEvent(GatewayEvent event) {
                        delivered.add(event);
                    }

                    @Override
                    public void onRefused(XmppRefusal refusal) {
                        refused.add(refusal);
                    }
                }), p -> { }, null, null);
        parley.start();
    }

    @AfterAll
    static void stop() {
        if (parley != null) {
            parley.close();
        }
    }

    static Stream<Arguments> hostile() {
        byte[] tenMiB = new byte[10 * 1024 * 1024];
        java.util.Arrays.fill(tenMiB, (byte) 'a');
        return Stream.of(
                Arguments.of("malformed XML", bytes(HEADER + "<message><body></message>"), "not-well-formed"),
                Arguments.of("billion laughs", bytes("<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;'>]>" + HEADER),
                        "restricted-xml"),
                Arguments.of("DTD inside the stream", bytes(HEADER + "<!DOCTYPE x><message/>"), "restricted-xml"),
                Arguments.of("10 MiB stanza", concat(bytes(HEADER + "<message from='a@xmpp.test' to='b@lync.test'><body>"), tenMiB), "policy-violation"),
                Arguments.of("deep nesting", bytes(HEADER + "<message>" + "<x>".repeat(200)), "policy-violation"),
                Arguments.of("invalid UTF-8", concat(bytes(HEADER + "<message><body>"), new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF}, bytes("</body></message>")),
                        "not-well-formed"),
                Arguments.of("stanza before authentication", bytes(HEADER + "<message from='juliet@xmpp.test' to='alice@lync.test'><body>x</body></message>"),
                        "not-authorized"),
                Arguments.of("stream restart without a negotiation", bytes(HEADER + HEADER), "not-well-formed|invalid-xml|unsupported-stanza-type"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void eachHostileStreamGetsItsStreamErrorWhileAPartnerStreamLosesNothing(String name, byte[] attack, String expectedCondition) throws Exception {
        delivered.clear();
        refused.clear();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (OutboundServerStream partner = OutboundServerStream.open(new S2sTarget("127.0.0.1", parley.port(), true), "xmpp.test", "lync.test",
                TestTls.s2s(pki, "xmpp.test", pki.ca()), PartnerRules.DEFAULT, null,
                new ModelToXmpp(AddressMapper.forDomains(List.of("lync.test", "xmpp.test"))), 5000)) {
            Future<?> traffic = pool.submit(() -> {
                for (int i = 0; i < 100; i++) {
                    partner.send(ChatMessage.text(Address.xmpp("juliet", "xmpp.test", "r"), Address.xmpp("alice", "lync.test"), name + i, "ok " + i));
                    Thread.sleep(5);
                }
                return null;
            });
            String answer = attack(attack);
            traffic.get(30, TimeUnit.SECONDS);
            assertThat(answer).as("%s → stream error", name).containsPattern("<(" + expectedCondition + ") xmlns=['\"]urn:ietf:params:xml:ns:xmpp-streams['\"]");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (delivered.size() < 100 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(delivered).as("the partner stream beside the attack").hasSize(100);
            XmppRefusal refusal = refused.poll(5, TimeUnit.SECONDS);
            assertThat(refusal).as("%s reaches the trace", name).isNotNull();
            assertThat(refusal.kind()).isEqualTo("stream");
            assertThat(refusal.condition()).matches(expectedCondition);
            assertThat(refusal.answer()).contains(refusal.condition());
            assertThat(refused).as("only the hostile stream was refused").isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Writes the attack over direct TLS (ignoring a write refused because the server already hung up); returns what came back. */
    private static String attack(byte[] attack) throws Exception {
        javax.net.ssl.SSLContext tls = TestTls.s2sWithoutCertificate(pki.ca()).outbound();
        try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), parley.port())) {
            s.setSoTimeout(5_000); // the handshake competes with the partner stream for 2 cores
            s.startHandshake();
            s.setSoTimeout(200); // drain() polls
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try {
                for (int at = 0; at < attack.length; at += 64 * 1024) {
                    out.write(attack, at, Math.min(64 * 1024, attack.length - at));
                    drain(in, got);
                    if (got.toString(StandardCharsets.UTF_8).contains("</stream:stream>")) {
                        break; // the server has answered and closed: the rest of a huge stanza is never read
                    }
                }
                out.flush();
            } catch (IOException closedByServer) {
                // expected for the oversized stanza
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!got.toString(StandardCharsets.UTF_8).contains("</stream:stream>") && System.nanoTime() < deadline) {
                if (!drain(in, got)) {
                    break;
                }
            }
            return got.toString(StandardCharsets.UTF_8);
        }
    }

    /** Reads what is available; false at end of stream. */
    private static boolean drain(InputStream in, ByteArrayOutputStream got) throws IOException {
        byte[] buf = new byte[8192];
        try {
            int n = in.read(buf);
            if (n < 0) {
                return false;
            }
            got.write(buf, 0, n);
            return true;
        } catch (SocketTimeoutException nothingYet) {
            return true;
        } catch (IOException reset) {
            return false;
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }
}
