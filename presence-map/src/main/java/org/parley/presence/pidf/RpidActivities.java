package org.parley.presence.pidf;

import java.util.Set;
import org.parley.presence.model.Availability;

/**
 * RPID activities (RFC 4480 §3.2) and {@code <user-input>} (§3.9) ⇄ {@link Availability}.
 *
 * <pre>
 *   decode (basic open)                                   availability
 *   busy, meeting, appointment, on-the-phone,
 *     presentation, performance, steering                 BUSY
 *   away, vacation, holiday, permanent-absence, sleeping,
 *     travel, in-transit, meal, breakfast, dinner,
 *     shopping                                            AWAY
 *   none / any other token                                AVAILABLE
 *   ... with user-input=idle                              AVAILABLE→IDLE, BUSY→BUSY_IDLE
 *   basic closed (or no tuple)                            OFFLINE
 *
 *   encode availability     basic    activity   user-input
 *   FREE_FOR_CHAT           open     —          —          (lossy: reads back AVAILABLE)
 *   AVAILABLE               open     —          —
 *   IDLE                    open     —          idle
 *   BUSY                    open     busy       —
 *   BUSY_IDLE               open     busy       idle
 *   DO_NOT_DISTURB          open     busy       —          (lossy: reads back BUSY)
 *   BE_RIGHT_BACK           open     away       —          (lossy: reads back AWAY)
 *   AWAY                    open     away       —
 *   EXTENDED_AWAY           open     away       idle       (lossy: reads back AWAY)
 *   OFFLINE, UNKNOWN        closed   —          —
 * </pre>
 * An explicit activity in the model (e.g. {@code meeting}) is written instead of the generic
 * {@code busy}/{@code away} when it decodes to the same availability.
 */
public final class RpidActivities {

    static final Set<String> BUSY_TOKENS = Set.of(
            "busy", "meeting", "appointment", "on-the-phone", "presentation", "performance", "steering");
    static final Set<String> AWAY_TOKENS = Set.of(
            "away", "vacation", "holiday", "permanent-absence", "sleeping", "travel", "in-transit",
            "meal", "breakfast", "dinner", "shopping");

    private RpidActivities() {
    }

    public static Availability decode(boolean open, Iterable<String> activityTokens, boolean idle) {
        if (!open) {
            return Availability.OFFLINE;
        }
        Availability result = Availability.AVAILABLE;
        for (String token : activityTokens) {
            if (BUSY_TOKENS.contains(token)) {
                result = Availability.BUSY;
                break;
            }
            if (AWAY_TOKENS.contains(token)) {
                result = Availability.AWAY;
            }
        }
        if (idle) {
            if (result == Availability.AVAILABLE) {
                return Availability.IDLE;
            }
            if (result == Availability.BUSY) {
                return Availability.BUSY_IDLE;
            }
        }
        return result;
    }

    public static boolean isOpen(Availability a) {
        return a.isOnline();
    }

    /** Generic activity token for an availability, {@code null} when none is written. */
    public static String genericToken(Availability a) {
        return switch (a) {
            case BUSY, BUSY_IDLE, DO_NOT_DISTURB -> "busy";
            case BE_RIGHT_BACK, AWAY, EXTENDED_AWAY -> "away";
            default -> null;
        };
    }

    public static boolean isIdle(Availability a) {
        return a == Availability.IDLE || a == Availability.BUSY_IDLE || a == Availability.EXTENDED_AWAY;
    }

    /** True when writing {@code token} instead of the generic token keeps the availability. */
    public static boolean sameClass(String token, Availability a) {
        String generic = genericToken(a);
        if ("busy".equals(generic)) {
            return BUSY_TOKENS.contains(token);
        }
        if ("away".equals(generic)) {
            return AWAY_TOKENS.contains(token);
        }
        return false;
    }
}
