package org.parley.presence.model;

/**
 * The kind of XMPP stanza an error answers: RFC 6120 §8.3.1 — an error stanza is of the same kind as the stanza that
 * caused it (a refused {@code <presence type='subscribe'/>} is answered with {@code <presence type='error'/>}).
 */
public enum StanzaKind { MESSAGE, PRESENCE, IQ }
