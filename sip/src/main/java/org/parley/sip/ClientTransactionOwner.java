package org.parley.sip;

import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;

/**
 * A part of the endpoint that sends requests and takes their outcome. Each client transaction carries its owner
 * ({@link SipContext#newClientTransaction}), so the stack's events go straight to it: no chain of "is it yours?".
 */
public interface ClientTransactionOwner {

    /** The final response to a request this owner sent (provisional ones change nothing Parley keeps). */
    void onFinalResponse(ResponseEvent event);

    /**
     * The transaction ended without a final response: Timer B / F fired ({@code timedOut}), or JAIN-SIP ended it on an
     * I/O error with no timeout (a transaction that did get its final response is no longer the owner's by then).
     */
    void onNoFinalResponse(ClientTransaction ct, boolean timedOut);

    /** The owner of {@code ct}, {@code null} for none (a response outside any transaction: a retransmitted or forked 2xx). */
    static ClientTransactionOwner of(ClientTransaction ct) {
        return ct != null && ct.getApplicationData() instanceof ClientTransactionOwner o ? o : null;
    }
}
