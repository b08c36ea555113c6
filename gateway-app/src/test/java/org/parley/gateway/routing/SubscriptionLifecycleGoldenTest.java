package org.parley.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.parley.gateway.routing.SubscriptionLifecycle.Authorization;
import org.parley.gateway.routing.SubscriptionLifecycle.Row;
import org.parley.gateway.store.RelationshipStore.Direction;

/**
 * Every row of the subscription lifecycle, pinned by a golden file a reviewer reads against the RFCs
 * ({@code lifecycle/<direction>.golden}, one line per state × event with the reason it is so). A change to the table
 * fails here until the golden file — and with it docs/presence-mapping.md's table — says the same.
 */
class SubscriptionLifecycleGoldenTest {

    @ParameterizedTest
    @EnumSource(Direction.class)
    void theTableIsWhatTheGoldenFileSays(Direction direction) throws IOException {
        List<String> golden = golden(direction);
        List<String> table = SubscriptionLifecycle.rows(direction).stream().map(Row::toString).toList();
        assertThat(table).as("lifecycle/%s.golden", name(direction)).containsExactlyElementsOf(golden);
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void everyStateHasARowForEveryEventOfItsSide(Direction direction) {
        assertThat(SubscriptionLifecycle.rows(direction)).hasSize(Authorization.values().length * SubscriptionLifecycle.events(direction).size());
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void nothingButARefusalOrAnUnsubscribeLeavesAnApprovedRelationship(Direction direction) {
        for (Row r : SubscriptionLifecycle.rows(direction)) {
            if (r.state() == Authorization.ACTIVE && r.transition().next() != Authorization.ACTIVE) {
                assertThat(r.event().name()).as(r.toString()).matches("XMPP_UNSUBSCRIBED|SIP_UNSUBSCRIBE|XMPP_UNSUBSCRIBE|SIP_REFUSED");
            }
        }
    }

    static String name(Direction d) {
        return d.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static List<String> golden(Direction direction) throws IOException {
        String resource = "/lifecycle/" + name(direction) + ".golden";
        try (InputStream in = SubscriptionLifecycleGoldenTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            List<String> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int why = line.indexOf("  — ");
                String row = (why < 0 ? line : line.substring(0, why)).strip();
                if (!row.isEmpty() && !row.startsWith("#")) {
                    rows.add(row);
                }
            }
            return rows;
        }
    }
}
