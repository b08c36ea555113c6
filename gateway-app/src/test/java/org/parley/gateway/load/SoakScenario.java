package org.parley.gateway.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * S6 — soak: S1 (IM XMPP→SIP) at a fixed rate (half the S1 maximum) for a long time, in
 * one-minute windows (shorter when the whole soak is short), with the heap after a full GC at the
 * end of each window (the gateway process's heap, after {@code jcmd GC.run}). A flat heap and steady windows mean nothing accumulates; every message is
 * counted (lost = sent − arrived).
 */
final class SoakScenario {

    private SoakScenario() {
    }

    static Map<String, Object> run(LoadRig rig, int rate, long totalSeconds) throws Exception {
        double window = Math.min(60, Math.max(5, totalSeconds / 4.0));
        int windows = (int) Math.max(1, Math.round(totalSeconds / window));
        List<Map<String, Object>> rows = new ArrayList<>();
        long lost = 0;
        for (int w = 0; w < windows; w++) {
            Map<String, Object> r = OpenLoop.paced("s6-soak", rate, window, rig.im, rig.s1(), rig::sendXmppIm);
            r.put("window", w + 1);
            r.put("heapAfterGcMB", rig.gateway.heapAfterFullGc() / 1e6);
            lost += (Long) r.get("lost");
            rows.add(r);
            System.out.printf("S6 soak window %d/%d: heap after GC %.1f MB%n", w + 1, windows, r.get("heapAfterGcMB"));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rate", rate);
        out.put("seconds", windows * window);
        out.put("lostS1", lost);
        out.put("windows", rows);
        return out;
    }
}
