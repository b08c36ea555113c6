package org.parley.presence.xmpp;

import java.util.Map;

/**
 * English labels for RPID activity tokens, used as an XMPP {@code <status/>} when a Lync or PIDF
 * presentity has an activity but no note: XMPP presence has no activity element (XEP-0108 is PEP,
 * not presence), so without this an XMPP user would never see "In a meeting".
 */
public final class ActivityLabels {

    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("appointment", "In an appointment"),
            Map.entry("away", "Away"),
            Map.entry("breakfast", "At breakfast"),
            Map.entry("busy", "Busy"),
            Map.entry("dinner", "At dinner"),
            Map.entry("holiday", "On holiday"),
            Map.entry("in-transit", "In transit"),
            Map.entry("looking-for-work", "Looking for work"),
            Map.entry("meal", "At a meal"),
            Map.entry("meeting", "In a meeting"),
            Map.entry("on-the-phone", "On the phone"),
            Map.entry("performance", "At a performance"),
            Map.entry("permanent-absence", "Permanently absent"),
            Map.entry("playing", "Playing"),
            Map.entry("presentation", "Presenting"),
            Map.entry("shopping", "Shopping"),
            Map.entry("sleeping", "Sleeping"),
            Map.entry("spectator", "Watching an event"),
            Map.entry("steering", "Driving"),
            Map.entry("travel", "Travelling"),
            Map.entry("tv", "Watching TV"),
            Map.entry("vacation", "On vacation"),
            Map.entry("working", "Working"),
            Map.entry("worship", "At worship"));

    private ActivityLabels() {
    }

    /** A label for the token; unknown tokens are shown as they are. */
    public static String label(String token) {
        return LABELS.getOrDefault(token, token);
    }
}
