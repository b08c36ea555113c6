package org.parley.sip.im;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sip.ClientTransaction;
import javax.sip.SipException;
import javax.sip.message.Request;
import org.parley.sip.ClientTransactionOwner;
import org.parley.sip.SipContext;

/** The IM requests toward Lync waiting for their final response, each with what it is for. */
final class ImTransactions {

    private final SipContext sip;
    private final ClientTransactionOwner owner;
    private final Map<ClientTransaction, PendingImRequest> pending = new ConcurrentHashMap<>();

    ImTransactions(SipContext sip, ClientTransactionOwner owner) {
        this.sip = sip;
        this.owner = owner;
    }

    /** Sends {@code request} in a new client transaction; nothing stays pending when it cannot be sent. */
    void send(Request request, PendingImRequest what) throws SipException {
        ClientTransaction ct = sip.newClientTransaction(request, owner);
        pending.put(ct, what);
        try {
            ct.sendRequest();
        } catch (SipException | RuntimeException e) {
            pending.remove(ct);
            throw e;
        }
    }

    /** What {@code ct} was for, forgotten now that it has its outcome; {@code null} when it is not (or no longer) pending. */
    PendingImRequest finish(ClientTransaction ct) {
        return ct == null ? null : pending.remove(ct);
    }

    int size() {
        return pending.size();
    }
}
