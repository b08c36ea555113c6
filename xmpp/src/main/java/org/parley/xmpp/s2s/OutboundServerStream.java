package org.parley.xmpp.s2s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.dom4j.Element;
import org.parley.presence.model.GatewayEvent;
import org.parley.xmpp.adapt.ModelToXmpp;
import org.parley.xmpp.stream.StreamErrorException;
import org.parley.xmpp.stream.PeerStreamError;
import org.parley.xmpp.stream.XmppWireTap;

/**
 * An outgoing server-to-server stream (RFC 6120) from one of Parley's domains to a partner
 * domain. Encryption: direct TLS (XEP-0368) when the target says so, else STARTTLS whenever the
 * partner offers it; the partner's certificate must be valid for its domain. Plain TCP only when
 * the partner's rules do not require TLS and it offers none. Authentication: SASL EXTERNAL
 * (XEP-0178) with Parley's certificate when offered, else Server Dialback (XEP-0220, also for
 * version-less legacy partners) when the rules allow it. Streams are one-way: this one only
 * sends; the partner's stanzas arrive on the stream it opens toward Parley.
 */
public final class OutboundServerStream implements AutoCloseable {

    private final String localDomain;
    private final String remoteDomain;
    private final ModelToXmpp outbound;
    private final S2sConnection connection;
    private volatile long lastUsed = System.nanoTime();
    private volatile boolean ended;
    /** How the partner authenticated this stream: "SASL EXTERNAL" or "dialback". */
    private String authentication;

    private OutboundServerStream(String localDomain, String remoteDomain, ModelToXmpp outbound, S2sConnection connection) {
        this.localDomain = localDomain;
        this.remoteDomain = remoteDomain;
        this.outbound = outbound;
        this.connection = connection;
    }

    /**
     * Connects and negotiates; returns a stream ready for stanzas.
     *
     * @param dialback keys for Server Dialback, or {@code null} to use SASL EXTERNAL only
     * @throws S2sException naming the step that failed (connect, TLS, SASL, dialback, stream error)
     */
    public static OutboundServerStream open(S2sTarget target, String localDomain, String remoteDomain, S2sTls tls, PartnerRules rules,
                                            DialbackKeys dialback, ModelToXmpp outbound, int timeoutMillis) throws S2sException {
        return open(target, localDomain, remoteDomain, tls, rules, dialback, outbound, timeoutMillis, XmppWireTap.NONE);
    }

    /** As {@link #open(S2sTarget, String, String, S2sTls, PartnerRules, DialbackKeys, ModelToXmpp, int)}, the stream's text shown to {@code tap}. */
    public static OutboundServerStream open(S2sTarget target, String localDomain, String remoteDomain, S2sTls tls, PartnerRules rules,
                                            DialbackKeys dialback, ModelToXmpp outbound, int timeoutMillis, XmppWireTap tap)
            throws S2sException {
        S2sConnection c = null;
        try {
            c = S2sConnection.connect(target, localDomain, remoteDomain, tls.outbound(rules.pins()), true, timeoutMillis, tap);
            OutboundServerStream s = new OutboundServerStream(localDomain, remoteDomain, outbound, c);
            s.negotiate(tls, rules, dialback);
            return s;
        } catch (IOException e) {
            close(c);
            throw new S2sException("s2s " + localDomain + " → " + remoteDomain + " via " + target + ": " + e.getMessage(), e);
        } catch (StreamErrorException e) {
            close(c);
            throw new S2sException("s2s " + localDomain + " → " + remoteDomain + ": stream error " + e.condition().xmppName()
                    + " (" + e.getMessage() + ")", e);
        } catch (S2sException | RuntimeException e) {
            close(c);
            throw e;
        }
    }

    private static void close(S2sConnection c) {
        if (c != null) {
            c.close();
        }
    }

    private void negotiate(S2sTls tls, PartnerRules rules, DialbackKeys dialback) throws IOException, StreamErrorException, S2sException {
        Element features = connection.openStream();
        if (!connection.encrypted()) {
            if (S2sConnection.child(features, "starttls", S2sConnection.TLS_NS) != null) {
                connection.startTls(tls.outbound(rules.pins()), true);
                features = connection.openStream();
            } else if (rules.tlsRequired()) {
                throw new S2sException(remoteDomain + " does not offer STARTTLS; TLS is required for this partner");
            }
        }
        Element mechanisms = S2sConnection.child(features, "mechanisms", S2sConnection.SASL_NS);
        boolean external = connection.encrypted() && tls.hasCertificate() && mechanisms != null && mechanisms.elements().stream()
                .anyMatch(m -> "EXTERNAL".equals(((Element) m).getTextTrim()));
        String refused = external ? authenticateExternal() : null;
        if (external && refused == null) {
            // authenticated
        } else if (refused != null && (rules.saslExternalRequired() || dialback == null)) {
            throw new S2sException(remoteDomain + " refused SASL EXTERNAL for " + localDomain + ": " + refused);
        } else if (refused != null) {
            // RFC 6120 §6.4.5: after a SASL failure the stream stays open; a partner that offers EXTERNAL on every
            // encrypted stream (ejabberd) but does not accept this certificate may still verify the domain by dialback
            System.getLogger(OutboundServerStream.class.getName()).log(System.Logger.Level.INFO, remoteDomain
                    + " refused SASL EXTERNAL for " + localDomain + " (" + refused + "); trying dialback on the same stream");
            authenticateDialback(dialback);
        } else if (rules.saslExternalRequired()) {
            throw new S2sException(remoteDomain + " does not offer SASL EXTERNAL for " + localDomain
                    + " (it does not accept Parley's certificate) and this partner's rules require it");
        } else if (dialback == null) {
            throw new S2sException(remoteDomain + " does not offer SASL EXTERNAL for " + localDomain
                    + " (its certificate is not accepted there; dialback is not enabled)");
        } else {
            authenticateDialback(dialback);
        }
        connection.negotiated();
    }

