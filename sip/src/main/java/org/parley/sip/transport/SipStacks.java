package org.parley.sip.transport;

import gov.nist.core.net.NetworkLayer;
import java.util.Properties;
import java.util.function.Consumer;
import javax.sip.PeerUnavailableException;
import javax.sip.SipStack;

/** Creates Parley's JAIN-SIP stacks without JAIN-SIP's static {@code SipFactory} cache. */
public final class SipStacks {

    private SipStacks() {
    }

    /**
     * @param securityLog receives one line per refused peer (no client certificate, ...)
     */
    public static SipStack create(Properties properties, NetworkLayer layer, Consumer<String> securityLog)
            throws PeerUnavailableException {
        Properties p = new Properties();
        p.putAll(properties);
        p.setProperty("gov.nist.javax.sip.SIP_MESSAGE_VALVE", ClientCertificateValve.class.getName());
        return new ParleySipStack(p, layer, securityLog);
    }
}
