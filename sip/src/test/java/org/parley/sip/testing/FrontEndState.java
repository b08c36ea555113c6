package org.parley.sip.testing;

import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.parley.sip.testing.LyncFrontEndSimulator.Received;

/**
 * What one {@link LyncFrontEndSimulator} remembers: the dialogs it is in, what it received, and how a test told it to
 * behave. One instance per simulator, shared by its parts ({@link FrontEndAnswers}, {@link LyncClients},
 * {@link LyncStyle}); nothing here is static.
 */
final class FrontEndState {

    /** Dialog data of a SUBSCRIBE the simulator accepted (it is the notifier). */
    record Dialog(String callId, String watcherUri, String watcherTag, String presentityUri, String localTag, String target, long[] cseq) {
    }

    /** A Lync watcher's subscription dialog with the gateway. */
    record Watch(String callId, String watcherUri, String fromTag, String presentityUri, String toTag, String target, long[] cseq) {
    }

    /** The requests the simulator received, for the tests' {@link LyncFrontEndSimulator#await}. */
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    /** Statuses of responses to BENOTIFYs the simulator sent: there must be none. */
    final BlockingQueue<Integer> benotifyResponses = new LinkedBlockingQueue<>();
    /** The SUBSCRIBEs from the gateway the simulator accepted, by Call-ID. */
    final Map<String, Dialog> accepted = new ConcurrentHashMap<>();
    /** Call-ID of the SUBSCRIBE from the gateway accepted last. */
    volatile String lastSubscribeCallId;
    /** The Lync watchers' own subscriptions to users behind the gateway, by Call-ID. */
    final Map<String, Watch> watches = new ConcurrentHashMap<>();
    /** The state a presentity's front end returns piggybacked in the 2xx to a SUBSCRIBE ([MS-SIP] §4.3), by user. */
    final Map<String, String> firstStates = new ConcurrentHashMap<>();
    /** IM session legs this front end is in, {@code Call-ID/its own tag}: in-dialog requests for others get 481. */
    final Set<String> liveSessions = ConcurrentHashMap.newKeySet();
    /** In-dialog requests that did not come through this front end as a real one requires. */
    final Queue<Received> misrouted = new ConcurrentLinkedQueue<>();
    /** Headers a test wants on the refusal of any MESSAGE, INVITE or SUBSCRIBE to a user, by user. */
    final Map<String, Map<String, String>> refusalHeaders = new ConcurrentHashMap<>();

    /** The gateway's last CSeq in each dialog the front end is in, by {@code Call-ID/its own tag} (RFC 3261 §12.2.2). */
    final Map<String, Long> gatewayCseqs = new ConcurrentHashMap<>();
    /** In-dialog requests refused because their CSeq did not rise: each a method and CSeq after the last one seen. */
    final Queue<String> outOfOrder = new ConcurrentLinkedQueue<>();

    /** What the simulator's strict parser refused before the simulator saw it. */
    final Queue<org.parley.sip.SipRefusal> unparsed = new ConcurrentLinkedQueue<>();

    volatile boolean refuseUnknownPresentities;
    volatile boolean recordRoute = true;
    /** Call-IDs of the dialogs this front end record-routed: whether it did is decided when a dialog starts, not later. */
    final Set<String> recordRouted = ConcurrentHashMap.newKeySet();
}
