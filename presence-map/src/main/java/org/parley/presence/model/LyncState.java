package org.parley.presence.model;

/**
 * Microsoft's exact presence state: the availability number and activity token of an
 * {@code application/msrtc-event-categories+xml} state category. Carried alongside the lossy
 * {@link Availability} so that Lync → XMPP → Lync round trips are exact when both ends are
 * Parley-aware (see {@code org.parley.presence.xmpp.LyncStateExtension}).
 *
 * @param availability   the availability number (0 .. 2^31-1)
 * @param activityToken  Microsoft activity token such as {@code in-a-meeting}; {@code null} if none
 */
public record LyncState(int availability, String activityToken) implements java.io.Serializable {

    public LyncState {
        if (availability < 0) {
            throw new IllegalArgumentException("availability number is negative: " + availability);
        }
        if (activityToken != null && activityToken.isBlank()) {
            activityToken = null;
        }
    }

    /** As the generated one writes it, without JDK 17's {@code String.format} ({@link RecordText}). */
    @Override
    public String toString() {
        return new RecordText("LyncState")
                .add("availability", availability)
                .add("activityToken", activityToken)
                .toString();
    }
}
