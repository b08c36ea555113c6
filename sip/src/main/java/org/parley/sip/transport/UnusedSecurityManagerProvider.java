package org.parley.sip.transport;

import gov.nist.core.net.SecurityManagerProvider;
import java.util.Properties;
import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * Stands in for JAIN-SIP's default security manager provider, which only the NIO transport uses
 * and which would otherwise log at every start that TLS "will use JVM defaults" — misleading,
 * since Parley's TLS comes from {@link NoDelayNetworkLayer}. Returning no managers makes any
 * accidental use of the NIO path fail closed instead of trusting the JVM's CA store.
 */
public final class UnusedSecurityManagerProvider implements SecurityManagerProvider {

    @Override
    public void init(Properties properties) {
        // nothing to load: see class comment
    }

    @Override
    public KeyManager[] getKeyManagers(boolean client) {
        return new KeyManager[0];
    }

    @Override
    public TrustManager[] getTrustManagers(boolean client) {
        return new TrustManager[0];
    }
}
