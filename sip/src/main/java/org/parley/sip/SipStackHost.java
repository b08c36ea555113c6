package org.parley.sip;

import java.util.Properties;
import java.util.TooManyListenersException;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.ObjectInUseException;
import javax.sip.PeerUnavailableException;
import javax.sip.SipException;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TransportNotSupportedException;
import org.parley.sip.config.SipEndpointConfig;
import org.parley.sip.tls.TlsMaterial;
import org.parley.sip.transport.NoDelayNetworkLayer;
import org.parley.sip.transport.SipConnections;
import org.parley.sip.transport.SipStacks;

/** Owns the JAIN-SIP stack: its properties, the one listening point and provider, and stopping it. */
final class SipStackHost {

    private static final System.Logger LOG = System.getLogger(SipStackHost.class.getName());

    private final SipEndpointConfig config;
    private SipStack stack;
    private SipProvider provider;
    private SipListener listener;

    SipStackHost(SipEndpointConfig config) {
        this.config = config;
    }

    boolean running() {
        return stack != null;
    }

    /**
     * Starts the stack listening on the configured address with {@code listener}; {@code tls} is {@code null} for TCP.
     * Requests refused below the listener (unreadable, or from an unknown certificate) go to {@code refusedBelow}.
     */
    ListeningPoint start(SipContext context, SipListener sipListener, SSLContext tls, SipConnections connections,
                         Consumer<String> securityLog, Consumer<SipRefusal> refusedBelow) throws SipStartException {
        try {
            NoDelayNetworkLayer layer = new NoDelayNetworkLayer(tls, TlsMaterial.protocols(), (int) config.connectTimeout().toMillis(),
                    connections);
            stack = SipStacks.create(stackProperties(), layer, securityLog, refusedBelow::accept);
            ListeningPoint lp = stack.createListeningPoint(config.listenAddress(), config.listenPort(), config.transport().jainName());
            provider = stack.createSipProvider(lp);
            provider.addSipListener(sipListener);
            listener = sipListener;
            context.attach(provider);
            stack.start();
            return lp;
        } catch (PeerUnavailableException | TransportNotSupportedException | InvalidArgumentException | ObjectInUseException
                 | TooManyListenersException e) {
            close();
            throw new SipStartException("cannot listen on " + config.transport() + " " + config.listenAddress() + ":"
                    + config.listenPort() + ": " + e.getMessage(), e);
        } catch (SipException e) {
            close();
            throw new SipStartException("cannot start the SIP stack: " + e.getMessage(), e);
        }
    }

    void close() {
        if (stack != null) {
            try {
                if (provider != null) {
                    provider.removeSipListener(listener);
                    stack.deleteSipProvider(provider);
                }
            } catch (ObjectInUseException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "while closing: " + e.getMessage());
            }
            stack.stop();
            stack = null;
            provider = null;
        }
    }

    private Properties stackProperties() {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "parley-" + config.computerFqdn() + "-" + config.listenPort());
        // Dialog state is kept in Parley's compact records, not in JAIN-SIP dialogs.
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        // "Want", not "Need": a missing client certificate is then refused by ClientCertificateValve,
        // which can log it; presented certificates are judged in the handshake either way.
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Want");
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", String.join(",", TlsMaterial.protocols()));
        // JAIN-SIP's own default suites are four legacy ones (RSA key exchange, CBC, 3DES, anonymous DH): no forward
        // secrecy and no TLS 1.3 at all. Use the JDK's defaults, which follow the JDK's security policy.
        p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", String.join(",", TlsMaterial.cipherSuites()));
        p.setProperty("gov.nist.javax.sip.SSL_HANDSHAKE_TIMEOUT", Long.toString(config.connectTimeout().toMillis()));
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", "org.parley.sip.transport.JdkStackLogger");
        p.setProperty("gov.nist.javax.sip.SECURITY_MANAGER_PROVIDER", "org.parley.sip.transport.UnusedSecurityManagerProvider");
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", "org.parley.sip.transport.SilentServerLogger");
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "1048576");
        return p;
    }
}
