package org.parley.gateway.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.parley.presence.model.Address;
import org.parley.presence.model.Availability;
import org.parley.presence.model.LocalizedText;
import org.parley.presence.model.PresenceUpdate;

/**
 * S3 — presence fan-out: one XMPP presentity (juliet@xmpp.test) watched by 1, 10, 100, 1,000 Lync
 * users. Each watcher subscribes as Lync does (SUBSCRIBE from the front end); xmpp.test approves;
 * then juliet's presence changes a few times and every NOTIFY's latency (presence sent → NOTIFY at
 * the front end) is recorded. Changes are spaced past Parley's NOTIFY rate limit per presentity
 * (5 s, RFC 3856 §6.5) so that the figure is the fan-out, not the deliberate coalescing.
 */
final class FanOutScenario {

    private static final long CHANGE_SPACING_MS = 5_300;

    private FanOutScenario() {
    }

    /**
     * The second half of S3: {@code count} XMPP users, each watched by one Lync user, each changing
     * presence once a minute (so {@code count / 60} changes a second, spread evenly), for
     * {@code seconds}; every NOTIFY's latency. One change per presentity per minute stays far from the
     * 5 s rate limit, so nothing here is deliberately delayed.
     */
    static Map<String, Object> manyPresentities(LoadRig rig, int count, double seconds) throws Exception {
        long setupStart = System.nanoTime();
        long approvalsBefore = rig.approvalsSent.get();
        for (int i = 0; i < count; i++) {
            int status = rig.simulator().subscribeAsLyncWatcher("sip:lw" + i + "@lync.test", "sip:p" + i + "@xmpp.test", rig.sipPort).getStatusCode();
            if (status >= 300) {
                throw new IllegalStateException("SUBSCRIBE of lw" + i + " to p" + i + " answered " + status);
            }
        }
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (rig.approvalsSent.get() - approvalsBefore < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
        Thread.sleep(2_000); // the approvals' own NOTIFYs pass
        int rate = Math.max(1, count / 60);
        java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong();
        Map<String, Object> r = OpenLoop.paced("s3-many-presentities", rate, seconds, rig.notifies, OpenLoop.Measured.of("gateway", rig.gateway::cpuNanos), intended -> {
            int who = (int) (next.getAndIncrement() % count); // round robin: each presentity once a minute
            Address presentity = Address.xmpp("p" + who, "xmpp.test", "load");
            rig.xmppPeer.send(new PresenceUpdate(presentity, Address.xmpp("lw" + who, "lync.test"),
                    (intended & 1) == 0 ? Availability.AWAY : Availability.AVAILABLE, 0, List.of(LocalizedText.of("ts:" + intended)), null, null));
        });
        r.put("presentities", count);
        r.put("changesPerSecond", rate);
        r.put("setupSeconds", setupSeconds);
        System.out.printf("S3 %d presentities, %d changes/s: p50 %.2f ms, p99 %.2f ms, %s lost%n", count, rate, r.get("p50ms"), r.get("p99ms"),
                r.get("lost"));
        return r;
    }

    static List<Map<String, Object>> run(LoadRig rig, int[] levels, int changes) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        int watchers = 0;
        for (int level : levels) {
            long subscribeStart = System.nanoTime();
            while (watchers < level) {
                int status = rig.simulator().subscribeAsLyncWatcher("sip:w" + watchers + "@lync.test", "sip:juliet@xmpp.test", rig.sipPort)
                        .getStatusCode();
                if (status >= 300) {
                    throw new IllegalStateException("SUBSCRIBE of watcher " + watchers + " answered " + status);
                }
                watchers++;
            }
            double subscribeSeconds = (System.nanoTime() - subscribeStart) / 1e9;
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (rig.approvalsSent.get() < watchers && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(CHANGE_SPACING_MS); // the approvals' own NOTIFYs and the rate-limit window pass
            long start = System.nanoTime();
            rig.notifies.reset(start);
            long before = rig.notifies.arrived();
            long cpuBefore = rig.gateway.cpuNanos();
            for (int c = 0; c < changes; c++) {
                long intended = System.nanoTime();
                Availability a = c % 2 == 0 ? Availability.AWAY : Availability.DO_NOT_DISTURB;
                // as an XMPP server does: the user's presence goes to each approved contact separately (RFC 6121 §4.4)
                for (int w = 0; w < watchers; w++) {
                    rig.xmppPeer.send(new PresenceUpdate(rig.juliet, Address.xmpp("w" + w, "lync.test"), a, 0,
                            List.of(LocalizedText.of("ts:" + intended)), null, null));
                }
                if (c < changes - 1) {
                    Thread.sleep(CHANGE_SPACING_MS);
                }
            }
            long expected = (long) level * changes;
            long got = OpenLoop.awaitArrivals(rig.notifies, before, expected, System.nanoTime() + 60_000_000_000L);
            long cpu = rig.gateway.cpuNanos() - cpuBefore;
            Map<String, Object> r = OpenLoop.figures("s3-fan-out", rig.notifies.snapshot());
            r.put("cpuMicrosPerMessage", got == 0 ? 0.0 : cpu / 1e3 / got); // the gateway's, per NOTIFY (and the presence stanza behind it)
            r.put("watchers", level);
            r.put("changes", changes);
            r.put("notifiesExpected", expected);
            r.put("lost", expected - got);
            r.put("subscribeSecondsForNewWatchers", subscribeSeconds);
            System.out.printf("S3 fan-out to %5d watchers: %d of %d NOTIFYs, p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", level, got, expected,
                    r.get("p50ms"), r.get("p99ms"), r.get("maxMs"));
            out.add(r);
        }
        return out;
    }
}