    /** SASL EXTERNAL; null on success, else the partner's refusal (a {@code <failure/>}: the stream stays usable). */
    private String authenticateExternal() throws IOException, StreamErrorException, S2sException {
        connection.write("<auth xmlns='" + S2sConnection.SASL_NS + "' mechanism='EXTERNAL'>"
                + Base64.getEncoder().encodeToString(localDomain.getBytes(StandardCharsets.UTF_8)) + "</auth>");
        Element answer = connection.nextElement();
        if ("failure".equals(answer.getName())) {
            return answer.asXML();
        }
        if (!"success".equals(answer.getName())) {
            throw new S2sException(remoteDomain + " answered SASL EXTERNAL for " + localDomain + " with " + answer.asXML());
        }
        connection.restart(); // RFC 6120 §6.4.6
        connection.openStream();
        authentication = "SASL EXTERNAL";
        return null;
    }

    /** XEP-0220 §2.1: the partner calls Parley's authoritative listener back to verify the key. */
    private void authenticateDialback(DialbackKeys dialback) throws IOException, StreamErrorException, S2sException {
        connection.write("<db:result from='" + localDomain + "' to='" + remoteDomain + "'>"
                + dialback.key(remoteDomain, localDomain, connection.streamId()) + "</db:result>");
        Element result = connection.nextElement();
        while (!"result".equals(result.getName())) {
            result = connection.nextElement(); // nothing else is expected here; tolerate and wait
        }
        if (!"valid".equals(result.attributeValue("type"))) {
            throw new S2sException(remoteDomain + " did not accept dialback for " + localDomain + ": " + result.asXML());
        }
        authentication = "dialback";
    }

    /** Sends a model event (addressed from the local domain) as a stanza. */
    public void send(GatewayEvent event) throws IOException {
        connection.write(outbound.render(event));
        lastUsed = System.nanoTime();
    }

    /** Sends a stanza that is already XML (a reply Parley built itself). */
    public void sendXml(String xml) throws IOException {
        connection.write(xml);
    }

    /** XEP-0199 ping to the partner domain (its answer comes back on the partner's stream). */
    public void ping(String id) throws IOException {
        connection.write("<iq type='get' id='" + id + "' from='" + localDomain + "' to='" + remoteDomain + "'><ping xmlns='urn:xmpp:ping'/></iq>");
    }

    /**
     * Reads what the partner sends on this stream until the stream ends, then runs {@code onEnd}
     * once. After negotiation an outbound stream carries nothing for Parley but whitespace, a stream
     * error or the closing tag; without a reader a partner that went away (restart, crash) is only
     * noticed at the next write, and the kernel accepts that first write — the stanza is lost while
     * the sender is told it left (found by the soak test's Prosody restart). Call once, after
     * {@link #open}; tests that read the stream by hand do not call it.
     */
    public void watch(Runnable onEnd) {
        Thread t = new Thread(() -> {
            try {
                Element error = readToEnd();
                if (error != null) {
                    System.getLogger(OutboundServerStream.class.getName()).log(System.Logger.Level.WARNING,
                            remoteDomain + " ended the s2s stream with " + error.asXML());
                }
            } catch (IOException | StreamErrorException | RuntimeException ended) {
                // closed under us, or by us
            }
            ended = true;
            onEnd.run();
        }, "parley-s2s-out-" + localDomain + "-" + remoteDomain);
        t.setDaemon(true);
        t.start();
    }

    /** True once {@link #watch} saw the stream end. */
    public boolean ended() {
        return ended;
    }

    /** How this stream was authenticated: {@code SASL EXTERNAL} or {@code dialback}. */
    public String authentication() {
        return authentication;
    }

    /** Whether the stream is encrypted (a TLS-optional partner may have neither STARTTLS nor direct TLS). */
    public boolean encrypted() {
        return connection.encrypted();
    }

    /** Nanoseconds since the last stanza sent (pings do not count). */
    public long idleNanos() {
        return System.nanoTime() - lastUsed;
    }

    /** The partner's stream id: for tests that present further dialback keys on this stream. */
    String streamId() {
        return connection.streamId();
    }

    /** Reads the next element the partner sends: for tests that play the protocol by hand. */
    Element awaitElement(int timeoutMillis) throws IOException, StreamErrorException, S2sException {
        connection.timeout(timeoutMillis);
        return connection.nextElement();
    }

    /** Writes raw bytes on the negotiated stream: for tests that play a misbehaving partner. */
    void sendRaw(String xml) throws IOException {
        connection.write(xml);
    }

    /**
     * Reads until the partner sends a stream error or closes; returns the error condition's name,
     * or {@code "closed"}. For tests that check how Parley's listener ends a bad stream.
     */
    String awaitStreamEnd(int timeoutMillis) throws IOException {
        connection.timeout(timeoutMillis);
        try {
            Element error = readToEnd();
            return error == null ? "closed" : PeerStreamError.condition(error, "error");
        } catch (IOException | StreamErrorException e) {
            return "closed";
        }
    }

    /**
     * Reads until the partner closes its stream or sends a stream error, and returns that error (null: a close).
     * Anything else on an outbound stream is not for Parley and is passed over.
     */
    private Element readToEnd() throws IOException, StreamErrorException {
        Element[] error = {null};
        connection.io().readUntilClosed((e, text) -> {
            if (PeerStreamError.is(e)) {
                error[0] = e;
                return false;
            }
            return true;
        });
        return error[0];
    }

    @Override
    public void close() {
        connection.close();
    }
}
