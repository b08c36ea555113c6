package org.parley.sip.lync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.Availability;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.LocalizedText;
import org.parley.presence.model.LyncState;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.model.Receipt;
import org.parley.presence.model.SubscriptionAction;
import org.parley.presence.model.SubscriptionEvent;
import org.parley.sip.SipEndpoint;
import org.parley.sip.config.HostPort;
import org.parley.sip.config.SipDialect;
import org.parley.sip.config.SipEndpointConfig;
import org.parley.sip.config.SipTransport;
import org.parley.sip.testing.FreePorts;
import org.parley.sip.testing.LyncFrontEndSimulator;
import org.parley.sip.testing.RecordingInbound;
import org.parley.sip.testing.TestPki;
import org.parley.sip.tls.TlsMaterial;

/** Parley against the Lync front-end simulator: ms-diagnostics, msrtc categories, BENOTIFY. */
class LyncDialectTest {

    private static final String STATE_6500_MEETING = org.parley.sip.testing.LyncCategoryDocuments.MEETING;
    private static final String STATE_15500_ONLY = "<categories xmlns=\"http://schemas.microsoft.com/2006/09/sip/categories\" uri=\"sip:alice@contoso.com\">"
            + "<category name=\"state\" instance=\"0\" publishTime=\"2026-01-02T04:00:00.000\" container=\"300\" version=\"8\" expireType=\"static\">"
            + "<state xmlns=\"http://schemas.microsoft.com/2006/09/sip/state\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"aggregateState\" lastActive=\"2026-01-02T03:59:00\">"
            + "<availability>15500</availability></state></category></categories>";

    private static SipEndpoint parley;
    private static LyncFrontEndSimulator frontEnd;
    private static int parleyPort;
    private static final RecordingInbound recorder = new RecordingInbound();

    @BeforeAll
    static void start() throws Exception {
        TestPki pki = new TestPki();
        TestPki.Issued ca = pki.newCa("Contoso CA");
        TestPki.Issued gw = pki.newLeaf(ca, "gw.contoso.com", "gw1.contoso.com");
        TestPki.Issued fe = pki.newLeaf(ca, "pool.contoso.com", "fe1.contoso.com");
        int fePort = FreePorts.next();
        frontEnd = new LyncFrontEndSimulator(fePort, new TlsMaterial(List.of(fe.certificate()), fe.keys().getPrivate(),
                List.of(ca.certificate()), Set.of("gw.contoso.com")), Set.of("alice", "forked"));
        parleyPort = FreePorts.next();
        SipEndpointConfig config = new SipEndpointConfig("gw.contoso.com", "127.0.0.1", "127.0.0.1", parleyPort, SipTransport.TLS,
                new TlsMaterial(List.of(gw.certificate()), gw.keys().getPrivate(), List.of(ca.certificate()), Set.of("pool.contoso.com")),
                List.of(new HostPort("127.0.0.1", fePort)), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(30),
                Set.of("xmpp.test"), SipDialect.LYNC, new org.parley.sip.config.SipTimers(Duration.ofHours(1), Duration.ofMinutes(1),
                        Duration.ofHours(1), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(3)));
        parley = new SipEndpoint(config, AddressMapper.forDomains(List.of("contoso.com", "xmpp.test")), recorder.sides(),
                Clock.systemUTC(), line -> { });
        parley.start();
    }

    @AfterAll
    static void stop() {
        if (parley != null) {
            parley.close();
        }
        if (frontEnd != null) {
            frontEnd.close();
        }
    }

    @Test
    void unknownLyncUserComesBackWithTheMsDiagnosticsReason() throws Exception {
        GatewayEvent outcome = parley.messaging()
                .send(ChatMessage.text(Address.sip("juliet", "xmpp.test"), Address.sip("bob", "contoso.com"), "m1", "hi bob"))
                .get(10, TimeUnit.SECONDS);

        assertThat(outcome).isInstanceOf(GatewayError.class);
        GatewayError error = (GatewayError) outcome;
        assertThat(error.condition()).isEqualTo(ErrorCondition.ITEM_NOT_FOUND);
        assertThat(error.sipStatus()).isEqualTo(404);
        assertThat(error.diagnostics().code()).isEqualTo(1003);
        assertThat(error.diagnostics().reason()).isEqualTo("User does not exist");
        assertThat(error.diagnostics().parameters()).containsEntry("source", "fe1.contoso.com");
        assertThat(error.text()).isEqualTo("User does not exist (ms-diagnostics 1003)");

        GatewayEvent ok = parley.messaging()
                .send(ChatMessage.text(Address.sip("juliet", "xmpp.test"), Address.sip("alice", "contoso.com"), "m2", "hi alice"))
                .get(10, TimeUnit.SECONDS);
        assertThat(ok).isInstanceOf(Receipt.class);
    }

