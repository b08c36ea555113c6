package org.parley.presence.model;

/**
 * The gateway's availability vocabulary: the union of what XMPP {@code <show/>}, RPID and
 * Microsoft's availability ranges can express. Declared from most to least reachable; aggregation
 * relies on this order ({@link #isMoreReachableThan}).
 */
public enum Availability {
    /** XMPP {@code chat}. */
    FREE_FOR_CHAT,
    /** XMPP no {@code <show/>}, PIDF open, Lync 3000–4499. */
    AVAILABLE,
    /** Lync 4500–5999 ("Available - Idle" / Inactive). */
    IDLE,
    /** Lync 6000–7499. */
    BUSY,
    /** Lync 7500–8999. */
    BUSY_IDLE,
    /** XMPP {@code dnd}, Lync 9000–11999. */
    DO_NOT_DISTURB,
    /** Lync 12000–14999. */
    BE_RIGHT_BACK,
    /** XMPP {@code away}, Lync 15000–17999. */
    AWAY,
    /** XMPP {@code xa}. */
    EXTENDED_AWAY,
    /** XMPP unavailable, PIDF closed, Lync ≥ 18000. */
    OFFLINE,
    /** Lync 0–2999 and anything else the gateway cannot classify. */
    UNKNOWN;

    public boolean isMoreReachableThan(Availability other) {
        return ordinal() < other.ordinal();
    }

    public boolean isOnline() {
        return this != OFFLINE && this != UNKNOWN;
    }
}
