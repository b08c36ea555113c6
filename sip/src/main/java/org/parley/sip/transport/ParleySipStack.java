package org.parley.sip.transport;

import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.SIPServerTransaction;
import gov.nist.javax.sip.stack.SIPTransaction;
import java.util.Properties;
import java.util.function.Consumer;
import org.parley.sip.SipRefusal;
import javax.sip.PeerUnavailableException;

/**
 * A JAIN-SIP stack that uses a network layer instance handed in by Parley. JAIN-SIP can only
 * instantiate a network layer by class name with a no-argument constructor, which would force
 * TLS material through static state; setting the protected field right after construction (before
 * any listening point starts) avoids that.
 */
final class ParleySipStack extends SipStackImpl {

    private final Consumer<String> securityLog;
    private final Consumer<SipRefusal> refusals;

    ParleySipStack(Properties properties, NetworkLayer layer, Consumer<String> securityLog, Consumer<SipRefusal> refusals)
            throws PeerUnavailableException {
        super(properties);
        this.securityLog = securityLog;
        this.refusals = refusals;
        this.networkLayer = layer;
        layer.setSipStack(this);
    }

    /** Where refusals of peers are reported (read by {@link ClientCertificateValve}). */
    Consumer<String> securityLog() {
        return securityLog;
    }

    /** Where requests JAIN-SIP could not parse are reported (read by {@link StrictMessageParserFactory}). */
    Consumer<SipRefusal> refusals() {
        return refusals;
    }

    /**
     * RFC 3261 §17.2.3: a request belongs to a server transaction when its top Via's branch, its sent-by and its
     * method (ACK: the INVITE's) match those of the request that created it. JAIN-SIP looks the branch up alone, so a
     * request that shares only a branch with another (another host, another method — RFC 4475's messages do) was
     * taken for a retransmission and never answered; it now gets a transaction of its own.
     */
    @Override
    public SIPTransaction findTransaction(SIPMessage message, boolean isServer) {
        SIPTransaction found = super.findTransaction(message, isServer);
        if (isServer && found instanceof SIPServerTransaction tx && message instanceof SIPRequest request
                && tx.getOriginalRequest() != null && !sameTransaction(tx.getOriginalRequest(), request)) {
            return null;
        }
        return found;
    }

    private static boolean sameTransaction(SIPRequest first, SIPRequest next) {
        String method = next.getMethod();
        boolean methodMatches = method.equals(first.getMethod()) || (method.equals("ACK") && first.getMethod().equals("INVITE"));
        Via a = first.getTopmostVia();
        Via b = next.getTopmostVia();
        return methodMatches && a != null && b != null && String.valueOf(a.getSentBy()).equalsIgnoreCase(String.valueOf(b.getSentBy()));
    }
}
