package org.parley.xmpp;

/**
 * Something the XMPP side refused before it became a translation, for the trace: a stanza answered
 * with an error stanza by the adapter (forged or malformed address, nothing to translate), or a
 * stream closed with a stream error (malformed XML, too large, before authentication, policy).
 *
 * @param kind      {@code stanza}, {@code stream}, or {@code certificate} (SASL EXTERNAL withheld: the partner's
 *                  certificate does not authenticate it; {@code text} says why)
 * @param peer      the peer's domain as far as it is known (authenticated or claimed), else its IP address
 * @param from      the stanza's {@code from} (for a stream: the peer), may be null
 * @param to        the stanza's {@code to} (for a stream: Parley's domain), may be null
 * @param id        the stanza id, may be null
 * @param raw       the refused stanza as it arrived, null for a stream error
 * @param answer    the error stanza or {@code <stream:error/>} Parley sent
 * @param condition the RFC 6120 condition ({@code jid-malformed}, {@code not-well-formed}, …)
 * @param text      why, in words
 */
public record XmppRefusal(String kind, String peer, String from, String to, String id, String raw, String answer,
                          String condition, String text) {
}
