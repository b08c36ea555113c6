package org.parley.sip.transport;

import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 3261 §8.2.6.2: the Via of a response is the request's Via. JAIN-SIP RI's stream channel adds an {@code rport}
 * value to the top Via of every request it reads, which RFC 3581 §4 allows only when the request carried an empty
 * {@code rport}; Parley answers on the arrival connection whatever the Via says ({@link ArrivalConnection}), so the
 * value serves no purpose and is taken out again, from the request's own bytes. The {@code received} parameter stays:
 * §18.2.1 has the server transport add it.
 *
 * <p>Not fixed here, and documented in docs/security.md: JAIN-SIP writes the channel's transport into the top Via of
 * every message it encodes ({@code SIPMessage.encodeAsBytes}), so a request whose Via says UDP gets an answer whose
 * Via says TLS — on the connection it came from.
 */
final class UnaskedRport {

    /** The first value of the first Via line of a header block ({@code Via:} or compact {@code v:}). */
    private static final Pattern TOP_VIA = Pattern.compile("(?im)^(?:via|v)[ \\t]*:([^\\r\\n,]*)");
    private static final Pattern RPORT = Pattern.compile("(?i);[ \\t]*rport\\b");

    private UnaskedRport() {
    }

    static void remove(SIPRequest request) {
        Via top = request.getTopmostVia();
        if (top == null) {
            return;
        }
        String wire = StrictMessageParserFactory.wireOf(request);
        int blank = wire.indexOf("\r\n\r\n");
        Matcher m = TOP_VIA.matcher(blank < 0 ? wire : wire.substring(0, blank));
        if (!m.find()) {
            return;
        }
        if (!RPORT.matcher(m.group(1)).find()) {
            top.removeParameter("rport");
        }
    }
}
