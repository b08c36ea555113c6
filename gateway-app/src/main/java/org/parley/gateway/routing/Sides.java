package org.parley.gateway.routing;

/**
 * The two sides the bridges send to, connected once at start-up ({@link Router#connect}), before either side
 * delivers events.
 */
final class Sides {

    private volatile XmppSide xmpp;
    private volatile SipSide sip;

    void connect(XmppSide xmppSide, SipSide sipSide) {
        this.xmpp = xmppSide;
        this.sip = sipSide;
    }

    XmppSide xmpp() {
        return xmpp;
    }

    SipSide sip() {
        return sip;
    }
}
