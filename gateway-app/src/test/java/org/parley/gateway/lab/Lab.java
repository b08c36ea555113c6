package org.parley.gateway.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.gateway.tls.DevelopmentPki;
import org.parley.sip.testing.FreePorts;
import org.parley.sip.testing.KamailioRig;
import org.parley.sip.testing.TestPki;
import org.parley.sip.testing.TestSipUserAgent;
import org.parley.sip.tls.PemFiles;
import org.parley.sip.tls.TlsMaterial;
import org.parley.xmpp.testing.ProsodyRig;
import org.parley.xmpp.testing.TestTls;

/**
 * docs/lab.md's lab: real Prosody (XMPP, xmpp.test) and real Kamailio (SIP registrar and presence server,
 * sip.test, record-routing) from Debian's packages, Parley between them started as an operator starts it
 * ({@code java -jar parley.jar --config lab/parley.yml}), everything on 127.0.0.1 over TLS with certificates
 * from Parley's development CA. It sends a first IM each way and a presence subscription, prints where to
 * look, and stops what it started — at once, or on Enter with {@code --keep}. Any step that fails ends
 * the run with a non-zero status: {@code lab/run} is also a CI step.
 */
public final class Lab {

    private final Path dir;
    private final Path jar;
    private final LabLog out = new LabLog();

    private Lab(Path dir, Path jar) {
        this.dir = dir;
        this.jar = jar;
    }

