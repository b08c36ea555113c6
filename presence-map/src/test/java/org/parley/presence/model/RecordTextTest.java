package org.parley.presence.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The models' hand-written {@code toString()} (the trace shows it to operators) writes exactly what a record's
 * generated one does: {@code Name[component=String.valueOf(value), ...]}, every component in declaration order. A
 * component added to a record and forgotten in its {@code toString()} fails here.
 */
class RecordTextTest {

    static Stream<Record> models() {
        Address juliet = Address.xmpp("juliet", "xmpp.test", "balcony");
        Address alice = Address.sip("alice", "contoso.com");
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("source", "fe1.contoso.com");
        parameters.put("reason", "user offline");
        MsDiagnostics diagnostics = new MsDiagnostics(15030, 4, "Failed to route", parameters, false);
        return Stream.of(
                ChatMessage.text(juliet, alice, "m1", "hello, [world]"),
                new ChatMessage(juliet, alice, null, MessageKind.HEADLINE, "b", "<b>b</b>", "conv", true, ChatState.COMPOSING),
                new ChatStateChange(alice, juliet, ChatState.PAUSED, null),
                new GatewayError(alice, juliet, ErrorCondition.RECIPIENT_UNAVAILABLE, ErrorType.WAIT, 480, "away", diagnostics, "m1",
                        StanzaKind.MESSAGE),
                new GatewayError(alice, juliet, ErrorCondition.BAD_REQUEST, null, 0, null, null, null, null),
                new Receipt(alice, juliet, "m1"),
                new SubscriptionEvent(alice, juliet, SubscriptionAction.REQUEST),
                new PresenceUpdate(juliet, alice, Availability.AWAY, -5, List.of(LocalizedText.of("out"), new LocalizedText("de", "weg")),
                        new Activity("on-the-phone", "calling"), new LyncState(6500, "on-the-phone")),
                PresenceUpdate.of(juliet, Availability.OFFLINE),
                new LocalizedText("en", "x"),
                new Activity("away", null),
                new LyncState(3500, null),
                diagnostics,
                new MsDiagnostics(1003, null, null, null, true));
    }

    @ParameterizedTest
    @MethodSource("models")
    void toStringIsWhatTheGeneratedOneWrites(Record model) throws Exception {
        assertThat(model.toString()).isEqualTo(generated(model));
    }

    /** JDK 17's ObjectMethods.makeToString: the simple name, then "name=%s" per component joined by ", ", in brackets. */
    private static String generated(Record r) throws Exception {
        StringBuilder text = new StringBuilder(r.getClass().getSimpleName()).append('[');
        RecordComponent[] components = r.getClass().getRecordComponents();
        for (int i = 0; i < components.length; i++) {
            if (i > 0) {
                text.append(", ");
            }
            text.append(components[i].getName()).append('=').append(String.valueOf(components[i].getAccessor().invoke(r)));
        }
        return text.append(']').toString();
    }
}
