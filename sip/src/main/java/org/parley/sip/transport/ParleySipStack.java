package org.parley.sip.transport;

import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
import java.util.Properties;
import javax.sip.PeerUnavailableException;

/**
 * A JAIN-SIP stack that uses a network layer instance handed in by Parley. JAIN-SIP can only
 * instantiate a network layer by class name with a no-argument constructor, which would force
 * TLS material through static state; setting the protected field right after construction (before
 * any listening point starts) avoids that.
 */
final class ParleySipStack extends SipStackImpl {

    ParleySipStack(Properties properties, NetworkLayer layer) throws PeerUnavailableException {
        super(properties);
        this.networkLayer = layer;
        layer.setSipStack(this);
    }
}
