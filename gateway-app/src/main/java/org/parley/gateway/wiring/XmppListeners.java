package org.parley.gateway.wiring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.parley.gateway.config.XmppProperties;
import org.parley.xmpp.adapt.InboundDispatcher;
import org.parley.xmpp.s2s.AuthenticatedPair;
import org.parley.xmpp.s2s.DialbackKeys;
import org.parley.xmpp.s2s.DialbackVerifier;
import org.parley.xmpp.s2s.InboundServerListener;
import org.parley.xmpp.s2s.PartnerPolicy;
import org.parley.xmpp.s2s.S2sListenerConfig;
import org.parley.xmpp.s2s.S2sTls;
import org.xmpp.packet.Packet;

/** The s2s listeners Parley runs: STARTTLS on the s2s port, and direct TLS when a port is configured. */
public final class XmppListeners implements AutoCloseable {

    private final List<InboundServerListener> listeners = new ArrayList<>();

    XmppListeners(XmppProperties.S2s s2s, Set<String> localDomains, S2sTls tls, PartnerPolicy policy, InboundDispatcher dispatcher,
                  Consumer<Packet> replies, DialbackKeys keys, DialbackVerifier verifier) {
        if (!s2s.enabled()) {
            return;
        }
        try {
            S2sListenerConfig starttls = S2sListenerConfig.starttls(s2s.listenAddress(), s2s.port(), localDomains);
            listeners.add(new InboundServerListener(starttls, tls, policy, dispatcher, replies, keys, verifier));
            if (s2s.directTlsPort() > 0) {
                S2sListenerConfig direct = S2sListenerConfig.starttls(s2s.listenAddress(), s2s.directTlsPort(), localDomains).withDirectTls();
                listeners.add(new InboundServerListener(direct, tls, policy, dispatcher, replies, keys, verifier));
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot listen for XMPP s2s on " + s2s.listenAddress() + ":" + s2s.port()
                    + " (parley.xmpp.s2s.port): " + e.getMessage(), e);
        }
    }

    public void start() {
        listeners.forEach(InboundServerListener::start);
    }

    public List<Integer> ports() {
        return listeners.stream().map(InboundServerListener::port).toList();
    }

    public List<AuthenticatedPair> authenticated() {
        return listeners.stream().flatMap(l -> l.authenticatedPairs().stream()).toList();
    }

    public int openStreams() {
        return listeners.stream().mapToInt(InboundServerListener::openStreams).sum();
    }

    @Override
    public void close() {
        listeners.forEach(InboundServerListener::close);
    }
}
