package org.parley.sip.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.parley.sip.config.HostPort;

class PoolResolverTest {

    private static InetAddress ip(String text) throws UnknownHostException {
        return InetAddress.getByName(text);
    }

    @Test
    void everyAddressOfThePoolBecomesATargetOnce() throws Exception {
        Map<String, InetAddress[]> dns = Map.of("pool.contoso.com",
                new InetAddress[] {ip("10.0.0.11"), ip("10.0.0.12"), ip("10.0.0.11"), ip("2001:db8::13")});
        PoolResolver resolver = new PoolResolver(name -> {
            InetAddress[] a = dns.get(name);
            if (a == null) {
                throw new UnknownHostException(name);
            }
            return a;
        });

        assertThat(resolver.resolve("pool.contoso.com", 5061)).containsExactly(
                new HostPort("10.0.0.11", 5061), new HostPort("10.0.0.12", 5061), new HostPort("2001:db8:0:0:0:0:0:13", 5061));
        assertThatThrownBy(() -> resolver.resolve("nopool.contoso.com", 5061))
                .isInstanceOf(UnknownHostException.class).hasMessageContaining("nopool.contoso.com does not resolve");
    }

    @Test
    void theSystemResolverFindsLoopback() throws Exception {
        assertThat(PoolResolver.system().resolve("localhost", 5061)).isNotEmpty()
                .allSatisfy(t -> assertThat(InetAddress.getByName(t.host()).isLoopbackAddress()).isTrue());
    }
}
