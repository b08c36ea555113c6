package org.parley.sip.im;

import java.time.Instant;
import org.parley.presence.model.Address;
import org.parley.sip.dialog.Dialog;
import org.parley.sip.dialog.InDialog;

/**
 * One Lync IM session (an INVITE dialog with an {@code m=message} SDP), kept as a compact record.
 *
 * @param dialog         the INVITE dialog (Call-ID, tags, URIs as sent and received, remote target, route set, local CSeq)
 * @param conversationId Ms-Conversation-ID, {@code null} if none
 * @param sipUser        the SIP user (Lync side)
 * @param gatewayUser    the user behind the gateway (SIP form)
 * @param lastActivity   last message in either direction (idle BYE)
 */
public record ImSession(Dialog dialog, String conversationId, Address sipUser, Address gatewayUser, Instant lastActivity)
        implements InDialog {

    public ImSession touched(Instant now) {
        return new ImSession(dialog, conversationId, sipUser, gatewayUser, now);
    }

    /** The session with its local CSeq advanced for the next request. */
    public ImSession nextCseq() {
        return new ImSession(dialog.nextCseq(), conversationId, sipUser, gatewayUser, lastActivity);
    }
}
