package org.parley.sip.im;

import java.util.ArrayList;
import java.util.List;
import org.parley.sip.config.HostPort;

/**
 * An INVITE under way for one pair of users, with the messages waiting for it. Every field changes under this
 * object's lock: senders queue from their threads while the stack's threads answer and fail over.
 */
final class SessionStart {

    final String pairKey;
    private final List<HostPort> plan;
    private int index;
    private String callId;
    private String localTag;
    private String conversationId;
    /** Set once the queue was handed on: later senders must start over. */
    private boolean done;
    private final List<QueuedMessage> queue = new ArrayList<>();

    SessionStart(String pairKey, List<HostPort> plan) {
        this.pairKey = pairKey;
        this.plan = List.copyOf(plan);
    }

    /** Queues {@code q} behind the INVITE; {@code false} when the INVITE has already finished. */
    synchronized boolean enqueue(QueuedMessage q) {
        if (done) {
            return false;
        }
        queue.add(q);
        return true;
    }

    /** The front end the INVITE goes to now, {@code null} once every one of the plan has failed. */
    synchronized HostPort target() {
        return index < plan.size() ? plan.get(index) : null;
    }

    /** The current front end failed: the next one is tried. Returns the one that failed. */
    synchronized HostPort failOver() {
        return plan.get(index++);
    }

    synchronized List<HostPort> plan() {
        return plan;
    }

    /** A new INVITE (a new dialog) for the current target. */
    synchronized void dialog(String newCallId, String newLocalTag, String newConversationId) {
        callId = newCallId;
        localTag = newLocalTag;
        conversationId = newConversationId;
    }

    synchronized String callId() {
        return callId;
    }

    synchronized String localTag() {
        return localTag;
    }

    synchronized String conversationId() {
        return conversationId;
    }

    /** The first message queued: the one whose users the session is for. */
    synchronized QueuedMessage first() {
        return queue.isEmpty() ? null : queue.get(0);
    }

    /** Ends the start: the waiting messages, in order; nothing can queue any more. */
    synchronized List<QueuedMessage> finish(Runnable whileLocked) {
        done = true;
        List<QueuedMessage> waiting = new ArrayList<>(queue);
        whileLocked.run();
        return waiting;
    }
}
