package org.parley.sip.transport;

import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
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
}
