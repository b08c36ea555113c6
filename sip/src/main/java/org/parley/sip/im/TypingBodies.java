package org.parley.sip.im;

import org.parley.presence.MappingException;
import org.parley.presence.model.ChatState;
import org.parley.presence.xml.SafeXmlParser;
import org.parley.presence.xml.XmlElement;

/**
 * Typing notifications: Lync's INFO {@code application/xml}
 * {@code <KeyboardActivity><status status="type|idle"/></KeyboardActivity>} and RFC 3994
 * {@code application/im-iscomposing+xml} ({@code <state>active|idle</state>}).
 */
public final class TypingBodies {

    public static final String ISCOMPOSING_NS = "urn:ietf:params:xml:ns:im-iscomposing";

    private final SafeXmlParser xml;

    public TypingBodies(SafeXmlParser xml) {
        this.xml = xml;
    }

    /** The chat state a KeyboardActivity or isComposing body means. */
    public ChatState read(String body) throws MappingException {
        XmlElement root = xml.parse(body);
        if (root.name().equals("KeyboardActivity")) {
            XmlElement status = root.children().stream().filter(c -> c.name().equals("status")).findFirst().orElse(null);
            String value = status == null ? null : status.attribute("status");
            return "type".equals(value) ? ChatState.COMPOSING : ChatState.PAUSED;
        }
        if (root.is(ISCOMPOSING_NS, "isComposing")) {
            return "active".equals(root.childText(ISCOMPOSING_NS, "state")) ? ChatState.COMPOSING : ChatState.PAUSED;
        }
        throw new MappingException(MappingException.Reason.UNSUPPORTED_BODY, "not a typing notification: <" + root.name() + ">");
    }

    /** RFC 3994 §3: {@code active} while composing, {@code idle} otherwise; refresh as the RFC suggests. */
    public static String isComposing(ChatState state) {
        boolean active = state == ChatState.COMPOSING;
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><isComposing xmlns=\"" + ISCOMPOSING_NS + "\"><state>" + (active ? "active" : "idle")
                + "</state><contenttype>text/plain</contenttype>" + (active ? "<refresh>90</refresh>" : "") + "</isComposing>";
    }

    /** The KeyboardActivity body Lync expects for a chat state. */
    public static String keyboardActivity(ChatState state) {
        return "<?xml version=\"1.0\"?><KeyboardActivity><status status=\"" + (state == ChatState.COMPOSING ? "type" : "idle")
                + "\" /></KeyboardActivity>";
    }
}
