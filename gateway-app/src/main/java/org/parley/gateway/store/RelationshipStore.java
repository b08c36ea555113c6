package org.parley.gateway.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable presence relationships between a watcher and a presentity across the two protocols —
 * the source of truth that survives a restart (the SIP dialogs and XMPP streams do not).
 * Addresses are bare {@code user@domain}.
 */
public interface RelationshipStore {

    /** Which side watches which. */
    enum Direction { XMPP_WATCHES_SIP, SIP_WATCHES_XMPP }

    /** PENDING until the presentity's side approves. */
    enum State { PENDING, ACTIVE }

    record Relationship(String watcher, String presentity, Direction direction, State state, Instant updated) {
    }

    void put(Relationship relationship);

    Optional<Relationship> find(String watcher, String presentity);

    void remove(String watcher, String presentity);

    List<Relationship> all();
}
