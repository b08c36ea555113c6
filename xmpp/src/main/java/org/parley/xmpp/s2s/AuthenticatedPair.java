package org.parley.xmpp.s2s;

/**
 * A (partner domain → Parley domain) pair authenticated on an inbound stream.
 *
 * @param method    {@code SASL EXTERNAL} or {@code dialback}
 * @param encrypted whether the stream is TLS-protected (a TLS-optional legacy partner may be plain)
 */
public record AuthenticatedPair(String partnerDomain, String localDomain, String method, boolean encrypted) {
}
