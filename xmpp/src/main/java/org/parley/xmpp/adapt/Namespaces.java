package org.parley.xmpp.adapt;

/** Namespaces of the XMPP extensions Parley translates. */
final class Namespaces {

    static final String CHATSTATES = "http://jabber.org/protocol/chatstates";
    static final String RECEIPTS = "urn:xmpp:receipts";
    static final String XHTML_IM = "http://jabber.org/protocol/xhtml-im";
    static final String XHTML = "http://www.w3.org/1999/xhtml";
    static final String XML = "http://www.w3.org/XML/1998/namespace";

    private Namespaces() {
    }
}
