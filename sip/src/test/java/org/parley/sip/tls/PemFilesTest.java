package org.parley.sip.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.sip.testing.TestPki;

class PemFilesTest {

    private static final char[] PASSWORD = "s3cret-passphrase".toCharArray();
    private static TestPki.Issued ca;
    private static TestPki.Issued leaf;

    @TempDir
    Path dir;

    @BeforeAll
    static void issue() throws Exception {
        TestPki pki = new TestPki();
        ca = pki.newCa("Parley Test CA");
        leaf = pki.newLeaf(ca, "gw.contoso.com", "gw1.contoso.com");
    }

    @Test
    void readsPkcs8Pkcs1AndBothEncryptedForms() throws Exception {
        PrivateKey expected = leaf.keys().getPrivate();
        assertThat(PemFiles.readPrivateKey(TestPki.writePkcs8(dir.resolve("a.key"), leaf.keys()), null).getEncoded())
                .isEqualTo(expected.getEncoded());
        assertThat(PemFiles.readPrivateKey(TestPki.writePkcs1(dir.resolve("b.key"), leaf.keys()), null).getEncoded())
                .isEqualTo(expected.getEncoded());
        assertThat(PemFiles.readPrivateKey(TestPki.writeEncryptedPkcs8(dir.resolve("c.key"), leaf.keys(), PASSWORD), PASSWORD).getEncoded())
                .isEqualTo(expected.getEncoded());
        assertThat(PemFiles.readPrivateKey(TestPki.writeLegacyEncrypted(dir.resolve("d.key"), leaf.keys(), PASSWORD), PASSWORD).getEncoded())
                .isEqualTo(expected.getEncoded());
        assertThat(Files.readString(dir.resolve("b.key"))).contains("BEGIN RSA PRIVATE KEY");
        assertThat(Files.readString(dir.resolve("c.key"))).contains("BEGIN ENCRYPTED PRIVATE KEY");
        assertThat(Files.readString(dir.resolve("d.key"))).contains("Proc-Type: 4,ENCRYPTED");
    }

    @Test
    void encryptedKeyWithoutOrWithWrongPasswordFailsWithAClearMessageWithoutThePassword() throws Exception {
        Path key = TestPki.writeEncryptedPkcs8(dir.resolve("c.key"), leaf.keys(), PASSWORD);
        assertThatThrownBy(() -> PemFiles.readPrivateKey(key, null))
                .isInstanceOf(TlsConfigurationException.class).hasMessageContaining("is encrypted: configure its password");
        assertThatThrownBy(() -> PemFiles.readPrivateKey(key, "wrong".toCharArray()))
                .isInstanceOf(TlsConfigurationException.class).hasMessageContaining("wrong password")
                .hasMessageNotContaining("wrong\"").hasMessageNotContaining(new String(PASSWORD));
    }

    @Test
    void readsAChainInFileOrderAndNamesTheFileWhenThereIsNone() throws Exception {
        Path chain = TestPki.writeCertificates(dir.resolve("chain.pem"), leaf.certificate(), ca.certificate());
        assertThat(PemFiles.readCertificates(chain)).containsExactly(leaf.certificate(), ca.certificate());

        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        assertThatThrownBy(() -> PemFiles.readCertificates(empty))
                .isInstanceOf(TlsConfigurationException.class).hasMessageContaining("empty.pem");
        assertThatThrownBy(() -> PemFiles.readPrivateKey(chain, null))
                .isInstanceOf(TlsConfigurationException.class).hasMessageContaining("no PEM private key");
    }

    @Test
    void peerNamesComeFromSansAndMatchWildcardsOnOneLabelOnly() {
        assertThat(PeerNames.of(leaf.certificate())).containsExactly("gw.contoso.com", "gw1.contoso.com");
        assertThat(PeerNames.matches(java.util.List.of("*.contoso.com"), "fe1.contoso.com")).isTrue();
        assertThat(PeerNames.matches(java.util.List.of("*.contoso.com"), "a.fe1.contoso.com")).isFalse();
        assertThat(PeerNames.matches(java.util.List.of("fe1.contoso.com"), "FE1.Contoso.com")).isTrue();
    }
}
