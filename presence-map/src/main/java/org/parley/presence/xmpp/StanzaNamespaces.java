package org.parley.presence.xmpp;

/** The namespaces a stanza may be in: s2s, c2s, a component link, or none (a stanza pasted without one). */
final class StanzaNamespaces {

    private static final String[] ALL = {"jabber:server", "jabber:client", "jabber:component:accept", ""};

    private StanzaNamespaces() {
    }

    static boolean isStanzaNamespace(String ns) {
        for (String s : ALL) {
            if (s.equals(ns)) {
                return true;
            }
        }
        return false;
    }
}
