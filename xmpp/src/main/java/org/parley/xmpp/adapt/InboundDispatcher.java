package org.parley.xmpp.adapt;

import java.util.function.Consumer;
import org.dom4j.Element;
import org.parley.presence.MappingException;
import org.parley.xmpp.XmppInbound;
import org.parley.xmpp.XmppRefusal;
import org.parley.xmpp.iq.IqHandler;
import org.parley.xmpp.stream.StreamErrorException;
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

    /** As {@link #dispatch(Element, String, Consumer)} for a stanza whose text on the wire is not known. */
    public void dispatch(Element stanza, Consumer<Packet> replies) {
        dispatch(stanza, null, replies);
    }

    /**
     * @param text    the stanza as its bytes came (for the trace); {@code null}: as re-serialized
     * @param replies where error stanzas and IQ results go (back to the sender's domain)
     */
    public void dispatch(Element stanza, String text, Consumer<Packet> replies) {
        String wire = text != null ? text : stanza.asXML();
        try {
            switch (stanza.getName()) {
                case "message", "presence" -> {
                    Packet p = StanzaPackets.of(stanza);
                    InboundResult r = translator.translate(p, text);
                    if (r instanceof InboundResult.Event ev) {
                        listener.onEvent(ev.event(), wire);
                    } else if (r instanceof InboundResult.Reply reply) {
                        replies.accept(reply.error());
                        refused(stanza, wire, reply.error(), reply.reason());
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
            Packet error = null;
            if (answerable != null && !"error".equals(stanza.attributeValue("type"))) {
                error = ((InboundResult.Reply) XmppToModel.refuse(answerable, PacketError.Condition.jid_malformed,
                        malformed.getMessage())).error();
                replies.accept(error);
            }
            listener.onRefused(new XmppRefusal("stanza", null, stanza.attributeValue("from"), stanza.attributeValue("to"),
                    stanza.attributeValue("id"), wire, error == null ? null : error.toXML(), "jid-malformed",
                    malformed.getMessage() + (error == null ? " (its 'from' is malformed too: nobody to answer)" : "")));
            LOG.log(System.Logger.Level.WARNING, "refused a <" + stanza.getName() + "> with " + malformed.getMessage()
                    + (answerable == null ? " (its 'from' is malformed too: nobody to answer)" : " (answered jid-malformed)"));
        } catch (RuntimeException bug) {
            LOG.log(System.Logger.Level.ERROR, "failed to handle a stanza from " + stanza.attributeValue("from"), bug);
        }
    }

    /** A stream this side closed with a stream error: told to the listener for the trace. */
    public void streamRefused(String peer, String localDomain, StreamErrorException e) {
        try {
            listener.onRefused(new XmppRefusal("stream", peer, peer, localDomain, null, null, e.toXml(), e.condition().xmppName(),
                    e.getMessage()));
        } catch (RuntimeException bug) {
            LOG.log(System.Logger.Level.ERROR, "failed to record a stream error", bug);
        }
    }

    /**
     * A partner's certificate did not authenticate it, so SASL EXTERNAL was not offered (the stream may still go on by
     * dialback): for the trace, with the reason (expired, unknown CA, no TLS purpose, wrong name …).
     */
    public void certificateRefused(String peer, String localDomain, String reason) {
        try {
            listener.onRefused(new XmppRefusal("certificate", peer, peer, localDomain, null, null, "no SASL EXTERNAL offered",
                    "not-authorized", reason));
        } catch (RuntimeException bug) {
            LOG.log(System.Logger.Level.ERROR, "failed to record a refused certificate", bug);
        }
    }

    private void refused(Element stanza, String wire, Packet error, String reason) {
        PacketError pe = error.getError();
        String condition = pe == null ? "undefined-condition" : pe.getCondition().toXMPP();
        listener.onRefused(new XmppRefusal("stanza", null, stanza.attributeValue("from"), stanza.attributeValue("to"),
                stanza.attributeValue("id"), wire, error.toXML(), condition, reason));
    }
}
