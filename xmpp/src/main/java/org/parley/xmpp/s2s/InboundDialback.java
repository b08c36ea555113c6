package org.parley.xmpp.s2s;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import org.dom4j.Element;
import org.parley.xmpp.stream.StreamErrorCondition;
import org.parley.xmpp.stream.StreamErrorException;
import org.parley.xmpp.stream.XmppStreamIo;

/**
 * Server Dialback (XEP-0220) on one inbound stream, both of its roles: as receiving server, a
 * partner's {@code db:result} key is checked with the partner's authoritative server (on the
 * listener's verification threads, the stream reads on) and a valid one adds its domain pair to
 * the stream's {@link StanzaAuthorization} — several pairs may be authenticated on one stream; as
 * authoritative server, a {@code db:verify} about a key Parley handed out is answered.
 */
final class InboundDialback {

    static final String NAMESPACE = "jabber:server:dialback";
    /** The stream feature (XEP-0220 §2.4): dialback with errors, so a refused pair does not cost the stream. */
    static final String FEATURE = "<dialback xmlns='urn:xmpp:features:dialback'><errors/></dialback>";

    private static final String STANZAS_NS = "urn:ietf:params:xml:ns:xmpp-stanzas";
    private static final System.Logger LOG = System.getLogger(InboundServerListener.class.getName());

    private final InboundStreamSetup setup;
    private final XmppStreamIo io;
    private final InboundHeaders headers;
    private final StanzaAuthorization authorization;
    private int requests;

    InboundDialback(InboundStreamSetup setup, XmppStreamIo io, InboundHeaders headers, StanzaAuthorization authorization) {
        this.setup = setup;
        this.io = io;
        this.headers = headers;
        this.authorization = authorization;
    }

    /** Whether a partner under {@code rules} may use dialback here. */
    static boolean offered(InboundStreamSetup setup, PartnerRules rules) {
        return rules.dialbackAllowed() && !rules.saslExternalRequired() && setup.verifier() != null;
    }

    /** One element in the dialback namespace. */
    void handle(Element e) throws IOException, StreamErrorException {
        if ("verify".equals(e.getName())) {
            answerVerify(e);
        } else if ("result".equals(e.getName())) {
            requestVerification(e);
        }
    }

    /** XEP-0220 §2.2: a partner presents a key for (from, to); the authoritative server decides. */
    private void requestVerification(Element e) throws IOException, StreamErrorException {
        String from = lower(e.attributeValue("from"));
        String to = lower(e.attributeValue("to"));
        String key = e.getTextTrim();
        if (from == null || to == null || key.isEmpty()) {
            throw new StreamErrorException(StreamErrorCondition.BAD_FORMAT, "db:result needs from, to and a key");
        }
        S2sListenerConfig config = setup.config();
        if (++requests > config.maxDialbackRequests()) {
            throw new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION,
                    "more than " + config.maxDialbackRequests() + " dialback requests on one stream");
        }
        if (!config.localDomains().contains(to)) {
            error(from, to, "item-not-found", "this gateway does not serve " + to);
            return;
        }
        PartnerRules r = setup.policy().rulesFor(from).orElse(null);
        if (r == null) {
            error(from, to, "forbidden", from + " is not an allowed federation partner of this gateway");
            return;
        }
        if (!offered(setup, r)) {
            error(from, to, "not-authorized", "dialback is not accepted for " + from + "; SASL EXTERNAL with a trusted certificate is required");
            return;
        }
        boolean encrypted = io.encrypted();
        if (r.tlsRequired() && !encrypted) {
            error(from, to, "policy-violation", "TLS is required for " + from);
            return;
        }
        String id = headers.streamId();
        try {
            setup.verifications().execute(() -> verify(from, to, id, key, encrypted));
        } catch (RejectedExecutionException closing) {
            throw new IOException("listener closing");
        }
    }

    /** On a verification thread: asks the authoritative server, then tells the partner. */
    private void verify(String from, String to, String id, String key, boolean encrypted) {
        DialbackVerifier.Verdict v = setup.verifier().verify(to, from, id, key);
        try {
            if (v == DialbackVerifier.Verdict.VALID) {
                authorization.add(new AuthenticatedPair(from, to, "dialback", encrypted));
                io.write("<db:result from='" + XmlAttr.escape(to) + "' to='" + XmlAttr.escape(from) + "' type='valid'/>");
                LOG.log(System.Logger.Level.INFO, "s2s stream " + from + " → " + to + " authenticated (dialback)");
            } else if (v == DialbackVerifier.Verdict.INVALID) {
                io.write("<db:result from='" + XmlAttr.escape(to) + "' to='" + XmlAttr.escape(from) + "' type='invalid'/>");
                LOG.log(System.Logger.Level.WARNING, "dialback key for " + from + " → " + to + " is invalid (the authoritative server says so)");
            } else {
                error(from, to, "remote-connection-failed", "cannot reach the authoritative server of " + from);
            }
        } catch (IOException gone) {
            // the stream closed meanwhile
        }
    }

    /** XEP-0220 §2.4 dialback error: the stream stays up, only this domain pair is refused. */
    private void error(String from, String to, String condition, String text) throws IOException {
        LOG.log(System.Logger.Level.WARNING, "dialback " + from + " → " + to + " refused (" + condition + "): " + text);
        io.write("<db:result from='" + XmlAttr.escape(to) + "' to='" + XmlAttr.escape(from) + "' type='error'><error type='cancel'><" + condition
                + " xmlns='" + STANZAS_NS + "'/><text xmlns='" + STANZAS_NS + "'>" + XmlAttr.escape(text) + "</text></error></db:result>");
    }

    /** XEP-0220 §2.3: is this the key Parley (as originating server) gave the partner? */
    private void answerVerify(Element e) throws IOException {
        String from = e.attributeValue("from");
        String to = e.attributeValue("to");
        String id = e.attributeValue("id");
        DialbackKeys keys = setup.dialbackKeys();
        boolean valid = keys != null && from != null && to != null && id != null
                && setup.config().localDomains().contains(to.toLowerCase(Locale.ROOT)) && keys.verify(from, to, id, e.getText());
        io.write("<db:verify from='" + XmlAttr.escape(to) + "' to='" + XmlAttr.escape(from) + "' id='" + XmlAttr.escape(id) + "' type='"
                + (valid ? "valid" : "invalid") + "'/>");
        LOG.log(System.Logger.Level.INFO, "dialback key for " + to + " → " + from + " verified: " + (valid ? "valid" : "invalid"));
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
