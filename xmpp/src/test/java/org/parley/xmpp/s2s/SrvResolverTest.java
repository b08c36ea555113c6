package org.parley.xmpp.s2s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javax.naming.NameNotFoundException;
import org.junit.jupiter.api.Test;

class SrvResolverTest {

    @Test
    void recordsComeByPriorityThenWeightAndTheHostIsTheFallback() {
        SrvResolver r = new SrvResolver(name -> {
            if (name.equals("_xmpp-server._tcp.xmpp.test")) {
                return List.of("20 5 5269 backup.xmpp.test.", "10 10 5270 b.xmpp.test.", "10 60 5269 a.xmpp.test.");
            }
            throw new NameNotFoundException(name);
        });
        assertThat(r.targets("xmpp.test")).containsExactly(new S2sTarget("a.xmpp.test", 5269), new S2sTarget("b.xmpp.test", 5270),
                new S2sTarget("backup.xmpp.test", 5269));
        assertThat(r.targets("nosrv.test")).containsExactly(new S2sTarget("nosrv.test", 5269));
    }

    @Test
    void directTlsRecordsJoinByPriorityAndWinTies() {
        SrvResolver r = new SrvResolver(name -> switch (name) {
            case "_xmpps-server._tcp.xmpp.test" -> List.of("10 0 5270 tls.xmpp.test.", "30 0 443 last.xmpp.test.");
            case "_xmpp-server._tcp.xmpp.test" -> List.of("10 0 5269 plain.xmpp.test.", "5 0 5269 first.xmpp.test.", "10 0 5269 .");
            default -> throw new NameNotFoundException(name);
        });
        assertThat(r.targets("xmpp.test")).containsExactly(new S2sTarget("first.xmpp.test", 5269),
                new S2sTarget("tls.xmpp.test", 5270, true), new S2sTarget("plain.xmpp.test", 5269),
                new S2sTarget("last.xmpp.test", 443, true));
    }
}
