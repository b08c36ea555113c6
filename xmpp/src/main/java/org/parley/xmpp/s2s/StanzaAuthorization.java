package org.parley.xmpp.s2s;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.dom4j.Element;
import org.parley.xmpp.stream.StreamErrorCondition;
import org.parley.xmpp.stream.StreamErrorException;

/**
 * The domain pairs authenticated on one inbound stream (by SASL EXTERNAL, or one by one by
 * dialback), and the check every stanza on it passes: its {@code from}/{@code to} domains must be
 * one of those pairs. A partner authenticated for one domain cannot speak for another on the same
 * stream.
 */
final class StanzaAuthorization {

    /** Added to by dialback verifications on their own threads, read by the stream and for health reports. */
    private final Set<AuthenticatedPair> pairs = ConcurrentHashMap.newKeySet();

    void add(AuthenticatedPair pair) {
        pairs.add(pair);
    }

    Set<AuthenticatedPair> pairs() {
        return Set.copyOf(pairs);
    }

    /**
     * Passes a stanza of an authenticated pair, else names the stream error that ends the stream:
     * {@code not-authorized} before anything is authenticated, {@code invalid-from} for a sender
     * domain not authenticated here, {@code improper-addressing} for a recipient domain that is not.
     */
    void check(Element stanza) throws StreamErrorException {
        String fromDomain = domainOf(stanza.attributeValue("from"));
        String toDomain = domainOf(stanza.attributeValue("to"));
        for (AuthenticatedPair p : pairs) {
            if (p.partnerDomain().equals(fromDomain) && p.localDomain().equals(toDomain)) {
                return;
            }
        }
        if (pairs.isEmpty()) {
            throw new StreamErrorException(StreamErrorCondition.NOT_AUTHORIZED, "<" + stanza.getName() + "> before the stream was authenticated");
        }
        boolean fromKnown = pairs.stream().anyMatch(p -> p.partnerDomain().equals(fromDomain));
        if (!fromKnown) {
            throw new StreamErrorException(StreamErrorCondition.INVALID_FROM,
                    "stanza from '" + stanza.attributeValue("from") + "' on a stream authenticated for " + pairs);
        }
        throw new StreamErrorException(StreamErrorCondition.IMPROPER_ADDRESSING,
                "stanza to '" + stanza.attributeValue("to") + "' on a stream authenticated for " + pairs);
    }

    /** The domainpart: the resource starts at the first '/', the localpart ends at the '@' before it. */
    static String domainOf(String jid) {
        if (jid == null) {
            return "";
        }
        int slash = jid.indexOf('/');
        String bare = slash >= 0 ? jid.substring(0, slash) : jid;
        int at = bare.indexOf('@');
        return (at >= 0 ? bare.substring(at + 1) : bare).toLowerCase(Locale.ROOT);
    }
}
