package org.parley.xmpp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.Availability;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.model.SubscriptionAction;
import org.parley.presence.model.SubscriptionEvent;
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
import org.parley.xmpp.testing.OpensslPki;
import org.parley.xmpp.testing.ProsodyRig;
import org.parley.xmpp.testing.TestTls;

/**
 * Server-to-server authentication against real Prosody 0.12, in the spirit of Openfire's
 * {@code LocalOutgoingServerSessionTest}: Prosody strict ({@code s2s_secure_auth}) and lenient ×
 * Parley's certificate (CA-signed, self-signed, none, and CA-signed while Parley does not trust
 * Prosody's CA) × direction. Each case's outcome — SASL EXTERNAL, dialback or refused — is
 * derived from the rules both servers follow ({@link #expected}), then observed: the method
 * Parley's stream reports, and whether a message crosses. Both Prosodys require encryption.
 *
 * <p>Each Parley certificate variant serves its own domain (lync.test, self.lync.test, …) on its
 * own listener, and each Prosody routes those domains there, so one Prosody per mode serves
 * every case. Direct TLS (XEP-0368) is checked both ways on the lenient Prosody.
 */
class ProsodyFederationMatrixIT {

    enum Mode { STRICT, LENIENT }

    enum Direction { PROSODY_TO_PARLEY, PARLEY_TO_PROSODY }

    enum Outcome { SASL_EXTERNAL, DIALBACK, REFUSED }

    enum ParleyCert {
        CA_SIGNED("lync.test"),
        SELF_SIGNED("self.lync.test"),
        NONE("nocert.lync.test"),
        CA_SIGNED_PARTNER_CA_UNTRUSTED("distrust.lync.test");

        final String domain;

        ParleyCert(String domain) {
            this.domain = domain;
        }

        boolean present() {
            return this != NONE;
        }

        boolean acceptedByProsody() {
            return this == CA_SIGNED || this == CA_SIGNED_PARTNER_CA_UNTRUSTED;
        }

        boolean parleyTrustsProsody() {
            return this != CA_SIGNED_PARTNER_CA_UNTRUSTED;
        }
    }

