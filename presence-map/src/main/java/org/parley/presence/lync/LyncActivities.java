package org.parley.presence.lync;

import java.util.Locale;
import java.util.Map;

/**
 * Microsoft activity tokens ⇄ RPID activity tokens (RFC 4480 §3.2). Tokens that only repeat the
 * availability ({@code Available}, {@code Busy}, {@code Away}, ...) carry no activity.
 * Unknown Microsoft tokens are kept verbatim in the lossless {@code LyncState}.
 */
public final class LyncActivities {

    private static final Map<String, String> MS_TO_RPID = Map.of(
            "in-a-meeting", "meeting",
            "in-a-conference", "meeting",
            "on-the-phone", "on-the-phone",
            "in-presentation", "presentation",
            "out-of-office", "vacation",
            "urgent-interruptions-only", "busy");

    private static final Map<String, String> RPID_TO_MS = Map.of(
            "meeting", "in-a-meeting",
            "appointment", "in-a-meeting",
            "on-the-phone", "on-the-phone",
            "presentation", "in-presentation",
            "vacation", "out-of-office",
            "holiday", "out-of-office",
            "permanent-absence", "out-of-office");

    private LyncActivities() {
    }

    /** RPID token for a Microsoft token, or {@code null} when it adds nothing to the availability. */
    public static String toRpid(String msToken) {
        if (msToken == null) {
            return null;
        }
        // Lync writes its tokens in lower case: look the token up as it is first, and case-fold only on a miss.
        String rpid = MS_TO_RPID.get(msToken);
        return rpid != null ? rpid : MS_TO_RPID.get(msToken.toLowerCase(Locale.ROOT));
    }

    /** Microsoft token for an RPID token, or {@code null} when Lync has no such activity. */
    public static String fromRpid(String rpidToken) {
        return rpidToken == null ? null : RPID_TO_MS.get(rpidToken);
    }
}
