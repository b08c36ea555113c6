package org.parley.gateway.lab;

import java.util.ArrayDeque;
import java.util.Deque;

/** What the lab started, stopped in reverse order however the run ends. */
final class LabProcesses implements AutoCloseable {

    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    LabProcesses() {
        // Ctrl-C, or CI stopping Maven: Kamailio, Prosody and Parley must not outlive the lab
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "lab-stop"));
    }

    synchronized <T extends AutoCloseable> T add(T running) {
        started.push(running);
        return running;
    }

    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("lab: stopping " + e.getMessage());
            }
        }
    }
}
