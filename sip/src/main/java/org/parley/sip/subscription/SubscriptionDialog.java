package org.parley.sip.subscription;

import java.time.Instant;
import java.util.List;
import org.parley.presence.model.Address;

/**
 * The state Parley keeps for one held subscription: a few strings, not JAIN-SIP's request and
 * dialog objects (≈ 0.4 KiB against ≈ 5.6 KiB), so that hundreds of thousands fit in the heap.
 *
 * @param callId       dialog Call-ID
 * @param localTag     our tag
 * @param remoteTag    the peer's tag ({@code null} until the first response / NOTIFY)
 * @param localUri     our URI (From of our requests)
 * @param remoteUri    the peer's URI (To of our requests)
 * @param remoteTarget where in-dialog requests go (the peer's Contact)
 * @param routeSet     Route headers for in-dialog requests, in order
 * @param localCseq    CSeq of our last in-dialog request
 * @param expiresAt    when the subscription ends unless refreshed
 * @param contentType  negotiated body type ({@code application/pidf+xml}, msrtc categories)
 * @param watcher      who watches
 * @param presentity   who is watched
 */
public record SubscriptionDialog(
        String callId,
        String localTag,
        String remoteTag,
        String localUri,
        String remoteUri,
        String remoteTarget,
        List<String> routeSet,
        long localCseq,
        Instant expiresAt,
        String contentType,
        Address watcher,
        Address presentity) implements java.io.Serializable {

    public SubscriptionDialog {
        routeSet = List.copyOf(routeSet);
    }

    public SubscriptionDialog nextCseq() {
        return new SubscriptionDialog(callId, localTag, remoteTag, localUri, remoteUri, remoteTarget, routeSet, localCseq + 1,
                expiresAt, contentType, watcher, presentity);
    }

    public SubscriptionDialog established(String newRemoteTag, String newRemoteTarget, List<String> newRouteSet) {
        return new SubscriptionDialog(callId, localTag, newRemoteTag, localUri, remoteUri,
                newRemoteTarget == null ? remoteTarget : newRemoteTarget, newRouteSet == null ? routeSet : newRouteSet,
                localCseq, expiresAt, contentType, watcher, presentity);
    }

    public SubscriptionDialog expiringAt(Instant newExpiry) {
        return new SubscriptionDialog(callId, localTag, remoteTag, localUri, remoteUri, remoteTarget, routeSet, localCseq,
                newExpiry, contentType, watcher, presentity);
    }
}
