package org.parley.xmpp.adapt;

import java.util.function.Consumer;
import org.dom4j.Element;
import org.parley.presence.MappingException;
import org.parley.xmpp.XmppInbound;
import org.parley.xmpp.iq.IqHandler;
import org.xmpp.packet.IQ;
import org.xmpp.packet.Packet;
import org.xmpp.packet.PacketError;

/**
 * Hands one authenticated inbound stanza to the rest of Parley: messages and presence become
 * model events, IQs are answered, anything untranslatable is answered with its error — the same
 * for s2s and component streams. A bug in translation is logged, never kills the stream.
 */
public final class InboundDispatcher {

    private static final System.Logger LOG = System.getLogger(InboundDispatcher.class.getName());

    private final XmppToModel translator;
    private final IqHandler iqs;
    private final XmppInbound listener;

    public InboundDispatcher(XmppToModel translator, IqHandler iqs, XmppInbound listener) {
        this.translator = translator;
        this.iqs = iqs;
        this.listener = listener;
    }

    /** @param replies where error stanzas and IQ results go (back to the sender's domain) */
    public void dispatch(Element stanza, Consumer<Packet> replies) {
        try {
            switch (stanza.getName()) {
                case "message", "presence" -> {
                    Packet p = StanzaPackets.of(stanza);
                    InboundResult r = translator.translate(p);
                    if (r instanceof InboundResult.Event ev) {
                        listener.onEvent(ev.event(), stanza.asXML());
                    } else if (r instanceof InboundResult.Reply reply) {
                        replies.accept(reply.error());
                    }
                }
                case "iq" -> {
                    IQ answer = iqs.answer((IQ) StanzaPackets.of(stanza));
                    if (answer != null) {
                        replies.accept(answer);
                    }
                }
                default -> LOG.log(System.Logger.Level.DEBUG, "ignored <" + stanza.getName() + ">");
            }
        } catch (MappingException malformed) {
            // RFC 6120 §8.3.3.8 jid-malformed, to the sender when its own address is usable
            Packet answerable = StanzaPackets.answerable(stanza);
            if (answerable != null && !"error".equals(stanza.attributeValue("type"))) {
                replies.accept(((InboundResult.Reply) XmppToModel.refuse(answerable, PacketError.Condition.jid_malformed,
                        malformed.getMessage())).error());
            }
            LOG.log(System.Logger.Level.WARNING, "refused a <" + stanza.getName() + "> with " + malformed.getMessage()
                    + (answerable == null ? " (its 'from' is malformed too: nobody to answer)" : " (answered jid-malformed)"));
        } catch (RuntimeException bug) {
            LOG.log(System.Logger.Level.ERROR, "failed to handle a stanza from " + stanza.attributeValue("from"), bug);
        }
    }
}
