package org.parley.xmpp.s2s;

/** Escaping for a value put into a single- or double-quoted XML attribute (often one the peer chose). */
final class XmlAttr {

    private XmlAttr() {
    }

    static String escape(String v) {
        return v == null ? "" : v.replace("&", "&amp;").replace("<", "&lt;").replace("'", "&apos;").replace("\"", "&quot;");
    }
}
