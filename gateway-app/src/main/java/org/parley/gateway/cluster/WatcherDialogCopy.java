package org.parley.gateway.cluster;

import java.io.Serializable;
import java.util.UUID;
import org.parley.sip.subscription.SubscriptionDialog;

/** A SIP watcher's dialog as the member holding it last copied it. */
record WatcherDialogCopy(UUID member, SubscriptionDialog dialog, boolean benotify) implements Serializable {
}