    /** {@code Lab <work dir> <parley.jar> [--keep]} */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Lab <work dir> <parley.jar> [--keep]");
            System.exit(2);
        }
        boolean keep = args.length > 2 && args[2].equals("--keep");
        int status;
        try {
            status = new Lab(Path.of(args[0]).toAbsolutePath(), Path.of(args[1]).toAbsolutePath()).run(keep);
        } catch (Throwable e) {
            System.err.println("lab: FAILED: " + e.getMessage());
            e.printStackTrace();
            status = 1;
        }
        // exit even when a client library left a thread running: the lab's outcome is the status
        System.exit(status);
    }

    private int run(boolean keep) throws Exception {
        Files.createDirectories(dir);
        int parleySip = FreePorts.next();
        int parleyS2s = FreePorts.next();
        int admin = FreePorts.next();
        Path data = dir.resolve("parley-data");

        // the development CA Parley itself makes on first start (same names), then the peers' certificates from it
        DevelopmentPki.PkiFiles pki = DevelopmentPki.ensure(data, LabConfig.POOL, "127.0.0.1", List.of(LabConfig.SIP_DOMAIN));
        TestPki.Issued ca = new TestPki.Issued(PemFiles.readCertificates(pki.ca()).get(0),
                new KeyPair(PemFiles.readCertificates(pki.ca()).get(0).getPublicKey(), PemFiles.readPrivateKey(pki.caKey(), null)));
        TestPki issuer = new TestPki();
        TestPki.Issued kamCert = issuer.newLeaf(ca, LabConfig.SIP_DOMAIN, "127.0.0.1");
        TestPki.Issued prosodyCert = issuer.newLeaf(ca, LabConfig.XMPP_DOMAIN);
        TestPki.Issued aliceCert = issuer.newLeaf(ca, "alice." + LabConfig.SIP_DOMAIN);
        out.step("development CA " + pki.ca() + " signed certificates for Kamailio (" + LabConfig.SIP_DOMAIN + ") and Prosody ("
                + LabConfig.XMPP_DOMAIN + ")");

        try (LabProcesses running = new LabProcesses()) {
            KamailioRig kamailio = running.add(KamailioRig.start(Files.createDirectories(dir.resolve("kamailio")),
                    write(dir.resolve("kamailio.pem"), kamCert.certificate()), TestPki.writePkcs8(dir.resolve("kamailio.key"), kamCert.keys()),
                    pki.ca(), parleySip));
            out.step("Kamailio " + LabConfig.SIP_DOMAIN + " on 127.0.0.1:" + kamailio.port() + " (TLS, record-routing, routes "
                    + LabConfig.XMPP_DOMAIN + " to Parley)");

            ProsodyRig prosody = running.add(ProsodyRig.createFederating(dir.resolve("prosody"), pki.ca(),
                    write(dir.resolve("prosody.pem"), prosodyCert.certificate()), TestPki.writePkcs8(dir.resolve("prosody.key"), prosodyCert.keys()),
                    Map.of(LabConfig.SIP_DOMAIN, parleyS2s), Map.of(), true));
            prosody.register("juliet", LabConfig.XMPP_DOMAIN, "juliet-password");
            prosody.start();
            out.step("Prosody " + LabConfig.XMPP_DOMAIN + ": c2s 127.0.0.1:" + prosody.c2sPort + ", s2s 127.0.0.1:" + prosody.componentPort
                    + " (user juliet, password juliet-password)");

            Path config = LabConfig.write(dir.resolve("parley.yml"), data, parleySip, kamailio.port(), parleyS2s, prosody.componentPort, admin);
            LabParley parley = running.add(LabParley.start(jar, config, dir.resolve("parley.log"), admin));
            parley.awaitHealth("\"frontEnds\":{\"status\":\"UP\"", Duration.ofSeconds(60));
            out.step("Parley (" + config + ") ready; Kamailio answered its OPTIONS probe; log " + dir.resolve("parley.log"));

            XMPPTCPConnection juliet = TestTls.smackUser("juliet", "juliet-password", prosody.c2sPort, pki.ca());
            BlockingQueue<Stanza> toJuliet = new LinkedBlockingQueue<>();
            juliet.addSyncStanzaListener(toJuliet::add, s -> s instanceof Message || s instanceof Presence);
            org.jivesoftware.smack.roster.Roster.getInstanceFor(juliet)
                    .setSubscriptionMode(org.jivesoftware.smack.roster.Roster.SubscriptionMode.manual);
            juliet.connect().login();
            org.jivesoftware.smack.roster.Roster.getInstanceFor(juliet).reloadAndWait();
            running.add(juliet::disconnect);
            TestSipUserAgent alice = running.add(new TestSipUserAgent("alice", LabConfig.SIP_DOMAIN, FreePorts.next(),
                    new TlsMaterial(List.of(aliceCert.certificate()), aliceCert.keys().getPrivate(), List.of(ca.certificate()),
                            Set.of(LabConfig.SIP_DOMAIN)), "127.0.0.1", kamailio.port()));
            check(alice.register().getStatusCode() == 200, "alice registers at Kamailio", kamailio.log());

            juliet.sendStanza(StanzaBuilder.buildMessage("lab-1").to(JidCreate.from("alice@" + LabConfig.SIP_DOMAIN))
                    .ofType(Message.Type.chat).setBody("hello alice, from XMPP").build());
            TestSipUserAgent.Received im = alice.awaitMessage(20);
            check(im != null && "hello alice, from XMPP".equals(im.body()), "IM juliet@xmpp.test → Prosody → Parley → Kamailio → alice",
                    parley.logTail());
            out.step("IM XMPP → SIP: alice got \"" + im.body() + "\" from " + im.from());

            check(alice.sendMessage("sip:juliet@" + LabConfig.XMPP_DOMAIN, "hello juliet, from SIP").getStatusCode() == 200,
                    "Kamailio and Parley accept alice's MESSAGE", parley.logTail());
            Message back = (Message) await(toJuliet, s -> s instanceof Message m && "hello juliet, from SIP".equals(m.getBody()));
            check(back != null, "IM alice → Kamailio → Parley → Prosody → juliet", parley.logTail());
            out.step("IM SIP → XMPP: juliet got \"" + back.getBody() + "\" from " + back.getFrom());

            check(alice.publish(LabConfig.pidf("open", "At my desk")).getStatusCode() == 200, "alice publishes her presence", kamailio.log());
            juliet.sendStanza(StanzaBuilder.buildPresence().ofType(Presence.Type.subscribe).to(JidCreate.from("alice@" + LabConfig.SIP_DOMAIN)).build());
            Stanza seen = await(toJuliet, s -> s instanceof Presence p && p.getType() == Presence.Type.available
                    && p.getFrom().asBareJid().toString().equals("alice@" + LabConfig.SIP_DOMAIN));
            check(seen != null, "juliet subscribes to alice and sees her presence", parley.logTail());
            out.step("presence: juliet subscribed to alice and sees \"" + ((Presence) seen).getStatus() + "\"");

            out.summary("http://127.0.0.1:" + admin + "/admin/flow", data.resolve("admin-token"), parley.traceCount());
            if (keep) {
                out.step("running until Enter (or Ctrl-C); everything stops then");
                System.in.read();
            }
        }
        out.step("stopped Parley, Prosody and Kamailio");
        return 0;
    }

    private static Path write(Path file, X509Certificate certificate) throws IOException {
        return TestPki.writeCertificates(file, certificate);
    }

    private static Stanza await(BlockingQueue<Stanza> queue, java.util.function.Predicate<Stanza> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            Stanza s = queue.poll(200, TimeUnit.MILLISECONDS);
            if (s != null && wanted.test(s)) {
                return s;
            }
        }
        return null;
    }

    private static void check(boolean ok, String what, String evidence) {
        if (!ok) {
            throw new LabFailure(what + " — failed. Evidence:\n" + evidence);
        }
    }

    /** A lab step that did not happen: the run stops with its evidence. */
    static final class LabFailure extends RuntimeException {
        LabFailure(String message) {
            super(message);
        }
    }
}
