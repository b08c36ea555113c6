package org.parley.sip.im;

/** What an IM request toward Lync is waiting for: its final response goes to the code that handles its kind. */
sealed interface PendingImRequest {

    /** An INVITE opening a session, with the messages queued behind it. */
    record Invite(SessionStart start) implements PendingImRequest {
    }

    /** A MESSAGE in an open session, whose sender waits for the answer. */
    record InSessionMessage(String callId, QueuedMessage queued) implements PendingImRequest {
    }

    /** An INFO KeyboardActivity: nobody waits for its answer. */
    record Typing(String callId) implements PendingImRequest {
    }

    /** A BYE ending a session (idle, or a forked leg that lost the race): nobody waits for its answer. */
    record Bye(String callId) implements PendingImRequest {
    }
}
