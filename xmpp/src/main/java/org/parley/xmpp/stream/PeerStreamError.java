package org.parley.xmpp.stream;

import org.dom4j.Element;

/** A {@code <stream:error/>} the peer sent (RFC 6120 §4.9): recognising one, and naming its condition. */
public final class PeerStreamError {

    private PeerStreamError() {
    }

    public static boolean is(Element element) {
        return "error".equals(element.getName()) && StanzaReader.STREAMS_NS.equals(element.getNamespaceURI());
    }

    /** The defined condition — the child that is not {@code <text/>} — or {@code fallback} when there is none. */
    public static String condition(Element streamError, String fallback) {
        for (Object o : streamError.elements()) {
            Element c = (Element) o;
            if (!"text".equals(c.getName())) {
                return c.getName();
            }
        }
        return fallback;
    }
}
