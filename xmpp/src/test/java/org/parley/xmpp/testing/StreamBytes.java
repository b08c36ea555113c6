package org.parley.xmpp.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Reading what a stream peer wrote, as raw text, for tests that judge bytes on the wire. */
public final class StreamBytes {

    private StreamBytes() {
    }

    /**
     * Reads into {@code got} until {@code end} has arrived — and, when {@code end} opens a tag, that tag's
     * {@code '>'} too — or the peer closes or resets, or 10 s pass. The socket needs a read timeout.
     */
    public static String readUntil(InputStream in, ByteArrayOutputStream got, String end) {
        byte[] buf = new byte[8192];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ends(got.toString(StandardCharsets.UTF_8), end) && System.nanoTime() < deadline) {
            try {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                got.write(buf, 0, n);
            } catch (SocketTimeoutException nothingYet) {
                // poll again
            } catch (IOException reset) {
                break;
            }
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    private static boolean ends(String got, String end) {
        int at = got.indexOf(end);
        return at >= 0 && (!end.startsWith("<") || got.indexOf('>', at) > 0);
    }
}
