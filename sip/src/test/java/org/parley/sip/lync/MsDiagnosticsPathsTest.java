package org.parley.sip.lync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.sip.SipEndpoint;
import org.parley.sip.config.SipTimers;
import org.parley.sip.testing.LyncFrontEndSimulator;
import org.parley.sip.testing.LyncRig;

/**
 * Every refusal Parley reads from a front end — page-mode MESSAGE, IM session INVITE, presence SUBSCRIBE — gives the
 * XMPP side the {@code ms-diagnostics} reason, with a sub-error code ({@code 1003.11}), with {@code ms-diagnostics}
 * preferred to {@code ms-diagnostics-public}, and with the public one when {@code ms-diagnostics} cannot be read.
 */
class MsDiagnosticsPathsTest {

    /** Both headers, the private one with a sub-code: the private one must win. */
    private static final String BOTH = "bob";
    /** An ms-diagnostics Parley cannot read and a readable ms-diagnostics-public. */
    private static final String GARBLED = "dave";

    private static LyncRig rig;
    private static SipEndpoint parley;
    private static final Address JULIET = Address.sip("juliet", "xmpp.test");

    @BeforeAll
    static void start() throws Exception {
        rig = new LyncRig(new SipTimers(Duration.ofHours(1), Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofSeconds(3)), Set.of("alice"));
        parley = rig.parley;
        LyncFrontEndSimulator frontEnd = rig.frontEnd;
        Map<String, String> both = new LinkedHashMap<>();
        both.put("ms-diagnostics-public", "1003;reason=\"User does not exist\"");
        both.put("ms-diagnostics", "1003.11;reason=\"User \\\"bob\\\" does not exist, says the directory\";TargetUri=\"bob@contoso.com\";"
                + "source=\"fe1.contoso.com\"");
        frontEnd.refuseWithHeaders(BOTH, both);
        Map<String, String> garbled = new LinkedHashMap<>();
        garbled.put("ms-diagnostics", "reason=\"the id is missing\"");
        garbled.put("ms-diagnostics-public", "4005.2;reason=\"Destination URI either not enabled for SIP or does not exist\"");
        frontEnd.refuseWithHeaders(GARBLED, garbled);
    }

    @AfterAll
    static void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    private static GatewayError pageMode(String user) throws Exception {
        return refusal(parley.messaging().send(ChatMessage.text(JULIET, Address.sip(user, "contoso.com"), "p-" + user, "hi"))
                .get(10, TimeUnit.SECONDS));
    }

    private static GatewayError imSession(String user) throws Exception {
        // LYNC dialect: a message toward a Lync user opens an IM session, so the refusal is the INVITE's
        return refusal(parley.sendMessage(ChatMessage.text(JULIET, Address.sip(user, "contoso.com"), "s-" + user, "hi"))
                .get(10, TimeUnit.SECONDS));
    }

    private static GatewayError subscription(String user) throws Exception {
        return refusal(parley.subscriber().subscribe(JULIET, Address.sip(user, "contoso.com")).get(10, TimeUnit.SECONDS));
    }

    private static GatewayError refusal(GatewayEvent outcome) {
        assertThat(outcome).isInstanceOf(GatewayError.class);
        GatewayError error = (GatewayError) outcome;
        assertThat(error.sipStatus()).isEqualTo(404);
        assertThat(error.condition()).isEqualTo(ErrorCondition.ITEM_NOT_FOUND);
        return error;
    }

    private static void msDiagnosticsWon(GatewayError error) {
        assertThat(error.diagnostics()).isNotNull();
        assertThat(error.diagnostics().publicVariant()).isFalse();
        assertThat(error.diagnostics().code()).isEqualTo(1003);
        assertThat(error.diagnostics().subCode()).isEqualTo(11);
        assertThat(error.diagnostics().reason()).isEqualTo("User \"bob\" does not exist, says the directory");
        assertThat(error.diagnostics().parameters()).containsEntry("source", "fe1.contoso.com");
        assertThat(error.diagnostics().describe()).isEqualTo("User \"bob\" does not exist, says the directory (ms-diagnostics 1003.11)");
    }

    private static void publicOneRead(GatewayError error) {
        assertThat(error.diagnostics()).isNotNull();
        assertThat(error.diagnostics().publicVariant()).isTrue();
        assertThat(error.diagnostics().id()).isEqualTo("4005.2");
        assertThat(error.diagnostics().reason()).isEqualTo("Destination URI either not enabled for SIP or does not exist");
    }

    @Test
    void aPageModeMessageRefusalCarriesTheSubCodedMsDiagnosticsReason() throws Exception {
        GatewayError error = pageMode(BOTH);
        msDiagnosticsWon(error);
        assertThat(error.text()).isEqualTo("User \"bob\" does not exist, says the directory (ms-diagnostics 1003.11)");
    }

    @Test
    void aPageModeMessageRefusalFallsBackToTheReadablePublicHeader() throws Exception {
        publicOneRead(pageMode(GARBLED));
    }

    @Test
    void anImSessionInviteRefusalCarriesTheSubCodedMsDiagnosticsReason() throws Exception {
        GatewayError error = imSession(BOTH);
        msDiagnosticsWon(error);
        assertThat(error.text()).isEqualTo("User \"bob\" does not exist, says the directory (ms-diagnostics 1003.11)");
    }

    @Test
    void anImSessionInviteRefusalFallsBackToTheReadablePublicHeader() throws Exception {
        publicOneRead(imSession(GARBLED));
    }

    @Test
    void aSubscribeRefusalCarriesTheSubCodedMsDiagnosticsReason() throws Exception {
        msDiagnosticsWon(subscription(BOTH));
    }

    @Test
    void aSubscribeRefusalFallsBackToTheReadablePublicHeader() throws Exception {
        publicOneRead(subscription(GARBLED));
    }
}
