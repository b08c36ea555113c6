package org.parley.presence.model;

/**
 * RFC 6121 subscription vocabulary. {@code from} asks / answers {@code to}.
 */
public enum SubscriptionAction {
    /** XMPP subscribe / initial SIP SUBSCRIBE. */
    REQUEST,
    /** XMPP subscribed / 2xx to SUBSCRIBE with active state. */
    APPROVE,
    /** XMPP unsubscribed / NOTIFY terminated;reason=rejected. */
    DENY,
    /** XMPP unsubscribe / SUBSCRIBE Expires: 0. */
    CANCEL,
    /** XMPP probe / SIP fetch (SUBSCRIBE Expires: 0 as a poll is not used). */
    PROBE
}
