package org.parley.xmpp.iq;

import java.util.List;
import java.util.Set;
import org.dom4j.Element;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError;

/**
 * The IQs Parley answers itself for the domains it serves: service discovery (XEP-0030) for the
 * domain and for users, ping (XEP-0199), software version (XEP-0092). Every other get or set is
 * answered {@code service-unavailable} (RFC 6120 §8.2.3: an IQ request is never left unanswered);
 * results and errors need no answer.
 */
public final class IqHandler {

    static final String DISCO_INFO = "http://jabber.org/protocol/disco#info";
    static final String PING = "urn:xmpp:ping";
    static final String VERSION = "jabber:iq:version";

    /** What Parley translates, advertised to every user address. */
    static final List<String> USER_FEATURES = List.of(DISCO_INFO, "http://jabber.org/protocol/chatstates", "urn:xmpp:receipts",
            "http://jabber.org/protocol/xhtml-im", "urn:parley:lync-state:0");

    private final Set<String> domains;
    private final String version;

    public IqHandler(Set<String> domains, String version) {
        this.domains = Set.copyOf(domains);
        this.version = version;
    }

    /** The answer to send, or {@code null} for results and errors. */
    public IQ answer(IQ request) {
        if (request.getType() == IQ.Type.result || request.getType() == IQ.Type.error) {
            return null;
        }
        JID to = request.getTo();
        Element child = request.getChildElement();
        String ns = child == null ? null : child.getNamespaceURI();
        boolean toDomain = to != null && to.getNode() == null && domains.contains(to.getDomain());
        boolean toUser = to != null && to.getNode() != null && domains.contains(to.getDomain());
        if (request.getType() == IQ.Type.get && DISCO_INFO.equals(ns) && (toDomain || toUser) && child.attributeValue("node") == null) {
            return discoInfo(request, toDomain);
        }
        if (request.getType() == IQ.Type.get && PING.equals(ns) && (toDomain || toUser)) {
            return IQ.createResultIQ(request);
        }
        if (request.getType() == IQ.Type.get && VERSION.equals(ns) && toDomain) {
            IQ result = IQ.createResultIQ(request);
            Element query = result.setChildElement("query", VERSION);
            query.addElement("name").setText("Parley");
            query.addElement("version").setText(version);
            return result;
        }
        return error(request, PacketError.Condition.service_unavailable);
    }

    private IQ discoInfo(IQ request, boolean domain) {
        IQ result = IQ.createResultIQ(request);
        Element query = result.setChildElement("query", DISCO_INFO);
        Element identity = query.addElement("identity");
        if (domain) {
            // XEP-0030 registry: a gateway to SIP/SIMPLE
            identity.addAttribute("category", "gateway").addAttribute("type", "sip").addAttribute("name", "Parley XMPP-SIP gateway");
        } else {
            identity.addAttribute("category", "account").addAttribute("type", "registered");
        }
        List<String> features = domain ? List.of(DISCO_INFO, PING, VERSION) : USER_FEATURES;
        for (String f : features) {
            query.addElement("feature").addAttribute("var", f);
        }
        if (!domain) {
            query.addElement("feature").addAttribute("var", PING);
        }
        return result;
    }

    private static IQ error(IQ request, PacketError.Condition condition) {
        IQ error = IQ.createResultIQ(request);
        if (request.getChildElement() != null) {
            error.setChildElement(request.getChildElement().createCopy());
        }
        error.setError(condition);
        return error;
    }
}
