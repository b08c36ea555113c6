package org.parley.sip.transport;

import java.util.List;

/**
 * The headers the strict checks care about, by their long and compact names (RFC 3261 §7.3.3).
 * The rest of a header block is JAIN-SIP's to judge.
 */
enum HeaderKind {
    TO("To", true),
    FROM("From", true),
    CALL_ID("Call-ID", true),
    CSEQ("CSeq", true),
    MAX_FORWARDS("Max-Forwards", true),
    CONTENT_LENGTH("Content-Length", true),
    CONTENT_TYPE("Content-Type", true),
    CONTACT("Contact", false),
    REPLY_TO("Reply-To", false),
    VIA("Via", false);

    /** Every kind, in declaration order; a list so that the lookup neither copies an array nor allocates an iterator. */
    static final List<HeaderKind> ALL = List.of(values());

    /** Every request carries these (RFC 3261 §8.1.1), in the order a reason names the missing ones. */
    static final List<HeaderKind> MANDATORY = List.of(TO, FROM, CALL_ID, CSEQ, VIA);

    /** The name as RFC 3261 spells it; a reason quotes it. */
    final String displayName;

    /** The header takes one value, so it may appear only once (RFC 3261 §7.3, RFC 4475 §3.3.8, §3.3.9). */
    final boolean once;

    HeaderKind(String displayName, boolean once) {
        this.displayName = displayName;
        this.once = once;
    }

    /** To, From, Contact and Reply-To hold name-addr / addr-spec values (RFC 3261 §20.10). */
    boolean holdsAddresses() {
        return this == TO || this == FROM || this == CONTACT || this == REPLY_TO;
    }

    /**
     * The kind of the header named s[start, end), or null; case-insensitive and without allocation, since it runs
     * for every header line of every message.
     */
    static HeaderKind of(String s, int start, int end) {
        int len = end - start;
        if (len == 1) {
            return switch (Character.toLowerCase(s.charAt(start))) {
                case 't' -> TO;
                case 'f' -> FROM;
                case 'i' -> CALL_ID;
                case 'l' -> CONTENT_LENGTH;
                case 'c' -> CONTENT_TYPE;
                case 'm' -> CONTACT;
                case 'v' -> VIA;
                default -> null;
            };
        }
        for (int k = 0; k < ALL.size(); k++) {
            HeaderKind kind = ALL.get(k);
            if (kind.displayName.length() == len && s.regionMatches(true, start, kind.displayName, 0, len)) {
                return kind;
            }
        }
        return null;
    }
}
