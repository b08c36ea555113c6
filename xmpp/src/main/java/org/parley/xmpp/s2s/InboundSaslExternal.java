package org.parley.xmpp.s2s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.dom4j.Element;
import org.parley.xmpp.stream.StreamErrorCondition;
import org.parley.xmpp.stream.StreamErrorException;
import org.parley.xmpp.stream.XmppStreamIo;

/**
 * The SASL EXTERNAL step of an inbound stream (XEP-0178): the partner's {@code <auth/>} is
 * answered with {@code <success/>} when its certificate authenticates the stream's domain and the
 * authorization identity (if any) is that domain. Any other mechanism, or a certificate that does
 * not authenticate it, gets {@code <failure/>} and ends the stream with {@code not-authorized}.
 */
final class InboundSaslExternal {

    static final String SASL_NS = "urn:ietf:params:xml:ns:xmpp-sasl";

    private InboundSaslExternal() {
    }

    static boolean isAuth(Element e) {
        return "auth".equals(e.getName()) && SASL_NS.equals(e.getNamespaceURI());
    }

    /**
     * Answers {@code auth}; returns once {@code <success/>} is sent (the stream restarts next, RFC 6120 §6.4.6).
     *
     * @param certificateProblem why the partner's certificate does not authenticate {@code peerDomain}; null: it does
     */
    static void authenticate(XmppStreamIo io, Element auth, String peerDomain, String certificateProblem)
            throws IOException, StreamErrorException {
        if (certificateProblem != null || !"EXTERNAL".equals(auth.attributeValue("mechanism"))) {
            io.write("<failure xmlns='" + SASL_NS + "'><not-authorized/></failure>");
            throw new StreamErrorException(StreamErrorCondition.NOT_AUTHORIZED, "SASL " + auth.attributeValue("mechanism")
                    + " refused: only EXTERNAL with a certificate Parley trusts for " + peerDomain + " is accepted"
                    + (certificateProblem == null ? "" : " (" + certificateProblem + ")"));
        }
        String authzid = auth.getTextTrim();
        String requested = authzid.isEmpty() || authzid.equals("=") ? peerDomain
                : new String(Base64.getDecoder().decode(authzid), StandardCharsets.UTF_8);
        if (!requested.equalsIgnoreCase(peerDomain)) {
            io.write("<failure xmlns='" + SASL_NS + "'><invalid-authzid/></failure>");
            throw new StreamErrorException(StreamErrorCondition.NOT_AUTHORIZED,
                    "SASL EXTERNAL authzid " + requested + " is not the stream's domain " + peerDomain);
        }
        io.write("<success xmlns='" + SASL_NS + "'/>");
    }
}
