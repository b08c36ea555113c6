package org.parley.sip.dialog;

import java.util.List;

/**
 * The dialog state (RFC 3261 §12) Parley keeps for a subscription or an IM session: a few strings, not JAIN-SIP's
 * dialog objects, so hundreds of thousands fit in the heap and a copy can travel to another cluster member.
 *
 * @param callId       Call-ID
 * @param localTag     our tag
 * @param remoteTag    the peer's tag ({@code null} until its first response or request)
 * @param localUri     our URI (From of our requests), as sent
 * @param remoteUri    the peer's URI (To of our requests), as received
 * @param remoteTarget where in-dialog requests go: the peer's Contact, often a GRUU that only a front end can resolve
 * @param routeSet     Route headers for in-dialog requests, in order; empty when nobody record-routed
 * @param localCseq    CSeq of our last request in the dialog
 */
public record Dialog(String callId, String localTag, String remoteTag, String localUri, String remoteUri, String remoteTarget,
                     List<String> routeSet, long localCseq) implements java.io.Serializable {

    public Dialog {
        routeSet = List.copyOf(routeSet);
    }

    /** The same dialog with its local CSeq one higher: the CSeq of the next request (RFC 3261 §12.2.1.1). */
    public Dialog nextCseq() {
        return withCseq(localCseq + 1);
    }

    public Dialog withCseq(long cseq) {
        return new Dialog(callId, localTag, remoteTag, localUri, remoteUri, remoteTarget, routeSet, cseq);
    }

    /** The peer answered or asked in the dialog: its tag, and its target and route set where it gave them ({@code null} keeps ours). */
    public Dialog established(String newRemoteTag, String newRemoteTarget, List<String> newRouteSet) {
        return new Dialog(callId, localTag, newRemoteTag, localUri, remoteUri, newRemoteTarget == null ? remoteTarget : newRemoteTarget,
                newRouteSet == null ? routeSet : newRouteSet, localCseq);
    }
}
