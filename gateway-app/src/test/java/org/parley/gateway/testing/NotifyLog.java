package org.parley.gateway.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.parley.sip.testing.LyncFrontEndSimulator;
import org.parley.sip.testing.LyncFrontEndSimulator.Received;

/** Everything the Lync front-end simulator received, kept in order, and read per dialog: what each watcher was told. */
public final class NotifyLog {

    private final LyncFrontEndSimulator frontEnd;
    private final List<Received> seen = new ArrayList<>();

    public NotifyLog(LyncFrontEndSimulator frontEnd) {
        this.frontEnd = frontEnd;
    }

    /** Takes what has arrived, without waiting. */
    public synchronized void collect() throws InterruptedException {
        Received r;
        while ((r = frontEnd.await(0)) != null) {
            seen.add(r);
        }
    }

    /** Takes what arrives until nothing more came for {@code quietMillis}. */
    public void drain(long quietMillis) throws InterruptedException {
        long quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(quietMillis);
        int before = size();
        while (System.nanoTime() < quietUntil) {
            collect();
            if (size() != before) {
                before = size();
                quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(quietMillis);
            }
            Thread.sleep(10);
        }
    }

    private synchronized int size() {
        return seen.size();
    }

    /** The NOTIFYs and BENOTIFYs in one dialog so far, waiting up to {@code seconds} until there are {@code atLeast}. */
    public List<Received> notifies(String callId, int atLeast, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            drain(100);
            List<Received> mine = inDialog(callId);
            if (mine.size() >= atLeast || System.nanoTime() > deadline) {
                return mine;
            }
        }
    }

    private synchronized List<Received> inDialog(String callId) {
        List<Received> mine = new ArrayList<>();
        for (Received r : seen) {
            if (callId.equals(r.callId()) && r.method().endsWith("NOTIFY")) {
                mine.add(r);
            }
        }
        return mine;
    }

    /** Everything received so far with this method (e.g. Parley's SUBSCRIBEs or MESSAGEs). */
    public synchronized List<Received> requests(String method) {
        return seen.stream().filter(r -> r.method().equals(method)).toList();
    }
}
