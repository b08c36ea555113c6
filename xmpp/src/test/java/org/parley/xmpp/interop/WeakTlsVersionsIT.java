package org.parley.xmpp.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.parley.presence.address.AddressMapper;
import org.parley.xmpp.adapt.InboundDispatcher;
import org.parley.xmpp.adapt.XmppToModel;
import org.parley.xmpp.iq.IqHandler;
import org.parley.xmpp.s2s.InboundServerListener;
import org.parley.xmpp.s2s.PartnerPolicy;
import org.parley.xmpp.s2s.S2sListenerConfig;
import org.parley.xmpp.testing.OpensslPki;
import org.parley.xmpp.testing.TestTls;

/**
 * TLS 1.2+ only on the s2s direct-TLS port (XEP-0368), checked with Debian's {@code openssl
 * s_client} at security level 0 so that the client really offers TLS 1.0 / 1.1: Parley must answer
 * them with a "protocol version" alert and accept 1.2 and 1.3.
 */
class WeakTlsVersionsIT {

    private static OpensslPki pki;
    private static InboundServerListener listener;

    @BeforeAll
    static void start() throws Exception {
        pki = new OpensslPki(Files.createTempDirectory("xmpp-weak-tls"));
        pki.leaf("lync.test");
        pki.leaf("xmpp.test");
        AddressMapper mapper = AddressMapper.forDomains(List.of("lync.test", "xmpp.test"));
        listener = new InboundServerListener(S2sListenerConfig.starttls("127.0.0.1", 0, Set.of("lync.test")).withDirectTls(),
                TestTls.s2s(pki, "lync.test", pki.ca()), PartnerPolicy.open(Set.of()),
                new InboundDispatcher(new XmppToModel(mapper), new IqHandler(Set.of("lync.test"), "test"), e -> { }), p -> { }, null, null);
        listener.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (listener != null) {
            listener.close();
        }
    }

    @ParameterizedTest(name = "{0} accepted: {1}")
    @CsvSource({"-tls1, false", "-tls1_1, false", "-tls1_2, true", "-tls1_3, true"})
    void onlyTls12AndLaterAreAccepted(String version, boolean accepted) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + listener.port(), version,
                "-cert", pki.file("xmpp.test.crt").toString(), "-key", pki.file("xmpp.test.key").toString(),
                "-CAfile", pki.ca().toString(), "-alpn", "xmpp-server", "-brief"));
        if (!version.equals("-tls1_3")) {
            cmd.addAll(List.of("-cipher", "DEFAULT@SECLEVEL=0"));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().write("</stream:stream>".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (accepted) {
            assertThat(out).as(out).contains("Protocol version: " + (version.equals("-tls1_2") ? "TLSv1.2" : "TLSv1.3"));
        } else {
            assertThat(out).as(out).containsIgnoringCase("alert protocol version");
        }
    }
}
