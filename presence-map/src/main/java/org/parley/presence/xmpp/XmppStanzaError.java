package org.parley.presence.xmpp;

import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.ErrorType;
import org.parley.presence.xml.XmlElement;
import org.parley.presence.xml.XmlWriter;

/** RFC 6120 §8.3 {@code <error/>} child of a stanza: read and written. */
public final class XmppStanzaError {

    public static final String STANZAS_NS = "urn:ietf:params:xml:ns:xmpp-stanzas";

    /** What an {@code <error/>} element says. */
    public record Parsed(ErrorCondition condition, ErrorType type, String text) {
    }

    private XmppStanzaError() {
    }

    /** Reads the first {@code <error/>} child; unknown or missing conditions read as undefined-condition. */
    public static Parsed read(XmlElement stanza) {
        XmlElement error = null;
        for (XmlElement c : stanza.children()) {
            if (c.name().equals("error")) {
                error = c;
                break;
            }
        }
        if (error == null) {
            return new Parsed(ErrorCondition.UNDEFINED_CONDITION, ErrorType.CANCEL, null);
        }
        ErrorCondition condition = ErrorCondition.UNDEFINED_CONDITION;
        String text = null;
        for (XmlElement c : error.children()) {
            if (!c.namespace().equals(STANZAS_NS)) {
                continue;
            }
            if (c.name().equals("text")) {
                text = c.text();
            } else {
                condition = ErrorCondition.fromXmppName(c.name()).orElse(condition);
            }
        }
        ErrorType type = condition.defaultType();
        String typeAttr = error.attribute("type");
        if (typeAttr != null) {
            for (ErrorType t : ErrorType.values()) {
                if (t.xmppName().equals(typeAttr)) {
                    type = t;
                }
            }
        }
        return new Parsed(condition, type, text);
    }

    public static void write(ErrorCondition condition, ErrorType type, String text, XmlWriter out) {
        out.start("error").attribute("type", (type == null ? condition.defaultType() : type).xmppName());
        out.start(condition.xmppName()).attribute("xmlns", STANZAS_NS).end(condition.xmppName());
        if (text != null && !text.isEmpty()) {
            out.start("text").attribute("xmlns", STANZAS_NS).attribute("xml:lang", "en").text(text).end("text");
        }
        out.end("error");
    }
}
