package org.parley.gateway.cluster;

import java.io.Serializable;

/**
 * One member's share of the work, for the cluster view.
 *
 * @param member              host:port of the member
 * @param xmppWatchesSip      XMPP→Lync subscriptions this member owns (it holds their SIP dialogs)
 * @param sipSubscriptions    SIP subscriptions held toward the front end
 * @param sipWatchers         SIP watchers' dialogs held here
 * @param imSessions          Lync IM sessions held here
 * @param translations        translations recorded since start
 * @param forwarded           XMPP events this member handed to their owner
 */
public record MemberReport(String member, boolean local, int xmppWatchesSip, int sipSubscriptions, int sipWatchers, int imSessions,
                           long translations, long forwarded) implements Serializable {

    MemberReport asSeenFrom(boolean isLocal) {
        return new MemberReport(member, isLocal, xmppWatchesSip, sipSubscriptions, sipWatchers, imSessions, translations, forwarded);
    }
}
