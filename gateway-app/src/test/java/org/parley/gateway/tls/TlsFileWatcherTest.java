package org.parley.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.sip.testing.TestPki;
import org.parley.sip.tls.RotatingTls;
import org.parley.sip.tls.TlsMaterial;

/** New PEM files are taken into use by the next check; broken ones are refused and the current certificate stays. */
class TlsFileWatcherTest {

    @Test
    void picksUpANewCertificateAndKeepsTheCurrentOneWhenTheNewFilesAreBroken(@TempDir Path dir) throws Exception {
        TestPki pki = new TestPki();
        TestPki.Issued ca = pki.newCa("Watcher CA");
        TestPki.Issued first = pki.newLeaf(ca, "gw-first.contoso.com");
        TestPki.Issued second = pki.newLeaf(ca, "gw-second.contoso.com");
        TlsFiles files = new TlsFiles(dir.resolve("tls.crt"), dir.resolve("tls.key"), null, dir.resolve("ca.crt"));
        write(files, first, ca);
        RotatingTls rotating = RotatingTls.of(TlsMaterial.fromPem(files.certificate(), files.key(), null, files.ca(), Set.of()));
        try (TlsFileWatcher watcher = new TlsFileWatcher(files, Set.of(), rotating)) {
            assertThat(watcher.check()).as("nothing changed").isFalse();

            write(files, second, ca);
            assertThat(watcher.check()).isTrue();
            assertThat(subject(rotating)).contains("gw-second");

            Files.writeString(files.certificate(), "-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n");
            assertThat(watcher.check()).as("half-written files are not taken").isFalse();
            assertThat(subject(rotating)).contains("gw-second");

            write(files, first, ca);
            assertThat(watcher.check()).as("a later good write is").isTrue();
            assertThat(subject(rotating)).contains("gw-first");
        }
    }

    private static void write(TlsFiles files, TestPki.Issued leaf, TestPki.Issued ca) throws Exception {
        TestPki.writeCertificates(files.certificate(), leaf.certificate(), ca.certificate());
        TestPki.writePkcs8(files.key(), leaf.keys());
        TestPki.writeCertificates(files.ca(), ca.certificate());
    }

    private static String subject(RotatingTls rotating) {
        return rotating.current().chain().get(0).getSubjectX500Principal().getName();
    }

}
