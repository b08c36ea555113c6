package org.parley.xmpp.s2s;

import java.io.IOException;
import org.dom4j.Element;
import org.parley.xmpp.stream.StreamErrorException;
import org.parley.xmpp.stream.XmppWireTap;

/**
 * Parley as receiving server (XEP-0220 §2.2): asks the originating domain's authoritative server
 * whether a dialback key is genuine, over a connection of its own — direct TLS or STARTTLS when
 * the partner offers it (see {@link S2sTls#dialbackCallback()}), plain TCP otherwise.
 */
public final class DialbackVerifier {

    private static final System.Logger LOG = System.getLogger(DialbackVerifier.class.getName());

    /** What the authoritative server said. */
    public enum Verdict { VALID, INVALID, UNREACHABLE }

    private final PartnerTargets targets;
    private final S2sTls tls;
    private final int timeoutMillis;

    public DialbackVerifier(PartnerTargets targets, S2sTls tls, int timeoutMillis) {
        this.targets = targets;
        this.tls = tls;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * @param receiving   Parley's domain the key was presented to
     * @param originating the partner domain that claims the stream
     * @param streamId    the id of Parley's stream header on the stream the key arrived on
     */
    public Verdict verify(String receiving, String originating, String streamId, String key) {
        String last = "no target";
        for (S2sTarget target : targets.targets(originating)) {
            try (S2sConnection c = S2sConnection.connect(target, receiving, originating, tls.dialbackCallback(), false, timeoutMillis,
                    XmppWireTap.NONE)) {
                Element features = c.openStream();
                if (!c.encrypted() && S2sConnection.child(features, "starttls", S2sConnection.TLS_NS) != null) {
                    c.startTls(tls.dialbackCallback(), false);
                    c.openStream();
                }
                c.write("<db:verify from='" + XmlAttr.escape(receiving) + "' to='" + XmlAttr.escape(originating)
                        + "' id='" + XmlAttr.escape(streamId) + "'>" + XmlAttr.escape(key) + "</db:verify>");
                Element answer = c.nextElement();
                while (!"verify".equals(answer.getName())) {
                    answer = c.nextElement();
                }
                return "valid".equals(answer.attributeValue("type")) ? Verdict.VALID : Verdict.INVALID;
            } catch (IOException | StreamErrorException | S2sException | RuntimeException e) {
                last = target + ": " + e.getMessage();
            }
        }
        LOG.log(System.Logger.Level.WARNING, "cannot verify the dialback key of " + originating + " (" + last + ")");
        return Verdict.UNREACHABLE;
    }
}
