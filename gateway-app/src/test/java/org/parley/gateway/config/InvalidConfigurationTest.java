package org.parley.gateway.config;


import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.parley.gateway.ParleyApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** A wrong value stops start-up with a message that names the property and the fix. */
class InvalidConfigurationTest {

    /** Starts Parley with {@code properties}; returns every message in the failure's cause chain. */
    private static String failureOf(Map<String, Object> properties) throws Exception {
        Map<String, Object> p = new HashMap<>(properties);
        p.put("parley.data-dir", Files.createTempDirectory("parley-bad-config").toString());
        p.put("server.port", "0");
        p.put("parley.lync.listen-port", Integer.toString(org.parley.sip.testing.FreePorts.next()));
        p.put("parley.xmpp.s2s.port", Integer.toString(org.parley.sip.testing.FreePorts.next()));
        try {
            new SpringApplicationBuilder(ParleyApplication.class).properties(p).run().close();
        } catch (RuntimeException e) {
            StringBuilder all = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                all.append(t.getMessage()).append('\n');
            }
            return all.toString();
        }
        throw new AssertionError("Parley started with " + properties);
    }

    @Test
    void aFrontEndWithoutPortNamesThePropertyAndAnExample() throws Exception {
        org.assertj.core.api.Assertions.assertThat(failureOf(Map.of("parley.lync.front-ends[0]", "lyncpool.contoso.com")))
                .contains("parley.lync.front-ends").contains("lyncpool.contoso.com:5061");
    }

    @Test
    void aPartnerPinThatIsNotASha256PinNamesTheCommandThatMakesOne() throws Exception {
        org.assertj.core.api.Assertions.assertThat(failureOf(Map.of("parley.xmpp.s2s.partners.fabrikam.example.pin", "md5:0123")))
                .contains("is not a SHA-256 key pin").contains("openssl dgst -sha256");
    }

    @Test
    void anUnknownDialectIsRefused() throws Exception {
        org.assertj.core.api.Assertions.assertThat(failureOf(Map.of("parley.lync.dialect", "skype")))
                .contains("parley.lync.dialect must be 'lync' or 'rfc'");
    }

    @Test
    void halfATlsConfigurationIsRefused() throws Exception {
        org.assertj.core.api.Assertions.assertThat(failureOf(Map.of("parley.tls.certificate", "/etc/parley/tls.crt")))
                .contains("parley.tls: set certificate, key and ca together");
    }

    @Test
    void anEmptyDomainListNamesTheProperty() throws Exception {
        org.assertj.core.api.Assertions.assertThat(failureOf(Map.of("parley.lync.domains", "")))
                .contains("parley.lync.domains");
    }

    @Test
    void aMissingTlsFileNamesTheFile() throws Exception {
        org.assertj.core.api.Assertions.assertThat(failureOf(Map.of("parley.tls.certificate", "/nonexistent/tls.crt",
                "parley.tls.key", "/nonexistent/tls.key", "parley.tls.ca", "/nonexistent/ca.crt"))).contains("/nonexistent/tls.crt");
    }

    @Test
    void aPartnerTypeLyncDoesNotKnowIsRefused() throws Exception {
        org.assertj.core.api.Assertions.assertThat(failureOf(Map.of("parley.xmpp.s2s.partners[fabrikam.example].type", "trusted")))
                .contains("federated, public-verified or public-unverified").contains("'trusted'");
    }

    @Test
    void aMisspeltPartnerSettingInTheDocumentedFormStopsStartUpNamingIt() throws Exception {
        org.assertj.core.api.Assertions.assertThat(failureOf(Map.of("parley.xmpp.s2s.partners.fabrikam.example.tsl", "required")))
                .contains("parley.xmpp.s2s.partners.fabrikam.example.tsl").contains("sasl-external");
    }

    @Test
    void aPartnerWrittenAsAPlainValueStopsStartUpNamingIt() throws Exception {
        org.assertj.core.api.Assertions.assertThat(failureOf(Map.of("parley.xmpp.s2s.partners.fabrikam.example", "yes")))
                .contains("parley.xmpp.s2s.partners.fabrikam.example");
    }

    @Test
    void aWrongValueOfAPartnerInTheDocumentedFormIsRefused() throws Exception {
        org.assertj.core.api.Assertions.assertThat(failureOf(Map.of("parley.xmpp.s2s.partners.fabrikam.example.sasl-external", "maybe")))
                .contains("sasl-external must be 'required' or 'allowed'").contains("'maybe'");
    }

    @Test
    void aMisspeltSettingStopsStartUpNamingIt() throws Exception {
        org.assertj.core.api.Assertions.assertThat(failureOf(Map.of("parley.xmpp.s2s.unknown-partner", "refuse")))
                .contains("no such setting: parley.xmpp.s2s.unknown-partner");
    }
}
