package org.parley.sip;

import java.util.Objects;
import org.parley.sip.subscription.WatcherDialogReplication;

/**
 * Who the SIP endpoint tells, one per concern: the events it hands over ({@link SipInbound}), what went over the wire
 * ({@link SipWireTap}), and the watcher dialogs a cluster replicates ({@link WatcherDialogReplication}).
 */
public record SipSides(SipInbound events, SipWireTap tap, WatcherDialogReplication replication) {

    public SipSides {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(tap, "tap");
        Objects.requireNonNull(replication, "replication");
    }

    /** Events only: no trace, no cluster. */
    public static SipSides of(SipInbound events) {
        return new SipSides(events, SipWireTap.NONE, WatcherDialogReplication.NONE);
    }

    /** One object that takes all three (the gateway's router, a test's recorder). */
    public static <T extends SipInbound & SipWireTap & WatcherDialogReplication> SipSides all(T side) {
        return new SipSides(side, side, side);
    }
}
