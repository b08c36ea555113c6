package org.parley.sip.im;

import java.util.Locale;
import org.parley.sip.config.SipEndpointConfig;

/**
 * The SDP of a Lync IM session ([MS-SDP]): Parley's offer and answer are the same {@code m=message … sip null} line with
 * the message types it takes; an offer Parley accepts is one with a message media line.
 */
final class MessageSessionSdp {

    static final String CONTENT_TYPE = "application";
    static final String CONTENT_SUB_TYPE = "sdp";

    private MessageSessionSdp() {
    }

    /** Parley's offer (in its INVITE) and answer (in its 200): an IM session needs no media address of its own. */
    static String describe(SipEndpointConfig config) {
        String host = config.listenAddress();
        return "v=0\r\n"
                + "o=- 0 0 IN IP4 " + host + "\r\n"
                + "s=session\r\n"
                + "c=IN IP4 " + host + "\r\n"
                + "t=0 0\r\n"
                + "m=message " + config.listenPort() + " sip null\r\n"
                + "a=accept-types:" + MessageBodies.SDP_ACCEPT_TYPES + "\r\n";
    }

    /** An {@code m=message … sip} line (Lync) or an older client's {@code m=x-ms-message}. */
    static boolean offersMessageSession(String sdp) {
        for (String line : sdp.split("\r?\n")) {
            String l = line.strip().toLowerCase(Locale.ROOT);
            if (l.startsWith("m=message ") && (l.contains(" sip ") || l.endsWith(" sip"))) {
                return true;
            }
            if (l.startsWith("m=x-ms-message ")) {
                return true;
            }
        }
        return false;
    }
}