    @Test
    void categoriesNotifyAndBenotifyBecomePresenceAndBenotifyIsNeverAnswered() throws Exception {
        Address juliet = Address.sip("juliet", "xmpp.test");
        Address alice = Address.sip("alice", "contoso.com");
        recorder.presence.clear();

        assertThat(parley.subscriber().subscribe(juliet, alice).get(10, TimeUnit.SECONDS))
                .isEqualTo(new SubscriptionEvent(alice, juliet, SubscriptionAction.APPROVE));
        LyncFrontEndSimulator.Received subscribe = drainUntil("SUBSCRIBE");
        assertThat(subscribe).isNotNull();
        // [MS-PRES] §2.2.2.4.1 category subscription: the presentity and the categories Parley maps
        assertThat(subscribe.contentType()).isEqualTo("application/msrtc-adrl-categorylist+xml");
        assertThat(subscribe.body()).contains("<resource uri=\"sip:alice@contoso.com\"/>")
                .contains("<category name=\"state\"/>").contains("<category name=\"note\"/>")
                .contains("xmlns=\"http://schemas.microsoft.com/2006/01/sip/batch-subscribe\"");

        frontEnd.notifyLastSubscriber("NOTIFY", STATE_6500_MEETING);
        PresenceUpdate meeting = recorder.presence.poll(5, TimeUnit.SECONDS);
        assertThat(meeting).isNotNull();
        assertThat(meeting.availability()).isEqualTo(Availability.BUSY);
        assertThat(meeting.lyncState()).isEqualTo(new LyncState(6500, "in-a-meeting"));
        assertThat(meeting.activity().token()).isEqualTo("meeting");
        assertThat(meeting.statusTexts()).containsExactly(LocalizedText.of("Quarterly review"));
        assertThat(meeting.to()).isEqualTo(juliet);

        frontEnd.notifyLastSubscriber("BENOTIFY", STATE_15500_ONLY);
        PresenceUpdate away = recorder.presence.poll(5, TimeUnit.SECONDS);
        assertThat(away).isNotNull();
        assertThat(away.availability()).isEqualTo(Availability.AWAY);
        assertThat(away.lyncState()).isEqualTo(new LyncState(15500, null));
        // the BENOTIFY carried only the state category: the note stays what it was
        assertThat(away.statusTexts()).containsExactly(LocalizedText.of("Quarterly review"));
        assertThat(frontEnd.awaitBenotifyResponse(2)).as("a BENOTIFY gets no response").isNull();

        // a body Parley cannot read: the NOTIFY is still answered, the last state kept, and the trace hears of it
        recorder.refusals.clear();
        frontEnd.notifyLastSubscriber("NOTIFY", STATE_6500_MEETING.substring(0, STATE_6500_MEETING.length() / 2));
        org.parley.sip.SipRefusal unreadable = recorder.refusals.poll(5, TimeUnit.SECONDS);
        assertThat(unreadable).isNotNull();
        assertThat(unreadable.method()).isEqualTo("NOTIFY");
        assertThat(unreadable.status()).isEqualTo(200);
        assertThat(unreadable.reason()).startsWith("malformed-body: ").contains("subscription and last state kept");
        assertThat(recorder.presence.poll(1, TimeUnit.SECONDS)).as("no presence from an unreadable body").isNull();
    }

    @Test
    void aLyncWatcherGetsCategoriesByBenotify() throws Exception {
        Address juliet = Address.sip("juliet", "xmpp.test");
        recorder.states.put(juliet, new PresenceUpdate(juliet, null, Availability.DO_NOT_DISTURB, 0,
                List.of(LocalizedText.of("Writing")), null, null));

        assertThat(frontEnd.subscribeAsLyncWatcher("sip:alice@contoso.com", "sip:juliet@xmpp.test", parleyPort).getStatusCode())
                .isEqualTo(200);

        LyncFrontEndSimulator.Received first = drainUntil("BENOTIFY");
        assertThat(first).as("Parley uses BENOTIFY when the watcher supports ms-benotify").isNotNull();
        assertThat(first.contentType()).isEqualTo(LyncFrontEndSimulator.CATEGORIES);
        assertThat(first.body()).contains("<availability>9500</availability>").contains(">Writing</body>")
                .contains("uri=\"sip:juliet@xmpp.test\"");
        assertThat(first.subscriptionState()).startsWith("active");
    }

