package org.parley.sip.transport;

import gov.nist.core.net.NetworkLayer;
import java.util.Properties;
import javax.sip.PeerUnavailableException;
import javax.sip.SipStack;

/** Creates Parley's JAIN-SIP stacks without JAIN-SIP's static {@code SipFactory} cache. */
public final class SipStacks {

    private SipStacks() {
    }

    public static SipStack create(Properties properties, NetworkLayer layer) throws PeerUnavailableException {
        return new ParleySipStack(properties, layer);
    }
}
