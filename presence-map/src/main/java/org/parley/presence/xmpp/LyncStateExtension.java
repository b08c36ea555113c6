package org.parley.presence.xmpp;

import org.parley.presence.MappingException;
import org.parley.presence.model.LyncState;
import org.parley.presence.xml.XmlReader;
import org.parley.presence.xml.XmlWriter;

/**
 * Parley's own presence extension that carries Microsoft's exact state through XMPP:
 * {@code <lync-state xmlns='urn:parley:lync-state:0' availability='6500' activity='on-the-phone'/>}.
 * Peers that do not know it ignore it (RFC 6120 §8.4); a Parley-aware peer gets the exact
 * number back, so Lync → XMPP → Lync is lossless.
 */
public final class LyncStateExtension {

    public static final String NAMESPACE = "urn:parley:lync-state:0";
    public static final String ELEMENT = "lync-state";

    private LyncStateExtension() {
    }

    /** Reads the extension element at the reader's START; {@code null} when unusable (then the lossy table applies). */
    public static LyncState read(XmlReader reader) throws MappingException {
        String number = reader.attribute("availability");
        if (number == null || number.length() > 10) {
            return null;
        }
        try {
            int n = Integer.parseInt(number.strip());
            return n < 0 ? null : new LyncState(n, reader.attribute("activity"));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The start tag up to its variable attributes, one constant. */
    private static final String START_TAG = "<" + ELEMENT + " xmlns=\"" + NAMESPACE + "\"";

    public static void write(LyncState state, XmlWriter out) {
        out.startFixed(START_TAG)
                .attribute("availability", state.availability())
                .attribute("activity", state.activityToken())
                .end(ELEMENT);
    }
}
