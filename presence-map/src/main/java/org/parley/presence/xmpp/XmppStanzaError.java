package org.parley.presence.xmpp;

import org.parley.presence.MappingException;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.ErrorType;
import org.parley.presence.xml.XmlReader;
import org.parley.presence.xml.XmlWriter;

/** RFC 6120 §8.3 {@code <error/>} child of a stanza: read and written. */
public final class XmppStanzaError {

    public static final String STANZAS_NS = "urn:ietf:params:xml:ns:xmpp-stanzas";

    /** What an {@code <error/>} element says. */
    public record Parsed(ErrorCondition condition, ErrorType type, String text) {
    }

    private XmppStanzaError() {
    }

    /** What a stanza without an {@code <error/>} child says: undefined-condition, cancel. */
    public static Parsed absent() {
        return new Parsed(ErrorCondition.UNDEFINED_CONDITION, ErrorType.CANCEL, null);
    }

    /**
     * Reads the {@code <error/>} element at the reader's START, to its END; unknown or missing
     * conditions read as undefined-condition (a later known condition wins over an earlier one).
     */
    public static Parsed read(XmlReader reader) throws MappingException {
        String typeAttr = reader.attribute("type");
        ErrorCondition condition = ErrorCondition.UNDEFINED_CONDITION;
        String text = null;
        int depth = reader.depth();
        while (reader.nextChild(depth)) {
            if (!reader.namespace().equals(STANZAS_NS)) {
                continue;
            }
            String name = reader.localName();
            if (name.equals("text")) {
                text = reader.elementText();
            } else {
                condition = ErrorCondition.fromXmppName(name).orElse(condition);
            }
        }
        ErrorType type = condition.defaultType();
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
        out.start(condition.xmppName()).fixedAttribute("xmlns", STANZAS_NS).end(condition.xmppName());
        if (text != null && !text.isEmpty()) {
            out.start("text").fixedAttribute("xmlns", STANZAS_NS).fixedAttribute("xml:lang", "en").text(text).end("text");
        }
        out.end("error");
    }
}
