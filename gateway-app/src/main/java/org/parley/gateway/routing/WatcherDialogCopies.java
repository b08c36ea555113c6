package org.parley.gateway.routing;

import org.parley.sip.subscription.SubscriptionDialog;

/**
 * Copies of the SIP watchers' subscription dialogs this member holds, kept where other members can read them:
 * when this member dies, another ends those dialogs cleanly (NOTIFY terminated;reason=deactivated) and the
 * watchers subscribe again to a living member. One gateway keeps none.
 */
public interface WatcherDialogCopies {

    WatcherDialogCopies NONE = new WatcherDialogCopies() {
        @Override
        public void held(SubscriptionDialog dialog, boolean benotify) {
        }

        @Override
        public void ended(String callId) {
        }
    };

    void held(SubscriptionDialog dialog, boolean benotify);

    void ended(String callId);
}
