package org.parley.gateway.routing;

import java.util.List;
import java.util.Optional;
import org.parley.gateway.store.RelationshipStore;

/** A store with nothing in it that keeps nothing: wrap it in an OverlayRelationshipStore for an in-memory one. */
public final class EmptyRelationshipStore implements RelationshipStore {

    @Override
    public void put(Relationship relationship) {
    }

    @Override
    public Optional<Relationship> find(String watcher, String presentity) {
        return Optional.empty();
    }

    @Override
    public void remove(String watcher, String presentity) {
    }

    @Override
    public List<Relationship> all() {
        return List.of();
    }
}
