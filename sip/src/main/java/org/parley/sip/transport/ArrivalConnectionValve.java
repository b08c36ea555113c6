package org.parley.sip.transport;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPMessageValve;
import javax.sip.SipStack;

/**
 * The stack's message valve: every request first has its connection pinned for answers
 * ({@link ArrivalConnection}) and an rport value it did not ask for taken off its Via ({@link UnaskedRport}), then mutual TLS is enforced
 * ({@link ClientCertificateValve}). JAIN-SIP takes one
 * valve class; this is it.
 */
public final class ArrivalConnectionValve implements SIPMessageValve {

    private final ClientCertificateValve mutualTls = new ClientCertificateValve();

    @Override
    public void init(SipStack sipStack) {
        mutualTls.init(sipStack);
    }

    @Override
    public boolean processRequest(SIPRequest request, MessageChannel channel) {
        ArrivalConnection.pin(channel);
        UnaskedRport.remove(request);
        return mutualTls.processRequest(request, channel);
    }

    @Override
    public boolean processResponse(javax.sip.message.Response response, MessageChannel channel) {
        return mutualTls.processResponse(response, channel);
    }

    @Override
    public void destroy() {
        mutualTls.destroy();
    }
}
