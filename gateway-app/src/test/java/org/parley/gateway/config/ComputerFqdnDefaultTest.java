package org.parley.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.parley.gateway.cli.ConfigLoader;

/** The default Via / Contact host is one a peer can reach: a lab SIP server answered 478 to "localhost". */
class ComputerFqdnDefaultTest {

    @Test
    void onTheEmbeddedDefaultItIsTheLoopbackListenAddressNotLocalhost() {
        assertThat(ConfigLoader.load().lync().computerFqdn()).isEqualTo("127.0.0.1");
    }

    @Test
    void listeningOnOneAddressItIsThatAddress() {
        assertThat(ConfigLoader.load("--parley.lync.listen-address=192.0.2.10").lync().computerFqdn()).isEqualTo("192.0.2.10");
    }

    @Test
    void listeningEverywhereItIsThisMachinesNameOrAddressNeverLoopback() throws Exception {
        String fqdn = ConfigLoader.load("--parley.lync.listen-address=0.0.0.0").lync().computerFqdn();
        assertThat(fqdn).isNotEqualTo("localhost");
        assertThat(java.net.InetAddress.getByName(fqdn).isLoopbackAddress()).as(fqdn).isFalse();
    }

    @Test
    void aConfiguredNameIsKept() {
        assertThat(ConfigLoader.load("--parley.lync.computer-fqdn=parley01.contoso.com").lync().computerFqdn()).isEqualTo("parley01.contoso.com");
    }
}
