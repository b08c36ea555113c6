package org.parley.xmpp.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
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
import org.parley.xmpp.adapt.InboundDispatcher;
import org.parley.xmpp.adapt.ModelToXmpp;
import org.parley.xmpp.adapt.XmppToModel;
import org.parley.xmpp.iq.IqHandler;
import org.parley.xmpp.s2s.AuthenticatedPair;
import org.parley.xmpp.s2s.DialbackKeys;
import org.parley.xmpp.s2s.DialbackVerifier;
import org.parley.xmpp.s2s.InboundServerListener;
import org.parley.xmpp.s2s.OutboundServerStream;
import org.parley.xmpp.s2s.PartnerPolicy;
import org.parley.xmpp.s2s.PartnerRules;
import org.parley.xmpp.s2s.PartnerTargets;
import org.parley.xmpp.s2s.S2sException;
import org.parley.xmpp.s2s.S2sListenerConfig;
import org.parley.xmpp.s2s.S2sTarget;
import org.parley.xmpp.s2s.S2sTls;
import org.parley.xmpp.s2s.SrvResolver;
import org.parley.xmpp.testing.EjabberdRig;
import org.parley.xmpp.testing.OpensslPki;
import org.parley.xmpp.testing.TestTls;

/**
 * The ejabberd rig itself, and Parley's xmpp module federating with a real, strict ejabberd 23.01
 * (TLS required, no dialback module: certificates must be valid): a Smack user logs in over c2s
 * STARTTLS, a message crosses each way over s2s with SASL EXTERNAL, Parley reaches ejabberd's
 * direct TLS port, a certificate ejabberd does not trust is refused there, a lenient rig authenticates
 * Parley by dialback, and a stopped rig leaves no process, port or epmd behind.
 */
class EjabberdRigIT {

    private static final DialbackKeys KEYS = DialbackKeys.random();
    private static Path dir;
    private static OpensslPki pki;
    private static EjabberdRig ejabberd;
    private static InboundServerListener parley;
    private static final BlockingQueue<GatewayEvent> events = new LinkedBlockingQueue<>();
    private static XMPPTCPConnection juliet;
    private static final BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
    private static AddressMapper mapper;
    private static ModelToXmpp out;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("parley-ejabberd-it");
        pki = new OpensslPki(dir.resolve("pki"));
        pki.leaf("xmpp.test");
        pki.leaf("lync.test");
        pki.selfSigned("self.lync.test");
        mapper = AddressMapper.forDomains(List.of("lync.test", "self.lync.test", "xmpp.test"));
        out = new ModelToXmpp(mapper);

        // Parley's listener for lync.test first: ejabberd refuses a domain for minutes after a failed connection
        AtomicInteger ejabberdS2s = new AtomicInteger();
        S2sTls tls = TestTls.s2s(pki, "lync.test", pki.ca());
        PartnerTargets toEjabberd = new PartnerTargets(Map.of(), new SrvResolver(name -> name.startsWith("_xmpp-server.")
                ? List.of("0 0 " + ejabberdS2s.get() + " 127.0.0.1.") : List.of()));
        parley = new InboundServerListener(S2sListenerConfig.starttls("127.0.0.1", 0, Set.of("lync.test")), tls, PartnerPolicy.open(Set.of()),
                new InboundDispatcher(new XmppToModel(mapper), new IqHandler(Set.of("lync.test"), "test"), events::add), p -> { }, KEYS,
                new DialbackVerifier(toEjabberd, tls, 10_000));
        parley.start();

        ejabberd = EjabberdRig.createFederating(dir.resolve("ejabberd"), pki, Map.of("lync.test", parley.port()), Map.of(), true);
        ejabberdS2s.set(ejabberd.s2sPort);
        ejabberd.register("juliet", "xmpp.test", "juliet-password");
        ejabberd.start();
        System.out.println("ejabberd listening after " + ejabberd.lastStartup().toMillis() + " ms");

