package org.parley.sip.transport;

import gov.nist.core.net.NetworkLayer;
import java.util.Properties;
import java.util.function.Consumer;
import org.parley.sip.SipRefusal;
import javax.sip.PeerUnavailableException;
import javax.sip.SipStack;

/** Creates Parley's JAIN-SIP stacks without JAIN-SIP's static {@code SipFactory} cache. */
public final class SipStacks {

    private SipStacks() {
    }

    /** A stack with JAIN-SIP's own (lenient) parser: for test peers that must send and accept what Parley refuses. */
    public static SipStack create(Properties properties, NetworkLayer layer, Consumer<String> securityLog)
            throws PeerUnavailableException {
        return create(properties, layer, securityLog, null);
    }

    /**
     * @param securityLog receives one line per refused peer (no client certificate, ...)
     * @param refusals    receives the requests JAIN-SIP could not parse (dropped without an answer); non-null
     *                    switches on {@link StrictMessageParserFactory}
     */
    public static SipStack create(Properties properties, NetworkLayer layer, Consumer<String> securityLog,
            Consumer<SipRefusal> refusals) throws PeerUnavailableException {
        Properties p = new Properties();
        p.putAll(properties);
        p.setProperty("gov.nist.javax.sip.SIP_MESSAGE_VALVE", ArrivalConnectionValve.class.getName());
        if (refusals != null) {
            p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", StrictMessageParserFactory.class.getName());
        }
        return new ParleySipStack(p, layer, securityLog, refusals == null ? r -> { } : refusals);
    }
}
