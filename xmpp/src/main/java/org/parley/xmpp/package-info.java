/**
 * Parley's XMPP side: server-to-server federation (RFC 6120, XEP-0220/0178/0368) and the
 * XEP-0114 component connection. Tinder packets are used inside this module only; what leaves
 * it are presence-map model events ({@code org.parley.presence.model}).
 */
package org.parley.xmpp;
