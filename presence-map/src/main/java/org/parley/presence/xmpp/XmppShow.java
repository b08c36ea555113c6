package org.parley.presence.xmpp;

import java.util.EnumMap;
import java.util.Map;

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

    /**
     * {@link #encodeShow} as the whole element ({@code <show>dnd</show>}), or {@code null}: constants made once,
     * so rendering a presence copies one string instead of assembling the element.
     */
    public static String encodeShowElement(Availability availability) {
        return SHOW_ELEMENTS.get(availability);
    }

    /** Never written after init. */
    private static final Map<Availability, String> SHOW_ELEMENTS = showElements();

    private static Map<Availability, String> showElements() {
        Map<Availability, String> elements = new EnumMap<>(Availability.class);
        for (Availability a : Availability.values()) {
            String show = encodeShow(a);
            if (show != null) {
                elements.put(a, "<show>" + show + "</show>");
            }
        }
        return elements;
    }

    public static boolean encodesAsUnavailable(Availability availability) {
        return availability == Availability.OFFLINE || availability == Availability.UNKNOWN;
    }
}
