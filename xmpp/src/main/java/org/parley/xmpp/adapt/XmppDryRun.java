package org.parley.xmpp.adapt;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.dom4j.Element;
import org.parley.presence.MappingException;
import org.parley.presence.model.GatewayEvent;
import org.parley.xmpp.stream.StanzaReader;
import org.parley.xmpp.stream.StreamErrorException;
import org.parley.xmpp.stream.StreamEvent;
import org.parley.xmpp.stream.StreamLimits;
import org.xmpp.packet.Packet;

/**
 * The XMPP side of the admin dry run: one pasted stanza → what the inbound adapter makes of it
 * (with the same stream parser and its limits), and a model event → the stanza Parley would send.
 */
public final class XmppDryRun {

    private final XmppToModel inbound;
    private final ModelToXmpp outbound;

    public XmppDryRun(XmppToModel inbound, ModelToXmpp outbound) {
        this.inbound = inbound;
        this.outbound = outbound;
    }

    /** @throws MappingException MALFORMED_BODY for XML the stream parser refuses, or a stanza that is not message / presence */
    public InboundResult read(String stanza) throws MappingException {
        StanzaReader reader = new StanzaReader(StreamLimits.DEFAULT, Set.of("jabber:server"));
        String doc = "<stream:stream xmlns='jabber:server' xmlns:stream='" + StanzaReader.STREAMS_NS + "' version='1.0'>" + stanza.strip();
        List<StreamEvent> events;
        try {
            byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
            events = reader.feed(bytes, 0, bytes.length);
        } catch (StreamErrorException e) {
            throw new MappingException(MappingException.Reason.MALFORMED_BODY, "the stream parser refuses it: "
                    + e.condition().xmppName() + " (" + e.getMessage() + ")");
        }
        for (StreamEvent e : events) {
            if (e instanceof StreamEvent.Stanza s) {
                Element el = s.element();
                Packet p = "iq".equals(el.getName()) ? null : StanzaPackets.of(el);
                if (p == null) {
                    throw new MappingException(MappingException.Reason.UNSUPPORTED_BODY, "<" + el.getName()
                            + "> is answered by Parley itself, not translated (message and presence are)");
                }
                return inbound.translate(p);
            }
        }
        throw new MappingException(MappingException.Reason.MALFORMED_BODY, "no complete stanza in the input");
    }

    public String render(GatewayEvent event) {
        return outbound.render(event);
    }
}
