package org.parley.sip.subscription;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.parley.presence.model.Address;
import org.parley.presence.model.PresenceUpdate;

/**
 * NOTIFY bodies rendered once per presentity, content type and state, not once per watcher: when a
 * presentity's change goes to a thousand watchers (one presence stanza per contact, RFC 6121 §4.4),
 * each dialog's body is the same document. Only each presentity's latest rendering is kept, so a state
 * that comes back after another (away, available, away) is rendered again: the msrtc categories body
 * carries its publish time, which must not go back to an earlier publication's. The key leaves out the
 * stanza's addressee, which no body format carries. Bounded: past {@code capacity} presentities the
 * memo starts over rather than grow.
 */
final class RenderedBodies {

    private record Key(Address presentity, String contentType) {
    }

    private record Rendered(PresenceUpdate state, String body) {
    }

    private final BiFunction<String, PresenceUpdate, String> encoder;
    private final int capacity;
    private final Map<Key, Rendered> latest = new ConcurrentHashMap<>();

    /** @param encoder renders a state (its {@code from} the presentity) in a content type */
    RenderedBodies(BiFunction<String, PresenceUpdate, String> encoder, int capacity) {
        this.encoder = encoder;
        this.capacity = capacity;
    }

    /** The body for {@code state} (whose {@code from} is the presentity) in {@code contentType}. */
    String body(String contentType, PresenceUpdate state) {
        PresenceUpdate unaddressed = state.withTo(null);
        Key key = new Key(state.from().bare(), contentType);
        Rendered r = latest.get(key);
        if (r != null && r.state().equals(unaddressed)) {
            return r.body();
        }
        if (latest.size() >= capacity) {
            latest.clear();
        }
        String body = encoder.apply(contentType, unaddressed);
        latest.put(key, new Rendered(unaddressed, body));
        return body;
    }
}