    /**
     * What must happen, from the rules alone: Prosody requires encryption, so whoever must offer
     * TLS needs a certificate (Parley as listener, and Parley answering Prosody's dialback callback);
     * a strict Prosody accepts only certificates valid for the domain; Parley always checks the
     * partner's certificate when it connects, and offers SASL EXTERNAL only to a partner it trusts.
     */
    static Outcome expected(Mode mode, ParleyCert cert, Direction direction) {
        if (direction == Direction.PARLEY_TO_PROSODY) {
            if (!cert.parleyTrustsProsody()) {
                return Outcome.REFUSED;
            }
            if (cert.acceptedByProsody()) {
                return Outcome.SASL_EXTERNAL;
            }
            // dialback: Prosody calls Parley's listener back, which needs a certificate to offer TLS
            return mode == Mode.LENIENT && cert.present() ? Outcome.DIALBACK : Outcome.REFUSED;
        }
        if (!cert.present()) {
            return Outcome.REFUSED;
        }
        if (mode == Mode.STRICT && !cert.acceptedByProsody()) {
            return Outcome.REFUSED;
        }
        return cert.parleyTrustsProsody() ? Outcome.SASL_EXTERNAL : Outcome.DIALBACK;
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Mode m : Mode.values()) {
            for (ParleyCert c : ParleyCert.values()) {
                for (Direction d : Direction.values()) {
                    cases.add(Arguments.of(m, c, d, expected(m, c, d)));
                }
            }
        }
        return cases.stream();
    }

    private static final DialbackKeys KEYS = DialbackKeys.random();
    private static OpensslPki pki;
    private static ModelToXmpp out;
    private static XmppToModel in;
    private static final Map<Mode, Federation> federations = new EnumMap<>(Mode.class);

    /** One Prosody with its Smack user, and one Parley listener per certificate variant. */
    static final class Federation {
        ProsodyRig prosody;
        XMPPTCPConnection juliet;
        final BlockingQueue<Message> julietInbox = new LinkedBlockingQueue<>();
        final Map<String, InboundServerListener> listeners = new LinkedHashMap<>();
        final Map<String, BlockingQueue<GatewayEvent>> events = new LinkedHashMap<>();
        final AtomicInteger prosodyS2sPort = new AtomicInteger();
    }

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("parley-federation-matrix");
        pki = new OpensslPki(dir.resolve("pki"));
        pki.leaf("xmpp.test");
        pki.leaf("lync.test");
        pki.leaf("distrust.lync.test");
        pki.leaf("tls.lync.test");
        pki.selfSigned("self.lync.test");
        AddressMapper mapper = AddressMapper.forDomains(List.of("xmpp.test", "lync.test", "self.lync.test", "nocert.lync.test",
                "distrust.lync.test", "tls.lync.test"));
        out = new ModelToXmpp(mapper);
        in = new XmppToModel(mapper);
        for (Mode mode : Mode.values()) {
            Federation f = new Federation();
            Map<String, Integer> routes = new LinkedHashMap<>();
            for (ParleyCert cert : ParleyCert.values()) {
                routes.put(cert.domain, listen(f, S2sListenerConfig.starttls("127.0.0.1", 0, Set.of(cert.domain)), tls(cert)));
            }
            Map<String, Integer> directRoutes = Map.of();
            if (mode == Mode.LENIENT) {
                directRoutes = Map.of("tls.lync.test", listen(f, S2sListenerConfig.starttls("127.0.0.1", 0, Set.of("tls.lync.test")).withDirectTls(),
                        TestTls.s2s(pki, "tls.lync.test", pki.ca())));
            }
            f.prosody = ProsodyRig.createFederating(dir.resolve("prosody-" + mode), pki, routes, directRoutes, mode == Mode.STRICT);
            f.prosodyS2sPort.set(f.prosody.componentPort);
            f.prosody.register("juliet", "xmpp.test", "juliet-password");
            f.prosody.start();
            f.juliet = TestTls.smackUser("juliet", "juliet-password", f.prosody.c2sPort, pki.ca());
            f.juliet.addAsyncStanzaListener(s -> f.julietInbox.add((Message) s), StanzaTypeFilter.MESSAGE);
            f.juliet.connect().login();
            federations.put(mode, f);
        }
    }

    private static S2sTls tls(ParleyCert cert) throws Exception {
        return switch (cert) {
            case CA_SIGNED -> TestTls.s2s(pki, "lync.test", pki.ca());
            case SELF_SIGNED -> TestTls.s2s(pki, "self.lync.test-self", pki.ca());
            case NONE -> TestTls.s2sWithoutCertificate(pki.ca());
            // Parley trusts an unrelated self-signed certificate instead of the CA that signed xmpp.test
            case CA_SIGNED_PARTNER_CA_UNTRUSTED -> TestTls.s2s(pki, "distrust.lync.test", pki.file("self.lync.test-self.crt"));
        };
    }

    /** A Parley listener whose dialback callbacks reach this federation's Prosody; returns its port. */
    private static int listen(Federation f, S2sListenerConfig config, S2sTls tls) throws Exception {
        String domain = config.localDomains().iterator().next();
        BlockingQueue<GatewayEvent> events = new LinkedBlockingQueue<>();
        PartnerTargets prosody = new PartnerTargets(Map.of(), new SrvResolver(name -> name.startsWith("_xmpp-server.")
                ? List.of("0 0 " + f.prosodyS2sPort.get() + " 127.0.0.1.") : List.of()));
        InboundServerListener listener = new InboundServerListener(config, tls, PartnerPolicy.open(Set.of()),
                new InboundDispatcher(in, new IqHandler(Set.of(domain), "test"), events::add), p -> { }, KEYS,
                new DialbackVerifier(prosody, tls, 10_000));
        listener.start();
        f.listeners.put(domain, listener);
        f.events.put(domain, events);
        return listener.port();
    }

    @AfterAll
    static void stop() throws Exception {
        for (Federation f : federations.values()) {
            if (f.juliet != null) {
                f.juliet.disconnect();
            }
            if (f.prosody != null) {
                f.prosody.close();
            }
            f.listeners.values().forEach(InboundServerListener::close);
        }
    }

    @ParameterizedTest(name = "{0} Prosody, Parley {1}, {2} → {3}")
    @MethodSource("matrix")
    void authenticationOutcomeMatchesTheRules(Mode mode, ParleyCert cert, Direction direction, Outcome expected) throws Exception {
        Federation f = federations.get(mode);
        Outcome actual = direction == Direction.PARLEY_TO_PROSODY ? parleyToProsody(f, cert) : prosodyToParley(f, cert);
        assertThat(actual).as("%s Prosody, Parley %s, %s%n%s", mode, cert, direction, f.prosody.log()).isEqualTo(expected);
    }

    private Outcome parleyToProsody(Federation f, ParleyCert cert) throws Exception {
        String body = "to juliet from " + cert.domain + " " + System.nanoTime();
        try (OutboundServerStream stream = OutboundServerStream.open(new S2sTarget("127.0.0.1", f.prosody.componentPort), cert.domain,
                "xmpp.test", tls(cert), PartnerRules.DEFAULT, KEYS, out, 10_000)) {
            stream.send(ChatMessage.text(Address.xmpp("bob", cert.domain), Address.xmpp("juliet", "xmpp.test", "balcony"), "m-" + cert, body));
            assertThat(awaitBody(f.julietInbox, body)).as("the message crosses once authenticated").isTrue();
            return "dialback".equals(stream.authentication()) ? Outcome.DIALBACK : Outcome.SASL_EXTERNAL;
        } catch (S2sException refused) {
            return Outcome.REFUSED;
        }
    }

    private Outcome prosodyToParley(Federation f, ParleyCert cert) throws Exception {
        String id = "p-" + cert + "-" + System.nanoTime();
        String body = "to bob@" + cert.domain + " " + id;
        BlockingQueue<GatewayEvent> events = f.events.get(cert.domain);
        f.juliet.sendStanza(StanzaBuilder.buildMessage(id).to(JidCreate.from("bob@" + cert.domain)).ofType(Message.Type.chat)
                .setBody(body).build());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            GatewayEvent e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e instanceof ChatMessage m && body.equals(m.body())) {
                AuthenticatedPair pair = f.listeners.get(cert.domain).authenticatedPairs().stream()
                        .filter(p -> p.partnerDomain().equals("xmpp.test")).findFirst().orElseThrow();
                assertThat(pair.encrypted()).isTrue();
                return "dialback".equals(pair.method()) ? Outcome.DIALBACK : Outcome.SASL_EXTERNAL;
            }
            Message bounce = f.julietInbox.poll();
            if (bounce != null && id.equals(bounce.getStanzaId()) && bounce.getType() == Message.Type.error) {
                return Outcome.REFUSED;
            }
        }
        throw new AssertionError("neither delivered nor bounced within 30 s");
    }

    @Test
    void subscriptionAndPresenceCrossTheFederationBothWays() throws Exception {
        Federation f = federations.get(Mode.STRICT);
        BlockingQueue<org.jivesoftware.smack.packet.Presence> presences = new LinkedBlockingQueue<>();
        f.juliet.addAsyncStanzaListener(p -> presences.add((org.jivesoftware.smack.packet.Presence) p), StanzaTypeFilter.PRESENCE);
        BlockingQueue<GatewayEvent> events = f.events.get("lync.test");
        Address bob = Address.xmpp("bob", "lync.test");
        Address julietBare = Address.xmpp("juliet", "xmpp.test");

        f.juliet.sendStanza(StanzaBuilder.buildPresence().ofType(org.jivesoftware.smack.packet.Presence.Type.subscribe)
                .to(JidCreate.from("bob@lync.test")).build());
        assertThat(awaitEvent(events, e -> e instanceof SubscriptionEvent)).as(f.prosody.log())
                .isEqualTo(new SubscriptionEvent(julietBare, bob, SubscriptionAction.REQUEST));

        try (OutboundServerStream stream = OutboundServerStream.open(new S2sTarget("127.0.0.1", f.prosody.componentPort), "lync.test",
                "xmpp.test", tls(ParleyCert.CA_SIGNED), PartnerRules.DEFAULT, KEYS, out, 10_000)) {
            stream.send(new SubscriptionEvent(bob, julietBare, SubscriptionAction.APPROVE));
            stream.send(new PresenceUpdate(bob, julietBare, Availability.AWAY, 0, List.of(), null, null));
            org.jivesoftware.smack.packet.Presence got = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && (got == null || got.getType() != org.jivesoftware.smack.packet.Presence.Type.available)) {
                got = presences.poll(100, TimeUnit.MILLISECONDS);
            }
            assertThat(got).as("bob's presence reaches juliet once she is subscribed%n%s", f.prosody.log()).isNotNull();
            assertThat(got.getFrom().asBareJid().toString()).isEqualTo("bob@lync.test");
            assertThat(got.getMode()).isEqualTo(org.jivesoftware.smack.packet.Presence.Mode.away);
        }

        // juliet's own presence now flows to the Lync side (Prosody broadcasts to her subscribers' servers on change)
        f.juliet.sendStanza(StanzaBuilder.buildPresence().ofType(org.jivesoftware.smack.packet.Presence.Type.available)
                .setMode(org.jivesoftware.smack.packet.Presence.Mode.dnd).to(JidCreate.from("bob@lync.test")).build());
        GatewayEvent p = awaitEvent(events, e -> e instanceof PresenceUpdate);
        assertThat(p).as(f.prosody.log()).isInstanceOf(PresenceUpdate.class);
        assertThat(((PresenceUpdate) p).availability()).isEqualTo(Availability.DO_NOT_DISTURB);
        assertThat(p.from().domain()).isEqualTo("xmpp.test");
    }

    private static GatewayEvent awaitEvent(BlockingQueue<GatewayEvent> events, java.util.function.Predicate<GatewayEvent> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            GatewayEvent e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && wanted.test(e)) {
                return e;
            }
        }
        return null;
    }

    @Test
    void directTlsBothWays() throws Exception {
        Federation f = federations.get(Mode.LENIENT);
        // Parley → Prosody's XEP-0368 port: TLS from the first byte, then SASL EXTERNAL
        String body = "direct TLS to juliet " + System.nanoTime();
        try (OutboundServerStream stream = OutboundServerStream.open(new S2sTarget("127.0.0.1", f.prosody.s2sDirectTlsPort, true),
                "tls.lync.test", "xmpp.test", TestTls.s2s(pki, "tls.lync.test", pki.ca()), PartnerRules.DEFAULT, KEYS, out, 10_000)) {
            assertThat(stream.encrypted()).isTrue();
            stream.send(ChatMessage.text(Address.xmpp("bob", "tls.lync.test"), Address.xmpp("juliet", "xmpp.test", "balcony"), "d1", body));
            assertThat(awaitBody(f.julietInbox, body)).as(f.prosody.log()).isTrue();
        }
        // Prosody → Parley's direct TLS listener (the only route Prosody has for tls.lync.test)
        String back = "direct TLS to bob " + System.nanoTime();
        f.juliet.sendStanza(StanzaBuilder.buildMessage("d2").to(JidCreate.from("bob@tls.lync.test")).ofType(Message.Type.chat)
                .setBody(back).build());
        GatewayEvent e;
        do {
            e = f.events.get("tls.lync.test").poll(20, TimeUnit.SECONDS);
        } while (e != null && !(e instanceof ChatMessage m && back.equals(m.body())));
        assertThat(e).as(f.prosody.log()).isNotNull();
    }

    private static boolean awaitBody(BlockingQueue<Message> inbox, String body) throws InterruptedException {
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
