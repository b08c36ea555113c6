package org.parley.presence.model;

import java.util.List;
import java.util.Objects;

/**
 * The presence of one resource / endpoint ({@code from.instance()}) or, after aggregation, of a
 * bare user.
 *
 * @param from         presentity
 * @param to           watcher for directed presence, {@code null} for a broadcast
 * @param availability the lossy, protocol-neutral availability
 * @param priority     XMPP priority (-128..127); 0 where the source has none
 * @param statusTexts  XMPP {@code <status/>}, PIDF/RPID {@code <note/>} and Lync note texts, one per xml:lang
 * @param activity     what the user is doing, {@code null} if unknown
 * @param lyncState    exact Microsoft state when known (lossless path), {@code null} otherwise
 */
public record PresenceUpdate(
        Address from,
        Address to,
        Availability availability,
        int priority,
        List<LocalizedText> statusTexts,
        Activity activity,
        LyncState lyncState) implements GatewayEvent {

    public PresenceUpdate {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(availability, "availability");
        if (priority < -128 || priority > 127) {
            throw new IllegalArgumentException("priority out of range -128..127: " + priority);
        }
        statusTexts = statusTexts == null ? List.of() : List.copyOf(statusTexts);
    }

    public static PresenceUpdate of(Address from, Availability availability) {
        return new PresenceUpdate(from, null, availability, 0, List.of(), null, null);
    }

    /** The status text for a language, falling back to the untagged text, then to the first. */
    public String statusText(String lang) {
        for (LocalizedText t : statusTexts) {
            if (t.lang().equalsIgnoreCase(lang == null ? "" : lang)) {
                return t.text();
            }
        }
        for (LocalizedText t : statusTexts) {
            if (!t.hasLang()) {
                return t.text();
            }
        }
        return statusTexts.isEmpty() ? null : statusTexts.get(0).text();
    }

    public PresenceUpdate withFrom(Address newFrom) {
        return new PresenceUpdate(newFrom, to, availability, priority, statusTexts, activity, lyncState);
    }

    public PresenceUpdate withTo(Address newTo) {
        return new PresenceUpdate(from, newTo, availability, priority, statusTexts, activity, lyncState);
    }

    public PresenceUpdate withLyncState(LyncState newState) {
        return new PresenceUpdate(from, to, availability, priority, statusTexts, activity, newState);
    }

    /** As the generated one writes it, without JDK 17's {@code String.format} ({@link RecordText}). */
    @Override
    public String toString() {
        return new RecordText("PresenceUpdate")
                .add("from", from)
                .add("to", to)
                .add("availability", availability)
                .add("priority", priority)
                .add("statusTexts", statusTexts)
                .add("activity", activity)
                .add("lyncState", lyncState)
                .toString();
    }
}
