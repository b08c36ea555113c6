package org.parley.presence.lync;

import org.parley.presence.model.Availability;

/**
 * Microsoft's availability numbers ⇄ {@link Availability}. Ranges per the Lync SDK's
 * availability table (docs/presence-mapping.md): 0–2999 is undefined and read as
 * {@link Availability#UNKNOWN}, not Available.
 *
 * <pre>
 *   number        decode            encode (the value Lync clients publish: range start + 500)
 *   0–2999        UNKNOWN           —
 *   3000–4499     AVAILABLE         3500  (FREE_FOR_CHAT, AVAILABLE)
 *   4500–5999     IDLE              5000
 *   6000–7499     BUSY              6500
 *   7500–8999     BUSY_IDLE         8000
 *   9000–11999    DO_NOT_DISTURB    9500
 *   12000–14999   BE_RIGHT_BACK     12500
 *   15000–17999   AWAY              15500 (AWAY, EXTENDED_AWAY)
 *   ≥ 18000       OFFLINE           18500 (OFFLINE, UNKNOWN)
 * </pre>
 */
public final class LyncAvailability {

    private LyncAvailability() {
    }

    public static Availability decode(int number) {
        if (number < 3000) {
            return Availability.UNKNOWN;
        } else if (number < 4500) {
            return Availability.AVAILABLE;
        } else if (number < 6000) {
            return Availability.IDLE;
        } else if (number < 7500) {
            return Availability.BUSY;
        } else if (number < 9000) {
            return Availability.BUSY_IDLE;
        } else if (number < 12000) {
            return Availability.DO_NOT_DISTURB;
        } else if (number < 15000) {
            return Availability.BE_RIGHT_BACK;
        } else if (number < 18000) {
            return Availability.AWAY;
        }
        return Availability.OFFLINE;
    }

    public static int encode(Availability availability) {
        return switch (availability) {
            case FREE_FOR_CHAT, AVAILABLE -> 3500;
            case IDLE -> 5000;
            case BUSY -> 6500;
            case BUSY_IDLE -> 8000;
            case DO_NOT_DISTURB -> 9500;
            case BE_RIGHT_BACK -> 12500;
            case AWAY, EXTENDED_AWAY -> 15500;
            case OFFLINE, UNKNOWN -> 18500;
        };
    }
}
