package org.parley.sip.subscription;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.EventHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.parley.presence.error.ErrorMapping;
import org.parley.presence.model.Address;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.GatewayEvent;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.model.SubscriptionAction;
import org.parley.presence.model.SubscriptionEvent;
import org.parley.sip.SipContext;
import org.parley.sip.SipInbound;
import org.parley.sip.subscription.HeldDialogs.Held;

/**
 * The notifier side of RFC 6665 / 3856: SIP watchers (Lync users) subscribe to users behind the
 * gateway. Parley answers 423 below the minimum expiry, 489 for other event packages, 406 when
 * no body type fits, negotiates PIDF or msrtc categories from Accept, and sends the initial NOTIFY
 * at once (BENOTIFY when the watcher offered {@code ms-benotify}).
 *
 * <p>Authorization is per (presentity, watcher), as in XMPP: a dialog is {@code pending} — NOTIFYs
 * without state — until the user behind the gateway approves that watcher ({@link #authorize}),
 * then {@code active} with the state the user's side sent to that watcher ({@link #publish}, one per
 * change, coalesced per pair); a refusal ends that watcher's dialogs with
 * {@code terminated;reason=rejected} ({@link #reject}). Nothing one watcher may see is ever
 * written into another watcher's dialog. Dialogs also end on unsubscribe, expiry and shutdown.
 */
public final class Notifier implements NotifierMessages.Answers {

    private static final System.Logger LOG = System.getLogger(Notifier.class.getName());
    /** How far an adopted dialog's CSeq jumps: far more NOTIFYs than one refresh interval can send (one per coalescing interval). */
    public static final long ADOPTED_CSEQ_GAP = 100_000;
    /**
     * How long a shutdown waits after its last NOTIFYs before the stack may close: a connection closed right after the
     * bytes were written lost them at the watcher (its reader stopped at the close before handing the buffered request
     * on — seen with the simulator's JAIN-SIP), and a watcher never told "deactivated" keeps a dead dialog for an hour.
     */
    static final Duration SHUTDOWN_GRACE = Duration.ofMillis(750);

    private final SipContext sip;
    private final EventPackage pkg;
    private final SipInbound inbound;
    private final org.parley.sip.SipWireTap tap;
    private final WatcherDialogReplication replication;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final Duration minExpires;
    private final Duration maxExpires;
    private final Duration coalesce;
    private final NotifierMessages out;

    private final WatchedPairs pairs = new WatchedPairs();
    private final HeldDialogs dialogs;

    public Notifier(SipContext sip, EventPackage pkg, org.parley.sip.SipSides sides, ScheduledExecutorService timers, Clock clock,
                    Duration minExpires, Duration maxExpires, Duration coalesce, org.parley.sip.NonInviteTransactions transactions) {
        this.sip = sip;
        this.pkg = pkg;
        this.inbound = sides.events();
        this.tap = sides.tap();
        this.replication = sides.replication();
        this.timers = timers;
        this.clock = clock;
        this.minExpires = minExpires;
        this.maxExpires = maxExpires;
        this.coalesce = coalesce;
        this.out = new NotifierMessages(sip, pkg, minExpires, tap, transactions, this);
        this.dialogs = new HeldDialogs(pairs, sides.replication());
    }

    public int size() {
        return dialogs.size();
    }

    // ------------------------------------------------------------------ SUBSCRIBE

    public void onSubscribe(RequestEvent event, ServerTransaction st) {
        Request request = event.getRequest();
        EventHeader eventHeader = (EventHeader) request.getHeader(EventHeader.NAME);
        if (eventHeader == null || !pkg.event().equalsIgnoreCase(eventHeader.getEventType())) {
            out.respond(st, request, Response.BAD_EVENT, null, 0);
            return;
        }
        ExpiresHeader eh = (ExpiresHeader) request.getHeader(ExpiresHeader.NAME);
        long seconds = eh == null ? 3600 : eh.getExpires();
        if (seconds > 0 && seconds < minExpires.toSeconds()) {
            out.respond(st, request, Response.INTERVAL_TOO_BRIEF, null, 0);
            return;
        }
        seconds = Math.min(seconds, maxExpires.toSeconds());
        String callId = ((javax.sip.header.CallIdHeader) request.getHeader("Call-ID")).getCallId();
        String toTag = ((ToHeader) request.getHeader(ToHeader.NAME)).getTag();
        if (toTag != null) {
            inDialog(st, request, callId, seconds);
        } else {
            initial(st, request, callId, seconds);
        }
    }

