package org.parley.sip.subscription;

/**
 * Where a clustered gateway keeps a copy of each SIP watcher's dialog this member holds, so that another member can
 * end it cleanly (NOTIFY terminated;reason=deactivated) when this one dies.
 */
public interface WatcherDialogReplication {

    /** A single gateway: nothing to copy. */
    WatcherDialogReplication NONE = new WatcherDialogReplication() {
    };

    /** A SIP watcher's subscription is held (new, or refreshed) by this endpoint. */
    default void onWatcherDialog(SubscriptionDialog dialog, boolean benotify) {
    }

    /** The SIP watcher's subscription with this Call-ID is no longer held here. */
    default void onWatcherDialogEnded(String callId) {
    }
}
