package org.parley.sip.im;

import java.time.Instant;
import java.util.List;
import org.parley.presence.model.Address;

/**
 * One Lync IM session (an INVITE dialog with an {@code m=message} SDP), kept as a compact record.
 *
 * @param callId         dialog Call-ID
 * @param localTag       our tag
 * @param remoteTag      the peer's tag
 * @param localUri       our URI (name-addr as sent)
 * @param remoteUri      the peer's URI (name-addr as received)
 * @param remoteTarget   the peer's Contact
 * @param routeSet       Route set for in-dialog requests
 * @param localCseq      CSeq of our last in-dialog request
 * @param conversationId Ms-Conversation-ID, {@code null} if none
 * @param sipUser        the SIP user (Lync side)
 * @param gatewayUser    the user behind the gateway (SIP form)
 * @param lastActivity   last message in either direction (idle BYE)
 */
public record ImSession(String callId, String localTag, String remoteTag, String localUri, String remoteUri,
                        String remoteTarget, List<String> routeSet, long localCseq, String conversationId,
                        Address sipUser, Address gatewayUser, Instant lastActivity) {

    public ImSession {
        routeSet = List.copyOf(routeSet);
    }

    public ImSession touched(Instant now) {
        return new ImSession(callId, localTag, remoteTag, localUri, remoteUri, remoteTarget, routeSet, localCseq, conversationId,
                sipUser, gatewayUser, now);
    }
}
