package org.parley.gateway.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Reads through to a store, keeps every write to itself: the dry run sees real relationships and changes none. */
public final class OverlayRelationshipStore implements RelationshipStore {

    private final RelationshipStore base;
    private final Map<String, Relationship> written = new ConcurrentHashMap<>();
    private final Set<String> removed = ConcurrentHashMap.newKeySet();

    public OverlayRelationshipStore(RelationshipStore base) {
        this.base = base;
    }

    private static String key(String watcher, String presentity) {
        return watcher + "\u0000" + presentity;
    }

    @Override
    public void put(Relationship r) {
        written.put(key(r.watcher(), r.presentity()), r);
        removed.remove(key(r.watcher(), r.presentity()));
    }

    @Override
    public Optional<Relationship> find(String watcher, String presentity) {
        String k = key(watcher, presentity);
        if (removed.contains(k)) {
            return Optional.empty();
        }
        Relationship r = written.get(k);
        return r != null ? Optional.of(r) : base.find(watcher, presentity);
    }

    @Override
    public void remove(String watcher, String presentity) {
        written.remove(key(watcher, presentity));
        removed.add(key(watcher, presentity));
    }

    @Override
    public List<Relationship> all() {
        List<Relationship> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Relationship r : written.values()) {
            out.add(r);
            seen.add(key(r.watcher(), r.presentity()));
        }
        for (Relationship r : base.all()) {
            String k = key(r.watcher(), r.presentity());
            if (!seen.contains(k) && !removed.contains(k)) {
                out.add(r);
            }
        }
        return out;
    }
}
