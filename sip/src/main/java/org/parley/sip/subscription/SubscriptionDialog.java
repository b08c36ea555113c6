package org.parley.sip.subscription;

import java.time.Instant;
import java.util.List;
import org.parley.presence.model.Address;
import org.parley.sip.dialog.Dialog;
import org.parley.sip.dialog.InDialog;

/**
 * The state Parley keeps for one held subscription: its {@link Dialog} and what RFC 6665 adds to it, a few strings,
 * not JAIN-SIP's request and dialog objects (≈ 0.4 KiB against ≈ 5.6 KiB), so that hundreds of thousands fit in the heap.
 *
 * @param dialog      the dialog (Call-ID, tags, URIs, remote target, route set, local CSeq)
 * @param expiresAt   when the subscription ends unless refreshed
 * @param contentType negotiated body type ({@code application/pidf+xml}, msrtc categories)
 * @param watcher     who watches
 * @param presentity  who is watched
 */
public record SubscriptionDialog(Dialog dialog, Instant expiresAt, String contentType, Address watcher, Address presentity)
        implements InDialog, java.io.Serializable {

    public SubscriptionDialog nextCseq() {
        return new SubscriptionDialog(dialog.nextCseq(), expiresAt, contentType, watcher, presentity);
    }

    public SubscriptionDialog established(String newRemoteTag, String newRemoteTarget, List<String> newRouteSet) {
        return new SubscriptionDialog(dialog.established(newRemoteTag, newRemoteTarget, newRouteSet), expiresAt, contentType, watcher,
                presentity);
    }

    public SubscriptionDialog expiringAt(Instant newExpiry) {
        return new SubscriptionDialog(dialog, newExpiry, contentType, watcher, presentity);
    }
}