    private void initial(ServerTransaction st, Request request, String callId, long seconds) {
        SubscriptionDialog dialog = NewWatcherDialogs.read(sip, pkg, out, st, request, callId, clock.instant().plusSeconds(seconds));
        if (dialog == null) {
            return; // refused, and answered
        }
        boolean benotify = NotifierMessages.supports(request, "ms-benotify");
        Address watcher = dialog.watcher();
        Address presentity = dialog.presentity();
        long granted = seconds;
        WatchedPairs.Pair pair = WatchedPairs.Pair.of(presentity, watcher);
        long asked = pairs.sequence();
        pairs.answering(pair);
        java.util.concurrent.CompletionStage<GatewayEvent> asking;
        try {
            // RFC 6665 §4.4.3: Expires: 0 on an initial SUBSCRIBE is a fetch — a look, not a request to watch
            asking = inbound.onSubscribe(new SubscriptionEvent(watcher, presentity, granted == 0 ? SubscriptionAction.PROBE : SubscriptionAction.REQUEST),
                    org.parley.sip.transport.StrictMessageParserFactory.wireOf(request));
        } catch (RuntimeException bug) {
            pairs.answered(pair);
            LOG.log(System.Logger.Level.ERROR, "answering a SUBSCRIBE failed", bug);
            out.respond(st, request, Response.SERVER_INTERNAL_ERROR, null, 0);
            return;
        }
        asking.toCompletableFuture()
                .orTimeout(sip.config().requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((answer, failure) -> {
                    try {
                        synchronized (pairs.lock(pair)) {
                            answered(st, request, dialog, benotify, pair, asked, granted, answer, failure);
                        }
                    } finally {
                        pairs.answered(pair);
                        if (pairs.dialogs(pair).isEmpty()) {
                            pairs.forget(pair); // refused, a fetch, or never held: what was kept for the answer goes
                        }
                    }
                });
    }

    /** Carries out the answer to an initial SUBSCRIBE: refusal, or a dialog pending or active, and its first NOTIFY. */
    private void answered(ServerTransaction st, Request request, SubscriptionDialog dialog, boolean benotify, WatchedPairs.Pair pair,
                          long asked, long granted, GatewayEvent answer, Throwable failure) {
        String callId = dialog.callId();
        Address presentity = dialog.presentity();
        if (failure != null) {
            out.respond(st, request, Response.TEMPORARILY_UNAVAILABLE, null, 0);
            return;
        }
        if (answer instanceof GatewayError err) {
            out.respond(st, request, err.sipStatus() != 0 ? err.sipStatus() : ErrorMapping.toSipStatus(err.condition()), null, 0);
            return;
        }
        if (pairs.refusedSince(pair, asked)) {
            // refused while the answer was on its way (under the pair's lock, as reject is): whatever it says is stale
            out.respond(st, request, Response.OK, dialog.localTag(), granted);
            out.notify(dialog, benotify, null, "terminated;reason=rejected", 1);
            return;
        }
        if (answer instanceof PresenceUpdate p) {
            pairs.authorizeUnlessNewer(pair, p.withFrom(presentity), asked);
        } else {
            // pending: an approval left here from before the question (a fetch, another member's late message) does
            // not count; one that arrived while the answer was on its way does
            pairs.pendingUnlessApprovedSince(pair, asked);
        }
        if (granted == 0) {
            out.respond(st, request, Response.OK, dialog.localTag(), granted);
            out.notify(dialog, benotify, pairs.watch(pair).allowedState(), "terminated;reason=timeout", 1);
            return;
        }
        // the dialog is held before the 2xx goes: a refresh or an unsubscribe right behind it must find it
        ScheduledFuture<?> expiry = timers.schedule(() -> expire(callId), granted, TimeUnit.SECONDS);
        dialogs.add(new Held(dialog, benotify, expiry));
        out.respond(st, request, Response.OK, dialog.localTag(), granted);
        sendNotify(callId, null); // RFC 6665 §4.2.1: the first NOTIFY at once, pending or the state
        Held held = dialogs.get(callId);
        if (held != null) {
            replication.onWatcherDialog(held.dialog(), benotify);
        }
    }

    private void inDialog(ServerTransaction st, Request request, String callId, long seconds) {
        Held held = dialogs.get(callId);
        if (held == null) {
            out.respond(st, request, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, null, 0);
            return;
        }
        out.respond(st, request, Response.OK, held.dialog().localTag(), seconds);
        held.expiry().cancel(false);
        if (seconds == 0) {
            Held removed = dialogs.remove(callId);
            if (removed != null) {
                out.notify(removed.dialog(), removed.benotify(), null, "terminated;reason=timeout", removed.dialog().localCseq() + 1);
                watcherLeft(removed);
            }
            return;
        }
        ScheduledFuture<?> expiry = timers.schedule(() -> expire(callId), seconds, TimeUnit.SECONDS);
        long granted = seconds;
        // only the expiry changes: a NOTIFY sent meanwhile keeps its CSeq
        Held refreshed = dialogs.refreshed(callId, clock.instant().plusSeconds(granted), expiry);
        if (refreshed == null) {
            expiry.cancel(false);
            return;
        }
        sendNotify(callId, null); // RFC 6665 §4.2.1.4: a refresh is followed by a NOTIFY
        Held now = dialogs.get(callId);
        if (now != null) {
            replication.onWatcherDialog(now.dialog(), now.benotify());
        }
    }

    // ------------------------------------------------------------------ state changes

    /**
     * New presence of a user behind the gateway ({@code state.from()}) for one watcher ({@code state.to()}, both SIP
     * addresses): presence is per contact (RFC 6121 §4.4), so it reaches that watcher's dialogs and no other's, and only
     * once the user approved the watcher. At most one NOTIFY per pair per coalescing interval (RFC 3856 §6.5: the latest
     * state wins, intermediate ones are skipped).
     *
     * @throws IllegalArgumentException for presence without a watcher: there is no broadcast
     */
    public void publish(PresenceUpdate state) {
        if (state.to() == null) {
            throw new IllegalArgumentException("presence of " + state.from() + " without a watcher: presence is per watcher");
        }
        WatchedPairs.Pair pair = WatchedPairs.Pair.of(state.from(), state.to());
        if (!pairs.wanted(pair)) {
            return; // no dialog of this watcher here: its next SUBSCRIBE is answered with the state of the moment
        }
        WatchedPairs.Watch w = pairs.state(pair, state.withFrom(state.from().bare()));
        if (!w.authorized()) {
            return; // kept for the approval; a pending watcher learns nothing
        }
        Instant now = clock.instant();
        if (w.lastNotified() == null || !now.isBefore(w.lastNotified().plus(coalesce))) {
            notifyPair(pair);
        } else {
            long delay = Duration.between(now, w.lastNotified().plus(coalesce)).toMillis();
            pairs.defer(pair, () -> timers.schedule(() -> {
                pairs.deferredRan(pair);
                notifyPair(pair);
            }, delay, TimeUnit.MILLISECONDS));
        }
    }

    /**
     * The user approved the watcher: its dialogs turn {@code active} and get {@code current} (or the state the user's
     * side already sent this watcher), at once — outside the rate limit, one NOTIFY per approval.
     */
    public void authorize(Address presentity, Address watcher, PresenceUpdate current) {
        WatchedPairs.Pair pair = WatchedPairs.Pair.of(presentity, watcher);
        synchronized (pairs.lock(pair)) {
            if (!pairs.wanted(pair)) {
                return; // no dialog of this watcher here, none being answered: its next SUBSCRIBE asks the store
            }
            pairs.authorize(pair, current == null ? null : current.withFrom(presentity.bare()).withTo(null));
            notifyPair(pair);
        }
    }

    /**
     * The user refused or revoked the watcher (RFC 6665 §4.2.2): one NOTIFY {@code terminated;reason=rejected} without
     * state in each of its dialogs, which end; nothing more reaches it, and no other watcher is touched.
     *
     * @return how many dialogs ended
     */
    public int reject(Address presentity, Address watcher) {
        WatchedPairs.Pair pair = WatchedPairs.Pair.of(presentity, watcher);
        synchronized (pairs.lock(pair)) {
            pairs.refused(pair);
            int n = 0;
            for (String callId : pairs.dialogs(pair)) {
                Held held = dialogs.remove(callId);
                if (held != null) {
                    held.expiry().cancel(false);
                    out.notify(held.dialog(), held.benotify(), null, "terminated;reason=rejected", held.dialog().localCseq() + 1);
                    n++;
                }
            }
            pairs.forget(pair);
            return n;
        }
    }

    /**
     * Ends a subscription another gateway member held and lost (it died): NOTIFY terminated;reason=deactivated
     * in that member's dialog, so the watcher subscribes again at once (RFC 6665 §4.2.2) and lands on a
     * living member. The dead member's last CSeq is only known as of its last copy, so the NOTIFY jumps
     * {@link #ADOPTED_CSEQ_GAP} ahead: CSeq must grow within a dialog, not by one (RFC 3261 §12.2.1.1).
     * It carries no state: whether this watcher may see any is for the member it subscribes to next.
     */
    public boolean deactivate(SubscriptionDialog dialog, boolean benotify) {
        if (dialogs.holds(dialog.callId())) {
            return false; // held here: not orphaned
        }
        return out.notify(dialog, benotify, null, "terminated;reason=deactivated", dialog.localCseq() + ADOPTED_CSEQ_GAP);
    }

    /** Ends every held subscription (shutdown): NOTIFY terminated;reason=deactivated lets watchers come back. */
    public void terminateAll() {
        int sent = 0;
        for (String callId : dialogs.callIds()) {
            Held held = dialogs.remove(callId);
            if (held != null) {
                held.expiry().cancel(false);
                sent += out.notify(held.dialog(), held.benotify(), null, "terminated;reason=deactivated", held.dialog().localCseq() + 1) ? 1 : 0;
            }
        }
        if (sent > 0) {
            out.awaitDelivery(SHUTDOWN_GRACE);
        }
    }

    @Override
    public void onNotifyAnswered(String callId, int status) {
        if (status == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST || status == Response.REQUEST_TIMEOUT) {
            drop(callId, "watcher answered NOTIFY with " + status);
        }
    }

    @Override
    public void onNotifyUnanswered(String callId) {
        drop(callId, "no answer to NOTIFY");
    }

    // ------------------------------------------------------------------ internals

    private void notifyPair(WatchedPairs.Pair pair) {
        pairs.notified(pair, clock.instant());
        for (String callId : pairs.dialogs(pair)) {
            sendNotify(callId, null);
        }
    }

    /** NOTIFY in one dialog: {@code active} with the pair's state, or {@code pending} without a body. */
    private void sendNotify(String callId, String terminated) {
        // reserve the CSeq atomically: publishes, refreshes and timers run on different threads
        Held held = dialogs.nextCseq(callId);
        if (held == null) {
            return;
        }
        SubscriptionDialog d = held.dialog();
        WatchedPairs.Watch w = pairs.watch(held.pair());
        long left = Math.max(0, Duration.between(clock.instant(), d.expiresAt()).toSeconds());
        String status = terminated != null ? terminated : (w.authorized() ? "active" : "pending") + ";expires=" + left;
        PresenceUpdate body = w.allowedState();
        if (w.authorized() && body == null) {
            body = PresenceUpdate.of(d.presentity(), org.parley.presence.model.Availability.OFFLINE); // approved, nothing heard yet
        }
        out.notify(d, held.benotify(), body, status, d.localCseq());
    }

    private void expire(String callId) {
        Held held = dialogs.remove(callId);
        if (held != null) {
            out.notify(held.dialog(), held.benotify(), null, "terminated;reason=timeout", held.dialog().localCseq() + 1);
            watcherLeft(held);
        }
    }

    private void drop(String callId, String why) {
        Held held = dialogs.remove(callId);
        if (held != null) {
            held.expiry().cancel(false);
            LOG.log(System.Logger.Level.INFO, "subscription of " + held.dialog().watcher() + " to " + held.dialog().presentity()
                    + " dropped: " + why);
            watcherLeft(held);
        }
    }

    /** A watcher's dialog ended by its side or by time: the rest of Parley hears of it once the watcher holds no other. */
    private void watcherLeft(Held held) {
        if (pairs.dialogs(held.pair()).isEmpty()) {
            pairs.forget(held.pair());
            inbound.onUnsubscribe(new SubscriptionEvent(held.dialog().watcher(), held.dialog().presentity(), SubscriptionAction.CANCEL));
        }
    }
}
