package org.parley.gateway.routing;

/**
 * What the router shares with other gateway members: who owns what, the latest presence, and copies of the
 * SIP watchers' dialogs. {@link #single()} is one gateway on its own.
 */
public record Clustering(Ownership ownership, PresenceBook presence, WatcherDialogCopies watcherDialogs) {

    public static Clustering single() {
        return new Clustering(Ownership.SOLE, PresenceBook.inMemory(), WatcherDialogCopies.NONE);
    }
}
