package org.parley.gateway.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.parley.presence.model.Address;
import org.parley.presence.model.SubscriptionAction;
import org.parley.presence.model.SubscriptionEvent;

/**
 * S4 — held subscriptions: XMPP users on one s2s stream subscribe to Lync users (u{i}@xmpp.test →
 * a{i mod 1000}@lync.test); Parley stores each relationship and holds a SIP subscription toward
 * the front end. After each step the heap is measured after a full GC, with the simulator's own
 * records of the subscriptions dropped first so the figure is the gateway's (the JVM also holds the
 * peers, whose share does not grow with subscriptions).
 */
final class SubscriptionHeapScenario {

    private SubscriptionHeapScenario() {
    }

    static List<Map<String, Object>> run(LoadRig rig, int[] steps, int perSecond, long budgetSeconds) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        long budgetEnd = System.nanoTime() + budgetSeconds * 1_000_000_000L;
        long baseSubscribes = rig.subscribesAtFrontEnd.get();
        long baseline = heapAfterGc(rig);
        int held = 0;
        out.add(point(0, baseline, baseline, 0));
        System.out.printf("S4 subscriptions: %7d held, heap %6.1f MB%n", 0, baseline / 1e6);
        for (int step : steps) {
            if (System.nanoTime() > budgetEnd) {
                System.out.println("S4: time budget reached before " + step + " subscriptions");
                break;
            }
            long start = System.nanoTime();
            long period = 1_000_000_000L / perSecond;
            int from = held;
            for (int i = from; i < step; i++) {
                long wait = start + (i - from) * period - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                rig.xmppPeer.send(new SubscriptionEvent(Address.xmpp("u" + i, "xmpp.test"), Address.xmpp("a" + (i % 1000), "lync.test"),
                        SubscriptionAction.REQUEST));
            }
            held = step;
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (rig.subscribesAtFrontEnd.get() - baseSubscribes < held && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long atFrontEnd = rig.subscribesAtFrontEnd.get() - baseSubscribes;
            long heap = heapAfterGc(rig);
            Map<String, Object> r = point(held, heap, baseline, atFrontEnd);
            r.put("subscribedPerSecond", (held - from) / seconds);
            System.out.printf("S4 subscriptions: %7d held (%d SUBSCRIBEs at the front end), heap %6.1f MB, %.0f bytes each, %.0f/s%n",
                    held, atFrontEnd, heap / 1e6, r.get("bytesPerSubscription"), r.get("subscribedPerSecond"));
            out.add(r);
        }
        if (held > 0) {
            // two cycles: the first compares like with like (both measured right after a wave of SUBSCRIBEs), the
            // second shows whether anything accumulates from one refresh to the next
            out.add(refreshCycle(rig, held, baseSubscribes, baseline, 2));
            out.add(refreshCycle(rig, held, baseSubscribes, baseline, 3));
        }
        return out;
    }

    /**
     * Waits until every held subscription has been refreshed once (the front end has seen a second
     * SUBSCRIBE for each; Parley refreshes at 80 % of the granted time) and measures the heap again:
     * a refresh must not leave anything behind.
     */
    private static Map<String, Object> refreshCycle(LoadRig rig, int held, long baseSubscribes, long baseline, int waves)
            throws InterruptedException, java.io.IOException {
        long before = heapAfterGc(rig);
        long start = System.nanoTime();
        long deadline = start + 300_000_000_000L;
        while (rig.subscribesAtFrontEnd.get() - baseSubscribes < (long) waves * held && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        long refreshed = rig.subscribesAtFrontEnd.get() - baseSubscribes - (long) (waves - 1) * held;
        long after = heapAfterGc(rig);
        Map<String, Object> r = point(held, after, baseline, rig.subscribesAtFrontEnd.get() - baseSubscribes);
        r.put("path", "s4-refresh-cycle");
        r.put("refreshWave", waves - 1);
        r.put("refreshed", refreshed);
        r.put("heapBeforeRefreshMB", before / 1e6);
        r.put("heapChangePercent", 100.0 * (after - before) / before);
        r.put("waitedSeconds", (System.nanoTime() - start) / 1e9);
        System.out.printf("S4 refresh cycle %d: %d of %d subscriptions refreshed; heap %.1f → %.1f MB (%+.1f %%)%n", waves - 1, refreshed, held,
                before / 1e6, after / 1e6, r.get("heapChangePercent"));
        return r;
    }

    private static Map<String, Object> point(int held, long heap, long baseline, long atFrontEnd) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("path", "s4-subscriptions");
        r.put("subscriptions", held);
        r.put("subscribesAtFrontEnd", atFrontEnd);
        r.put("heapMB", heap / 1e6);
        r.put("bytesPerSubscription", held == 0 ? 0.0 : (double) (heap - baseline) / held);
        return r;
    }

    /** The gateway process's heap after a full collection, the lowest of three. */
    private static long heapAfterGc(LoadRig rig) throws InterruptedException, java.io.IOException {
        rig.simulator().forgetAcceptedSubscriptions();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            best = Math.min(best, rig.gateway.heapAfterFullGc());
            Thread.sleep(300);
        }
        return best;
    }
}
