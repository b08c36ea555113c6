package org.parley.xmpp.s2s;

import java.util.Locale;
import org.parley.xmpp.stream.StreamErrorCondition;
import org.parley.xmpp.stream.StreamErrorException;
import org.parley.xmpp.stream.StreamEvent;

/**
 * The stream headers of one inbound stream — the partner's (a new one after every restart) and
 * Parley's answers — and what they establish: which of Parley's domains is addressed, which
 * partner claims the stream and under which {@link PartnerRules}, whether it is a pre-RFC 3920
 * (version-less, dialback-only) stream, and the id Parley handed out for the current stream.
 */
final class InboundHeaders {

    private final S2sListenerConfig config;
    private final PartnerPolicy policy;
    private String peerDomain;
    private String localDomain;
    private PartnerRules rules;
    private boolean legacy;
    private String streamId;
    /** Whether Parley answered the current stream's header: read by the thread that closes the listener. */
    private volatile boolean answered;

    InboundHeaders(S2sListenerConfig config, PartnerPolicy policy) {
        this.config = config;
        this.policy = policy;
    }

    /** Checks the partner's header and takes what it says; anything but a header where one is due is a stream error. */
    void accept(StreamEvent event) throws StreamErrorException {
        if (!(event instanceof StreamEvent.Opened opened)) {
            throw new StreamErrorException(StreamErrorCondition.NOT_WELL_FORMED, "expected a stream header");
        }
        String to = lower(opened.attributes().get("to"));
        String from = lower(opened.attributes().get("from"));
        boolean versionless = opened.attributes().get("version") == null;
        legacy = versionless; // before any refusal below: its header must not claim a version either
        if (to == null && versionless) {
            to = config.localDomains().iterator().next(); // old servers may omit 'to'; dialback names the domains
        }
        if (to == null || !config.localDomains().contains(to)) {
            throw new StreamErrorException(StreamErrorCondition.HOST_UNKNOWN, "this gateway does not serve '" + to + "'");
        }
        localDomain = to;
        if (from == null) {
            if (!versionless) {
                throw new StreamErrorException(StreamErrorCondition.INVALID_FROM, "a server stream must say who it is from");
            }
            // a legacy partner names itself in db:result; its rules are checked there
            rules = PartnerRules.LEGACY;
            return;
        }
        if (peerDomain != null && !peerDomain.equals(from)) {
            throw new StreamErrorException(StreamErrorCondition.INVALID_FROM, "the restarted stream changed its 'from'");
        }
        peerDomain = from;
        rules = policy.rulesFor(peerDomain).orElseThrow(() -> new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION,
                peerDomain + " is not an allowed federation partner of this gateway"));
    }

    /**
     * Our header for the current stream, with a new id (dialback keys are bound to it). Before
     * the partner's header named one of our domains — or named none we serve — it comes from
     * the first of them in name order, so the answer is the same every time.
     */
    String response() {
        String from = localDomain != null ? localDomain : config.localDomains().stream().sorted().findFirst().orElseThrow();
        ResponseHeader header = ResponseHeader.fresh(from, peerDomain, !legacy);
        answered = true;
        streamId = header.id();
        return header.toXml();
    }

    /** The id of Parley's current header (what a partner's dialback key on this stream is bound to). */
    String streamId() {
        return streamId;
    }

    /** The stream restarted (TLS, SASL): its new header is still to be answered. */
    void restarted() {
        answered = false;
    }

    /** Whether the current stream's header was answered: a stream error needs one before it (RFC 6120 §4.9.1.2). */
    boolean answered() {
        return answered;
    }

    /** The partner domain the stream claims; null before its header, or for a legacy stream without 'from'. */
    String peerDomain() {
        return peerDomain;
    }

    String localDomain() {
        return localDomain;
    }

    PartnerRules rules() {
        return rules;
    }

    boolean legacy() {
        return legacy;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
