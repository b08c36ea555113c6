package org.parley.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.gateway.routing.PartnerTypes;
import org.parley.gateway.testing.AssembledGateway;

/**
 * Lync's PublicUnverified partner type through the assembled gateway: the partner's users reach a Lync user — a
 * subscription request or an IM — only once that Lync user has added them; before, they get an error of their
 * stanza's kind and the front end sees nothing.
 */
class PartnerTypesTest {

    private static AssembledGateway gw;

    @BeforeAll
    static void start() throws Exception {
        gw = new AssembledGateway(Set.of("alice", "dave"),
                new PartnerTypes(Map.of(AssembledGateway.XMPP, PartnerTypes.Type.PUBLIC_UNVERIFIED), PartnerTypes.Type.FEDERATED));
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void aStrangersSubscriptionAndImAreRefusedWithErrorsOfTheirKind() throws Exception {
        gw.fromXmpp("<presence from='juliet@xmpp.test' to='dave@contoso.com' type='subscribe'/>");
        String refused = gw.awaitToXmpp(5, "type=\"error\"", "dave@contoso.com");
        assertThat(refused).isNotNull().startsWith("<presence").contains("forbidden").contains("public unverified partner");

        gw.fromXmpp("<message from='juliet@xmpp.test/balcony' to='dave@contoso.com' type='chat' id='m1'><body>hi dave</body></message>");
        String imRefused = gw.awaitToXmpp(5, "type=\"error\"", "m1");
        assertThat(imRefused).isNotNull().startsWith("<message").contains("forbidden");

        assertThat(gw.frontEnd.await(1)).as("the front end saw nothing of either").isNull();
        assertThat(gw.trace().find(r -> r.input().contains("dave@contoso.com") && r.reason() != null
                && r.reason().contains("public unverified"), 10)).hasSize(2);
    }

    @Test
    void onceTheLyncUserAddedThemTheyReachHer() throws Exception {
        // alice adds juliet (she subscribes to her presence): juliet is her contact now
        assertThat(gw.frontEnd.subscribeAsLyncWatcher("sip:alice@contoso.com", "sip:juliet@xmpp.test", gw.sipPort).getStatusCode())
                .isEqualTo(200);
        assertThat(gw.awaitToXmpp(5, "type=\"subscribe\"", "from=\"alice@contoso.com\"")).isNotNull();

        gw.fromXmpp("<presence from='juliet@xmpp.test' to='alice@contoso.com' type='subscribe'/>");
        assertThat(gw.awaitToXmpp(5, "type=\"subscribed\"", "from=\"alice@contoso.com\"", "to=\"juliet@xmpp.test\"")).isNotNull();

        gw.fromXmpp("<message from='juliet@xmpp.test/balcony' to='alice@contoso.com' type='chat' id='m2'><body>hi alice</body></message>");
        org.parley.sip.testing.LyncFrontEndSimulator.Received r;
        do {
            r = gw.frontEnd.await(5);
        } while (r != null && !("MESSAGE".equals(r.method()) && r.body().contains("hi alice")));
        assertThat(r).as("the IM reached the front end").isNotNull();
    }
}