    @Test
    void aLyncUserStartsAnImSessionWithTheFirstMessageInMsTextFormat() throws Exception {
        recorder.messages.clear();
        recorder.chatStates.clear();
        Address alice = Address.sip("alice", "contoso.com");
        Address juliet = Address.sip("juliet", "xmpp.test");

        var ok = frontEnd.startImSession("sip:alice@contoso.com", "sip:juliet@xmpp.test", parleyPort, "Hello from Lync ✓",
                "m=message 5061 sip null");
        assertThat(ok.getStatusCode()).isEqualTo(200);
        assertThat(new String(ok.getRawContent(), java.nio.charset.StandardCharsets.UTF_8)).contains("m=message").contains("sip null");
        assertThat(ok.getHeader("Supported").toString()).contains("ms-text-format");
        ChatMessage first = recorder.messages.poll(5, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(first.body()).isEqualTo("Hello from Lync ✓");
        assertThat(first.from()).isEqualTo(alice);
        assertThat(first.to()).isEqualTo(juliet);
        assertThat(first.conversationId()).isEqualTo("AcnTd4Wq7E8BYGfUQSm7Hz6yJZ8fpQ==");

        assertThat(frontEnd.inSession("INFO", "application", "xml",
                "<?xml version=\"1.0\"?><KeyboardActivity><status status=\"type\" /></KeyboardActivity>").getStatusCode()).isEqualTo(200);
        assertThat(recorder.chatStates.poll(5, TimeUnit.SECONDS).state()).isEqualTo(org.parley.presence.model.ChatState.COMPOSING);

        assertThat(frontEnd.inSession("MESSAGE", "application", "im-iscomposing+xml",
                "<isComposing xmlns=\"urn:ietf:params:xml:ns:im-iscomposing\"><state>idle</state></isComposing>").getStatusCode()).isEqualTo(200);
        assertThat(recorder.chatStates.poll(5, TimeUnit.SECONDS).state()).isEqualTo(org.parley.presence.model.ChatState.PAUSED);

        assertThat(frontEnd.inSession("MESSAGE", "text", "html", "<b>second</b> line").getStatusCode()).isEqualTo(200);
        ChatMessage second = recorder.messages.poll(5, TimeUnit.SECONDS);
        assertThat(second.body()).isEqualTo("second line");
        assertThat(second.htmlBody()).isEqualTo("<b>second</b> line");

        // this session by its Call-ID: a count would also see the idle sweeper end other tests' sessions
        assertThat(parley.imSessions().isOpen(frontEnd.imCallId())).isTrue();
        assertThat(frontEnd.inSession("BYE", null, null, null).getStatusCode()).isEqualTo(200);
        assertThat(recorder.chatStates.poll(5, TimeUnit.SECONDS).state()).isEqualTo(org.parley.presence.model.ChatState.GONE);
        assertThat(parley.imSessions().isOpen(frontEnd.imCallId())).isFalse();
    }

    @Test
    void anInviteForAudioIsNotAcceptedHere() throws Exception {
        assertThat(frontEnd.startImSession("sip:alice@contoso.com", "sip:juliet@xmpp.test", parleyPort, null,
                "m=audio 5004 RTP/AVP 0").getStatusCode()).isEqualTo(488);
    }

    @Test
    void imTowardLyncUsesOneSessionPerPairAndEndsItWhenIdle() throws Exception {
        Address juliet = Address.sip("juliet", "xmpp.test");
        Address alice = Address.sip("alice", "contoso.com");
        drainAll();

        assertThat(parley.sendMessage(ChatMessage.text(juliet, alice, "s1", "first")).get(10, TimeUnit.SECONDS)).isInstanceOf(Receipt.class);
        assertThat(parley.sendMessage(ChatMessage.text(juliet, alice, "s2", "second")).get(10, TimeUnit.SECONDS)).isInstanceOf(Receipt.class);
        assertThat(parley.sendChatState(new org.parley.presence.model.ChatStateChange(juliet, alice,
                org.parley.presence.model.ChatState.COMPOSING, null))).isTrue();

        List<LyncFrontEndSimulator.Received> seen = drainAll();
        assertThat(seen).extracting(LyncFrontEndSimulator.Received::method).containsSubsequence("INVITE", "MESSAGE", "MESSAGE", "INFO");
        assertThat(seen.stream().filter(r -> r.method().equals("INVITE")).count()).as("one session for the pair").isEqualTo(1);
        assertThat(seen.stream().filter(r -> r.method().equals("MESSAGE")).map(LyncFrontEndSimulator.Received::body))
                .containsExactly("first", "second");
        assertThat(seen.stream().filter(r -> r.method().equals("INFO")).findFirst().orElseThrow().body()).contains("status=\"type\"");

        // idle timeout is 3 s in this test: the session ends with BYE, the next message re-INVITEs
        // (by Call-ID: another test's idle session may be hung up meanwhile)
        String session = seen.stream().filter(r -> r.method().equals("INVITE")).findFirst().orElseThrow().callId();
        LyncFrontEndSimulator.Received bye = drainUntil("BYE", session);
        assertThat(bye).as("idle session ended with BYE").isNotNull();
        assertThat(parley.sendMessage(ChatMessage.text(juliet, alice, "s3", "third")).get(10, TimeUnit.SECONDS)).isInstanceOf(Receipt.class);
        assertThat(drainAll()).extracting(LyncFrontEndSimulator.Received::method).containsSubsequence("INVITE", "MESSAGE");
    }

    @Test
    void imSessionToAnUnknownLyncUserFailsWithTheDiagnostic() throws Exception {
        GatewayEvent outcome = parley.sendMessage(ChatMessage.text(Address.sip("juliet", "xmpp.test"), Address.sip("carol", "contoso.com"),
                "u1", "hello?")).get(10, TimeUnit.SECONDS);
        assertThat(outcome).isInstanceOf(GatewayError.class);
        assertThat(((GatewayError) outcome).diagnostics().code()).isEqualTo(1003);
        assertThat(((GatewayError) outcome).condition()).isEqualTo(ErrorCondition.ITEM_NOT_FOUND);
    }

    @Test
    void aReplyGoesIntoTheSessionTheLyncUserOpened() throws Exception {
        frontEnd.startImSession("sip:alice@contoso.com", "sip:romeo@xmpp.test", parleyPort, "ping", "m=message 5061 sip null");
        drainAll();
        GatewayEvent reply = parley.sendMessage(ChatMessage.text(Address.sip("romeo", "xmpp.test"), Address.sip("alice", "contoso.com"),
                "r1", "pong")).get(10, TimeUnit.SECONDS);
        assertThat(reply).isInstanceOf(Receipt.class);
        List<LyncFrontEndSimulator.Received> seen = drainAll();
        assertThat(seen).extracting(LyncFrontEndSimulator.Received::method).containsExactly("MESSAGE");
        assertThat(seen.get(0).body()).isEqualTo("pong");
        frontEnd.inSession("BYE", null, null, null);
    }

    @Test
    void whenAnImInviteForksTheFirst200WinsAndTheOtherLegIsHungUp() throws Exception {
        drainAll();
        Address juliet = Address.sip("juliet", "xmpp.test");
        Address forked = Address.sip("forked", "contoso.com");

        assertThat(parley.sendMessage(ChatMessage.text(juliet, forked, "k1", "which endpoint?")).get(10, TimeUnit.SECONDS))
                .isInstanceOf(Receipt.class);

        List<LyncFrontEndSimulator.Received> all = drainAll();
        // only this INVITE's dialogs: another test's idle session may be hung up meanwhile
        String forkedCall = all.stream().filter(r -> r.method().equals("INVITE")).findFirst().orElseThrow().callId();
        List<LyncFrontEndSimulator.Received> seen = all.stream().filter(r -> r.callId().equals(forkedCall)).toList();
        List<String> byes = seen.stream().filter(r -> r.method().equals("BYE")).map(LyncFrontEndSimulator.Received::toTag).toList();
        List<String> messagesTo = seen.stream().filter(r -> r.method().equals("MESSAGE")).map(LyncFrontEndSimulator.Received::toTag).toList();
        assertThat(messagesTo).hasSize(1).allSatisfy(tag -> assertThat(tag).startsWith("leg1-"));
        assertThat(byes).as("the second leg is hung up").hasSize(1).allSatisfy(tag -> assertThat(tag).startsWith("leg2-"));
        assertThat(seen.stream().filter(r -> r.method().equals("ACK")).map(LyncFrontEndSimulator.Received::toTag))
                .anySatisfy(tag -> assertThat(tag).startsWith("leg1-"))
                .anySatisfy(tag -> assertThat(tag).startsWith("leg2-"));
    }

    @Test
    void aConfiguredGruuIsTheContactOfParleysRequests() throws Exception {
        drainAll();
        String gruu = "sip:gw1.contoso.com@contoso.com;gr=urn:uuid:7e7b7f7a-1b2c-4d5e-8f90-0a1b2c3d4e5f";
        SipEndpointConfig withGruu = parley.config().withGruu(gruu);
        SipEndpointConfig other = new SipEndpointConfig(withGruu.poolFqdn(), withGruu.computerFqdn(), withGruu.listenAddress(),
                FreePorts.next(), withGruu.transport(), withGruu.tls(), withGruu.frontEnds(), withGruu.connectTimeout(),
                withGruu.requestTimeout(), withGruu.targetBackoff(), withGruu.sipDomains(), withGruu.dialect(), withGruu.timers(), gruu, null);
        try (SipEndpoint endpoint = new SipEndpoint(other, AddressMapper.forDomains(List.of("contoso.com", "xmpp.test")),
                new RecordingInbound(), Clock.systemUTC(), line -> { })) {
            endpoint.start();
            assertThat(endpoint.messaging().send(ChatMessage.text(Address.sip("juliet", "xmpp.test"), Address.sip("alice", "contoso.com"),
                    "g1", "via gruu")).get(10, TimeUnit.SECONDS)).isInstanceOf(Receipt.class);
        }
        LyncFrontEndSimulator.Received message = drainUntil("MESSAGE");
        assertThat(message.contact()).isEqualTo(gruu);
    }

    @Test
    void aDomainConfiguredForTheRfcDialectGetsPageModeAndPidfBehindTheSameRoute() throws Exception {
        drainAll();
        SipEndpointConfig mixed = parley.config().withGruu(null)
                .withDomainDialects(java.util.Map.of("fabrikam.com", org.parley.sip.config.SipDialect.RFC));
        SipEndpointConfig other = new SipEndpointConfig(mixed.poolFqdn(), mixed.computerFqdn(), mixed.listenAddress(), FreePorts.next(),
                mixed.transport(), mixed.tls(), mixed.frontEnds(), mixed.connectTimeout(), mixed.requestTimeout(), mixed.targetBackoff(),
                mixed.sipDomains(), mixed.dialect(), mixed.timers(), null, mixed.domainDialects());
        try (SipEndpoint endpoint = new SipEndpoint(other, AddressMapper.forDomains(List.of("contoso.com", "fabrikam.com", "xmpp.test")),
                new RecordingInbound(), Clock.systemUTC(), line -> { })) {
            endpoint.start();
            Address juliet = Address.sip("juliet", "xmpp.test");
            assertThat(endpoint.sendMessage(ChatMessage.text(juliet, Address.sip("alice", "fabrikam.com"), "r1", "page mode"))
                    .get(10, TimeUnit.SECONDS)).isInstanceOf(Receipt.class);
            List<LyncFrontEndSimulator.Received> rfc = drainAll();
            // (a BYE of another test's idle IM session may pass by; what matters: page mode, no INVITE)
            assertThat(rfc).extracting(LyncFrontEndSimulator.Received::method).contains("MESSAGE").doesNotContain("INVITE");

            endpoint.subscriber().subscribe(juliet, Address.sip("alice", "fabrikam.com")).get(10, TimeUnit.SECONDS);
            LyncFrontEndSimulator.Received plainSubscribe = drainUntil("SUBSCRIBE");
            assertThat(plainSubscribe.contentType()).as("RFC 3856: no category subscription body").isNull();

            assertThat(endpoint.sendMessage(ChatMessage.text(juliet, Address.sip("alice", "contoso.com"), "l1", "IM session"))
                    .get(10, TimeUnit.SECONDS)).isInstanceOf(Receipt.class);
            assertThat(drainAll()).extracting(LyncFrontEndSimulator.Received::method).contains("INVITE", "MESSAGE");
        }
    }

    private static List<LyncFrontEndSimulator.Received> drainAll() throws InterruptedException {
        List<LyncFrontEndSimulator.Received> all = new java.util.ArrayList<>();
        LyncFrontEndSimulator.Received r;
        while ((r = frontEnd.await(1)) != null) {
            all.add(r);
        }
        return all;
    }

    private static LyncFrontEndSimulator.Received drainUntil(String method) throws InterruptedException {
        return drainUntil(method, null);
    }

    /** The next request of this method (and, when given, this Call-ID), skipping others; null after a 5 s silence. */
    private static LyncFrontEndSimulator.Received drainUntil(String method, String callId) throws InterruptedException {
        for (int i = 0; i < 20; i++) {
            LyncFrontEndSimulator.Received r = frontEnd.await(5);
            if (r == null || (r.method().equals(method) && (callId == null || callId.equals(r.callId())))) {
                return r;
            }
        }
        return null;
    }
}
