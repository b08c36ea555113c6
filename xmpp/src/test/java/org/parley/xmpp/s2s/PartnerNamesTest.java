package org.parley.xmpp.s2s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.parley.xmpp.testing.OpensslPki;

/**
 * RFC 6120 §13.7.1.2 / RFC 6125 §6: which certificates name an XMPP domain for s2s — made by openssl as partners
 * make them, so the otherName encodings are real ones.
 */
class PartnerNamesTest {

    private static OpensslPki pki;

    @BeforeAll
    static void certificates() throws Exception {
        pki = new OpensslPki(Files.createTempDirectory("parley-partner-names"));
        pki.leafNamed("dns", "xmpp.test", "DNS:xmpp.test");
        pki.leafNamed("wildcard", "xmpp.test", "DNS:*.example.org");
        pki.leafNamed("xmppaddr", "nothing.invalid", "otherName:1.3.6.1.5.5.7.8.5;UTF8:xmpp.test");
        pki.leafNamed("srvname", "nothing.invalid", "otherName:1.3.6.1.5.5.7.8.7;IA5:_xmpp-server.xmpp.test");
        pki.leafNamed("c2s-srvname", "nothing.invalid", "otherName:1.3.6.1.5.5.7.8.7;IA5:_xmpp-client.xmpp.test");
        pki.leafNamed("cn-only", "xmpp.test", "email:admin@xmpp.test");
    }

    @ParameterizedTest(name = "{0} names {1}: {2}")
    @CsvSource({
        "dns,         xmpp.test,       true",
        "dns,         XMPP.Test,       true",
        "dns,         other.test,      false",
        "wildcard,    im.example.org,  true",
        "wildcard,    example.org,     false",
        "wildcard,    a.im.example.org, false",
        "xmppaddr,    xmpp.test,       true",
        "xmppaddr,    other.test,      false",
        "srvname,     xmpp.test,       true",
        "c2s-srvname, xmpp.test,       false",
        "cn-only,     xmpp.test,       false",
    })
    void aCertificateNamesTheDomainsRfc6125Says(String certificate, String domain, boolean names) throws Exception {
        assertThat(PartnerNames.names(load(certificate), domain)).isEqualTo(names);
    }

    private static X509Certificate load(String name) throws Exception {
        try (InputStream in = Files.newInputStream(pki.file(name + ".crt"))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
