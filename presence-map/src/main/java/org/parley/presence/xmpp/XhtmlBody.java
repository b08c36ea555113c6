package org.parley.presence.xmpp;

import java.util.ArrayDeque;
import java.util.Deque;
import org.parley.presence.MappingException;
import org.parley.presence.xml.SafeXmlParser;
import org.parley.presence.xml.XmlReader;
import org.parley.presence.xml.XmlWriter;

/**
 * The content of an XEP-0071 XHTML-IM {@code <body xmlns='http://www.w3.org/1999/xhtml'/>}: read into markup text
 * (XHTML elements by local name, attributes without a namespace, text escaped; elements of any other namespace are
 * left out) and written back the same way, so that no input reaches the output without going through the safe reader
 * and the escaping writer.
 */
public final class XhtmlBody {

    public static final String XHTML_IM = "http://jabber.org/protocol/xhtml-im";
    public static final String XHTML = "http://www.w3.org/1999/xhtml";

    private XhtmlBody() {
    }

    /** From the reader at a body's START, reads to its END and returns its content as markup. */
    public static String read(XmlReader reader) throws MappingException {
        XmlWriter out = new XmlWriter();
        copyContent(reader, out);
        return out.toString();
    }

    /**
     * Writes {@code <html xmlns=XHTML-IM><body xmlns=XHTML>markup</body></html>}, re-reading {@code markup} with the
     * safe reader; {@code false} (nothing written) when it is not well-formed XML — Lync's HTML often is not, and then
     * only the plain text goes.
     */
    public static boolean write(SafeXmlParser parser, String markup, XmlWriter out) {
        String copied;
        try {
            copied = parser.read("<body xmlns=\"" + XHTML + "\">" + markup + "</body>", reader -> {
                reader.next();
                return read(reader);
            });
        } catch (MappingException notWellFormed) {
            return false;
        }
        out.start("html").fixedAttribute("xmlns", XHTML_IM).start("body").fixedAttribute("xmlns", XHTML);
        // the copy is the escaping writer's own output, not input: appended as it is
        out.fixedMarkup(copied);
        out.end("body").end("html");
        return true;
    }

    private static void copyContent(XmlReader reader, XmlWriter out) throws MappingException {
        int depth = reader.depth();
        Deque<String> open = new ArrayDeque<>();
        while (true) {
            XmlReader.Event e = reader.next();
            if (e == XmlReader.Event.END && reader.depth() == depth) {
                return;
            }
            switch (e) {
                case START -> {
                    if (!XHTML.equals(reader.namespace())) {
                        reader.skipElement(); // another vocabulary inside the XHTML body: not XHTML, not passed on
                        continue;
                    }
                    String name = reader.localName();
                    open.push(name);
                    out.start(name);
                    for (int i = 0; i < reader.attributeCount(); i++) {
                        if (reader.attributeNamespace(i) == null || reader.attributeNamespace(i).isEmpty()) {
                            out.attribute(reader.attributeLocalName(i), reader.attributeValue(i));
                        }
                    }
                }
                case END -> out.end(open.pop());
                case TEXT -> out.text(reader.text());
                default -> {
                    return;
                }
            }
        }
    }
}
