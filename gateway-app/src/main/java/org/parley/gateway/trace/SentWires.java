package org.parley.gateway.trace;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.ChatStateChange;
import org.parley.presence.model.GatewayEvent;

/**
 * Which translation a SIP request Parley sent belongs to. A translation that hands an event to the SIP side leaves a
 * slot for it here; when the SIP side reports the request that carried the event ({@code SipWireTap.onSent}), the
 * slot's output wire — until then the request as Parley would render it — becomes the request as it went out.
 * The same event instance finds its slot; a NOTIFY carries the notifier's own copy of the state (its pacing may have
 * merged several), so it finds the latest slot of its kind for the same presentity and watcher. A MESSAGE (an IM, a
 * typing notification) always carries its own event, so it never takes the pair's slot, which would be a newer one's. Bounded: slots of
 * requests never sent (a pending watcher, a failed send) leave as newer ones come.
 */
final class SentWires {

    /** Where a sent request's wire goes: output {@code index} of {@code translation}; {@code filled} once one came. */
    record Slot(TranslationTrace.Translation translation, int index, AtomicBoolean filled) {
    }

    /** An event by identity: two equal records are still two events. */
    private record Identity(GatewayEvent event) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity other && other.event == event;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(event);
        }
    }

    private final Map<Identity, Slot> byEvent;
    private final Map<String, Slot> byPair;

    SentWires(int capacity) {
        this.byEvent = bounded(capacity);
        this.byPair = bounded(capacity);
    }

    private static <K> Map<K, Slot> bounded(int capacity) {
        return new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Slot> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized void expect(GatewayEvent event, TranslationTrace.Translation translation, int index) {
        Slot slot = new Slot(translation, index, new AtomicBoolean());
        byEvent.put(new Identity(event), slot);
        byPair.put(pairKey(event), slot);
    }

    /**
     * {@code translation} is finished, or its request came after it finished: once both hold, the event's own slot goes,
     * so that it does not outlive the translation by thousands of messages (at 5,000 IMs/s a bound of 4,096 kept each
     * for almost a second, through a young collection). A slot whose request has not come yet stays: the final response
     * can finish a translation before the sender reports the request. A request sent later still (a NOTIFY the notifier
     * paced) finds the pair's latest slot.
     */
    synchronized void finished(GatewayEvent event, TranslationTrace.Translation translation) {
        Identity key = new Identity(event);
        Slot slot = byEvent.get(key);
        if (slot != null && slot.translation() == translation && slot.filled().get()) {
            byEvent.remove(key);
        }
    }

    /** The slot for a request that carried {@code cause}, or null when no translation is waiting for one. */
    synchronized Slot find(GatewayEvent cause) {
        Slot slot = byEvent.get(new Identity(cause));
        if (slot != null || cause instanceof ChatMessage || cause instanceof ChatStateChange) {
            // a MESSAGE carries the very event it was handed: the pair's latest slot would be a newer message's
            return slot;
        }
        return byPair.get(pairKey(cause));
    }

    /** Slots kept by event identity (for tests: they must not outlive their translations). */
    synchronized int byEventSlots() {
        return byEvent.size();
    }

    private static String pairKey(GatewayEvent e) {
        return TranslationTrace.kind(e) + '|' + bare(e.from()) + '|' + bare(e.to());
    }

    private static String bare(Address a) {
        return a == null ? "" : a.bare().userAtDomain();
    }
}
