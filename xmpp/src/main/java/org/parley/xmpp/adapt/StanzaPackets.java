package org.parley.xmpp.adapt;

import org.dom4j.Attribute;
import org.dom4j.Element;
import org.parley.presence.MappingException;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;

/**
 * Tinder packets from parsed stanza elements. Tinder parses 'to' and 'from' when a packet is built
 * and throws {@link IllegalArgumentException} for a malformed address (an empty resource after '/',
 * an empty localpart…); that is the peer's error, not the gateway's, so it becomes a typed
 * {@link MappingException} here (found by fuzzing the translate endpoint).
 */
public final class StanzaPackets {

    private StanzaPackets() {
    }

    /** The packet for a message, presence or iq element; {@code null} for any other element. */
    public static Packet of(Element stanza) throws MappingException {
        try {
            return switch (stanza.getName()) {
                case "message" -> new Message(stanza, true);
                case "presence" -> new Presence(stanza, true);
                case "iq" -> new IQ(stanza, true);
                default -> null;
            };
        } catch (IllegalArgumentException e) {
            throw new MappingException(MappingException.Reason.MALFORMED_ADDRESS,
                    "malformed address in <" + stanza.getName() + ">: " + e.getMessage());
        }
    }

    /**
     * What an error about a malformed 'to' can be built from: the stanza with 'to' replaced by its
     * domain (the server the sender addressed), or {@code null} when 'from' is malformed too and
     * there is nobody to answer.
     */
    public static Packet answerable(Element stanza) {
        Element copy = stanza.createCopy();
        Attribute to = copy.attribute("to");
        if (to != null) {
            String domain = domainOf(to.getValue());
            copy.remove(to);
            if (domain != null) {
                copy.addAttribute("to", domain);
            }
        }
        try {
            Packet p = of(copy);
            return p != null && p.getFrom() != null ? p : null;
        } catch (MappingException stillMalformed) {
            return null;
        }
    }

    private static String domainOf(String jid) {
        int at = jid.indexOf('@');
        int slash = jid.indexOf('/', Math.max(at, 0));
        String domain = jid.substring(at + 1, slash < 0 ? jid.length() : slash);
        try {
            return new JID(null, domain, null).getDomain();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
