package org.parley.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.gateway.store.RelationshipStore.Direction;
import org.parley.gateway.store.RelationshipStore.Relationship;
import org.parley.gateway.store.RelationshipStore.State;
import org.springframework.jdbc.core.JdbcTemplate;

/** What every store must do, run against each database Parley supports (the migrations included). */
abstract class RelationshipStoreContract {

    protected abstract DataSource dataSource();

    private RelationshipStore store;

    @BeforeEach
    void migrate() {
        Flyway.configure().dataSource(dataSource()).locations("classpath:db/migration").cleanDisabled(false).load().clean();
        Flyway.configure().dataSource(dataSource()).locations("classpath:db/migration").load().migrate();
        store = new JdbcRelationshipStore(new JdbcTemplate(dataSource()));
    }

    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void aRelationshipIsStoredUpdatedAndRemoved() {
        store.put(new Relationship("juliet@xmpp.test", "alice@contoso.com", Direction.XMPP_WATCHES_SIP, State.PENDING, T0));
        assertThat(store.find("juliet@xmpp.test", "alice@contoso.com")).get().extracting(Relationship::state).isEqualTo(State.PENDING);

        store.put(new Relationship("juliet@xmpp.test", "alice@contoso.com", Direction.XMPP_WATCHES_SIP, State.ACTIVE, T0.plusSeconds(5)));
        Relationship r = store.find("juliet@xmpp.test", "alice@contoso.com").orElseThrow();
        assertThat(r.state()).isEqualTo(State.ACTIVE);
        assertThat(r.updated().truncatedTo(ChronoUnit.SECONDS)).isEqualTo(T0.plusSeconds(5));
        assertThat(store.all()).hasSize(1);

        store.remove("juliet@xmpp.test", "alice@contoso.com");
        assertThat(store.find("juliet@xmpp.test", "alice@contoso.com")).isEmpty();
    }

    @Test
    void bothDirectionsBetweenTheSameUsersAreTwoRelationships() {
        store.put(new Relationship("juliet@xmpp.test", "alice@contoso.com", Direction.XMPP_WATCHES_SIP, State.ACTIVE, T0));
        store.put(new Relationship("alice@contoso.com", "juliet@xmpp.test", Direction.SIP_WATCHES_XMPP, State.PENDING, T0));
        assertThat(store.all()).extracting(Relationship::direction)
                .containsExactlyInAnyOrder(Direction.XMPP_WATCHES_SIP, Direction.SIP_WATCHES_XMPP);
    }

    @Test
    void addressesKeepTheirUnicode() {
        store.put(new Relationship("jöran@xmpp.test", "zoë@contoso.com", Direction.XMPP_WATCHES_SIP, State.ACTIVE, T0));
        assertThat(store.find("jöran@xmpp.test", "zoë@contoso.com")).isPresent();
    }
}
