package org.parley.gateway.lab;

import java.nio.file.Path;

/** What the lab tells its operator, one line per step. */
final class LabLog {

    private final long start = System.nanoTime();

    void step(String line) {
        System.out.printf("lab [%5.1f s] %s%n", (System.nanoTime() - start) / 1e9, line);
    }

    void summary(String flowPage, Path adminToken, int translations) {
        step("done: " + translations + " translations in Parley's trace");
        System.out.println();
        System.out.println("  flow page:   " + flowPage + "   (sign in with the admin token)");
        System.out.println("  admin token: " + adminToken);
        System.out.println();
    }
}
