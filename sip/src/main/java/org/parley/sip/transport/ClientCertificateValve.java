package org.parley.sip.transport;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.HandshakeCompletedListenerImpl;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPMessageValve;
import gov.nist.javax.sip.stack.TLSMessageChannel;
import java.io.IOException;
import java.security.cert.Certificate;
import java.util.function.Consumer;
import javax.net.ssl.HandshakeCompletedEvent;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.sip.SipStack;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Mutual TLS, enforced where it can be logged. The TLS layer only <em>asks</em> for a client
 * certificate (JAIN-SIP "Want"): a certificate that is presented is judged in the handshake by
 * {@link org.parley.sip.tls.TrustedPeerTrustManager}; a connection that presents none would, with
 * "Need", die inside JSSE with no log line Parley could see. Here, before any transaction exists,
 * a request on a TLS connection without a verified peer certificate is answered 403, reported
 * to the security log with the peer's address, and the connection is closed.
 */
public final class ClientCertificateValve implements SIPMessageValve {

    private volatile SipStack stack;

    @Override
    public void init(SipStack sipStack) {
        // May run inside the stack's constructor, before ParleySipStack has its fields: keep the
        // stack and read the log consumer when it is needed.
        this.stack = sipStack;
    }

    private Consumer<String> securityLog() {
        if (stack instanceof ParleySipStack parley && parley.securityLog() != null) {
            return parley.securityLog();
        }
        return line -> System.getLogger(ClientCertificateValve.class.getName()).log(System.Logger.Level.WARNING, line);
    }

    @Override
    public boolean processRequest(SIPRequest request, MessageChannel channel) {
        if (!(channel instanceof TLSMessageChannel tls) || hasPeerCertificate(tls)) {
            return true;
        }
        String peer = channel.getPeerAddress() + ":" + channel.getPeerPort();
        securityLog().accept("TLS client " + peer + " presented no certificate: " + request.getMethod()
                + " refused (the trusted-application link requires mutual TLS)");
        if (!Request.ACK.equals(request.getMethod())) {
            try {
                channel.sendMessage(request.createResponse(Response.FORBIDDEN, "Client certificate required"));
            } catch (IOException e) {
                // the connection is closed below either way
            }
        }
        channel.close();
        return false;
    }

    @Override
    public boolean processResponse(javax.sip.message.Response response, MessageChannel channel) {
        return true;
    }

    @Override
    public void destroy() {
        // nothing held
    }

    private static boolean hasPeerCertificate(TLSMessageChannel tls) {
        HandshakeCompletedListenerImpl listener = tls.getHandshakeCompletedListener();
        if (listener == null) {
            return false;
        }
        Certificate[] known = listener.getPeerCertificates();
        if (known != null && known.length > 0) {
            return true;
        }
        HandshakeCompletedEvent event = listener.getHandshakeCompletedEvent();
        if (event == null) {
            return false;
        }
        try {
            Certificate[] certs = event.getPeerCertificates();
            return certs != null && certs.length > 0;
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }
}