        juliet = TestTls.smackUser("juliet", "juliet-password", ejabberd.c2sPort, pki.ca());
        juliet.addSyncStanzaListener(s -> inbox.add((Message) s), StanzaTypeFilter.MESSAGE);
        juliet.connect().login();
    }

    @AfterAll
    static void stop() throws Exception {
        if (juliet != null) {
            juliet.disconnect();
        }
        if (ejabberd != null) {
            ejabberd.close();
        }
        if (parley != null) {
            parley.close();
        }
    }

    @Test
    void aSmackUserLogsInOverC2sStarttls() {
        assertThat(juliet.isAuthenticated()).as(ejabberd.log()).isTrue();
        assertThat(juliet.isSecureConnection()).isTrue();
        assertThat(juliet.getUser().asBareJid().toString()).isEqualTo("juliet@xmpp.test");
        assertThat(ejabberd.lastStartup()).isLessThan(ejabberd.startupBound());
    }

    @Test
    void parleyToEjabberdWithSaslExternal() throws Exception {
        String body = "to juliet " + System.nanoTime();
        try (OutboundServerStream stream = OutboundServerStream.open(new S2sTarget("127.0.0.1", ejabberd.s2sPort), "lync.test", "xmpp.test",
                TestTls.s2s(pki, "lync.test", pki.ca()), PartnerRules.DEFAULT, KEYS, out, 10_000)) {
            assertThat(stream.encrypted()).isTrue();
            assertThat(stream.authentication()).isEqualTo("SASL EXTERNAL");
            stream.send(ChatMessage.text(Address.xmpp("bob", "lync.test"), Address.xmpp("juliet", "xmpp.test", "balcony"), "e1", body));
            assertThat(awaitBody(body)).as(ejabberd.log()).isTrue();
        }
    }

    @Test
    void parleyToEjabberdsDirectTlsPort() throws Exception {
        String body = "direct TLS to juliet " + System.nanoTime();
        try (OutboundServerStream stream = OutboundServerStream.open(new S2sTarget("127.0.0.1", ejabberd.s2sDirectTlsPort, true), "lync.test",
                "xmpp.test", TestTls.s2s(pki, "lync.test", pki.ca()), PartnerRules.DEFAULT, KEYS, out, 10_000)) {
            assertThat(stream.encrypted()).isTrue();
            stream.send(ChatMessage.text(Address.xmpp("bob", "lync.test"), Address.xmpp("juliet", "xmpp.test", "balcony"), "e2", body));
            assertThat(awaitBody(body)).as(ejabberd.log()).isTrue();
        }
    }

    @Test
    void ejabberdToParleyWithSaslExternalFoundThroughTheRigsSrvRecord() throws Exception {
        String id = "j-" + System.nanoTime();
        String body = "to bob " + id;
        juliet.sendStanza(StanzaBuilder.buildMessage(id).to(JidCreate.from("bob@lync.test")).ofType(Message.Type.chat).setBody(body).build());
        ChatMessage got = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (got == null && System.nanoTime() < deadline) {
            if (events.poll(100, TimeUnit.MILLISECONDS) instanceof ChatMessage m && body.equals(m.body())) {
                got = m;
            }
        }
        assertThat(got).as(ejabberd.log()).isNotNull();
        assertThat(got.from()).isEqualTo(Address.xmpp("juliet", "xmpp.test", "balcony"));
        AuthenticatedPair pair = parley.authenticatedPairs().stream().filter(p -> p.partnerDomain().equals("xmpp.test")).findFirst().orElseThrow();
        assertThat(pair.encrypted()).isTrue();
        assertThat(pair.method()).isEqualTo("SASL EXTERNAL");
    }

    @Test
    void theStrictRigRefusesAnUntrustedCertificateTheLenientOneAuthenticatesParleyByDialback() throws Exception {
        S2sTls selfSigned = TestTls.s2s(pki, "self.lync.test-self", pki.ca());
        // strict (no mod_s2s_dialback): ejabberd offers SASL EXTERNAL only, and it fails for a certificate it does not trust
        assertThatThrownBy(() -> OutboundServerStream.open(new S2sTarget("127.0.0.1", ejabberd.s2sPort), "self.lync.test", "xmpp.test",
                selfSigned, PartnerRules.DEFAULT, KEYS, out, 10_000)).isInstanceOf(S2sException.class);

        // lenient: ejabberd offers SASL EXTERNAL on every encrypted stream and refuses Parley's untrusted certificate with
        // <failure/>; Parley falls back to dialback on the same stream (RFC 6120 §6.4.5), and ejabberd calls Parley's
        // self.lync.test listener back (found through the rig's SRV record; TLS there with the self-signed certificate)
        AtomicInteger lenientS2s = new AtomicInteger();
        PartnerTargets toLenient = new PartnerTargets(Map.of(), new SrvResolver(name -> name.startsWith("_xmpp-server.")
                ? List.of("0 0 " + lenientS2s.get() + " 127.0.0.1.") : List.of()));
        InboundServerListener callback = new InboundServerListener(S2sListenerConfig.starttls("127.0.0.1", 0, Set.of("self.lync.test")),
                selfSigned, PartnerPolicy.open(Set.of()), new InboundDispatcher(new XmppToModel(mapper),
                new IqHandler(Set.of("self.lync.test"), "test"), e -> { }), p -> { }, KEYS, new DialbackVerifier(toLenient, selfSigned, 10_000));
        callback.start();
        EjabberdRig lenient = EjabberdRig.createFederating(dir.resolve("ejabberd-lenient"), pki, Map.of("self.lync.test", callback.port()),
                Map.of(), false);
        try {
            lenientS2s.set(lenient.s2sPort);
            lenient.register("nurse", "xmpp.test", "nurse-password");
            lenient.start();
            XMPPTCPConnection nurse = TestTls.smackUser("nurse", "nurse-password", lenient.c2sPort, pki.ca());
            BlockingQueue<Message> nurseInbox = new LinkedBlockingQueue<>();
            nurse.addSyncStanzaListener(s -> nurseInbox.add((Message) s), StanzaTypeFilter.MESSAGE);
            nurse.connect().login();
            String body = "dialback to the nurse " + System.nanoTime();
            try (OutboundServerStream stream = OutboundServerStream.open(new S2sTarget("127.0.0.1", lenient.s2sPort), "self.lync.test",
                    "xmpp.test", selfSigned, PartnerRules.DEFAULT, KEYS, out, 10_000)) {
                assertThat(stream.encrypted()).isTrue();
                assertThat(stream.authentication()).as(lenient.log()).isEqualTo("dialback");
                stream.send(ChatMessage.text(Address.xmpp("bob", "self.lync.test"), Address.xmpp("nurse", "xmpp.test", "balcony"), "d1", body));
                Message got = nurseInbox.poll(10, TimeUnit.SECONDS);
                assertThat(got).as(lenient.log()).isNotNull();
                assertThat(got.getBody()).isEqualTo(body);
            } finally {
                nurse.disconnect();
            }
        } finally {
            lenient.close();
            callback.close();
        }
    }

    @Test
    void aStoppedRigLeavesNoProcessPortOrEpmdBehind() throws Exception {
        Set<Long> epmdBefore = epmds();
        EjabberdRig second = EjabberdRig.createFederating(dir.resolve("ejabberd-second"), pki);
        second.register("romeo", "xmpp.test", "romeo-password");
        second.start();
        try {
            XMPPTCPConnection romeo = TestTls.smackUser("romeo", "romeo-password", second.c2sPort, pki.ca());
            romeo.connect().login();
            assertThat(romeo.isAuthenticated()).isTrue();
            romeo.disconnect();
        } finally {
            long stopping = System.nanoTime();
            second.close();
            System.out.println("second ejabberd stopped in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping) + " ms");
        }
        assertThat(second.running()).isFalse();
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(a -> String.join(" ", a)).orElse("")
                .contains(dir.resolve("ejabberd-second").toString()))).as("processes of the stopped node").isEmpty();
        for (int port : List.of(second.c2sPort, second.s2sPort, second.s2sDirectTlsPort)) {
            assertThat(listening(port)).as("port %d after stop", port).isFalse();
        }
        assertThat(epmds()).as("no epmd started").isSubsetOf(epmdBefore);
        // the first rig is untouched by the second's start and stop
        assertThat(listening(ejabberd.c2sPort)).isTrue();
    }

    private static Set<Long> epmds() {
        return ProcessHandle.allProcesses().filter(p -> p.info().command().map(c -> c.endsWith("/epmd")).orElse(false))
                .map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static boolean awaitBody(String body) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Message m = inbox.poll(100, TimeUnit.MILLISECONDS);
            if (m != null && body.equals(m.getBody())) {
                return true;
            }
        }
        return false;
    }
}
