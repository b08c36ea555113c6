package org.parley.presence.xmpp;

import org.parley.presence.model.Availability;

/**
 * XMPP {@code <presence/>} availability vocabulary (RFC 6121 §4.7.2.1) ⇄ {@link Availability}.
 *
 * <pre>
 *   XMPP                        decode            encode from
 *   type=unavailable            OFFLINE           OFFLINE, UNKNOWN
 *   (available, no show)        AVAILABLE         AVAILABLE
 *   show=chat                   FREE_FOR_CHAT     FREE_FOR_CHAT
 *   show=away                   AWAY              AWAY, IDLE, BE_RIGHT_BACK
 *   show=xa                     EXTENDED_AWAY     EXTENDED_AWAY
 *   show=dnd                    DO_NOT_DISTURB    DO_NOT_DISTURB, BUSY, BUSY_IDLE
 *   show=anything else          AVAILABLE         —  (RFC 6121 allows no other value; read leniently)
 * </pre>
 */
public final class XmppShow {

    private XmppShow() {
    }

    /** @param show the {@code <show/>} text or {@code null}; @param unavailable type='unavailable' */
    public static Availability decode(String show, boolean unavailable) {
        if (unavailable) {
            return Availability.OFFLINE;
        }
        if (show == null) {
            return Availability.AVAILABLE;
        }
        return switch (show.strip()) {
            case "chat" -> Availability.FREE_FOR_CHAT;
            case "away" -> Availability.AWAY;
            case "xa" -> Availability.EXTENDED_AWAY;
            case "dnd" -> Availability.DO_NOT_DISTURB;
            default -> Availability.AVAILABLE;
        };
    }

    /** The {@code <show/>} value, or {@code null} for plain available and for unavailable. */
    public static String encodeShow(Availability availability) {
        return switch (availability) {
            case FREE_FOR_CHAT -> "chat";
            case AVAILABLE, OFFLINE, UNKNOWN -> null;
            case AWAY, IDLE, BE_RIGHT_BACK -> "away";
            case EXTENDED_AWAY -> "xa";
            case DO_NOT_DISTURB, BUSY, BUSY_IDLE -> "dnd";
        };
    }

    public static boolean encodesAsUnavailable(Availability availability) {
        return availability == Availability.OFFLINE || availability == Availability.UNKNOWN;
    }
}
