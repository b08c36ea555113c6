package org.parley.sip.route;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.parley.sip.config.HostPort;

/**
 * What the OPTIONS probe learnt about each front-end target, logged once per change: a front end that is
 * down is one WARN line ("unreachable: connection refused; retrying every 30s"), not a stack trace every
 * probe, and its return is one INFO line. The gateway's health shows it; readiness does not depend on it
 * (XMPP partners are still answered while Lync is away).
 */
public final class FrontEndReachability {

    private static final System.Logger LOG = System.getLogger(FrontEndReachability.class.getName());

    /** One target's state: whether it answered the last probe, why not, and since when. */
    public record State(boolean reachable, String detail, Instant since) {
    }

    /** Guarded by this; in the order targets were first seen. */
    private final Map<HostPort, State> states = new LinkedHashMap<>();
    private final Duration retryEvery;
    private final Clock clock;

    public FrontEndReachability(Duration retryEvery, Clock clock) {
        this.retryEvery = retryEvery;
        this.clock = clock;
    }

    /** @return the line logged, when this is a change */
    public Optional<String> answered(HostPort target, int status) {
        return change(target, true, "answered OPTIONS with " + status);
    }

    /** @return the line logged, when this is a change */
    public Optional<String> unreachable(HostPort target, Throwable cause) {
        return change(target, false, reason(cause));
    }

    /** @return the line logged, when this is a change */
    public Optional<String> unreachable(HostPort target, String reason) {
        return change(target, false, reason);
    }

    /** Every target probed so far, in the order first seen. */
    public synchronized Map<HostPort, State> states() {
        return new LinkedHashMap<>(states);
    }

    private synchronized Optional<String> change(HostPort target, boolean reachable, String detail) {
        State before = states.get(target);
        State now = before != null && before.reachable() == reachable ? new State(reachable, detail, before.since())
                : new State(reachable, detail, clock.instant());
        states.put(target, now);
        if (before != null && before.reachable() == reachable) {
            return Optional.empty();
        }
        String line = reachable ? "front end " + target + " " + detail
                : "front end " + target + " unreachable: " + detail + (retryEvery.isZero() ? "" : "; retrying every " + retryEvery.toSeconds() + " s");
        LOG.log(reachable ? System.Logger.Level.INFO : System.Logger.Level.WARNING, line);
        return Optional.of(line);
    }

    /** The innermost reason, in words an operator reads ("connection refused"), without the stack. */
    static String reason(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof ConnectException) {
            return "connection refused";
        }
        if (root instanceof java.net.UnknownHostException) {
            return "unknown host " + root.getMessage();
        }
        if (root instanceof java.net.SocketTimeoutException) {
            return "connection timed out";
        }
        if (root instanceof javax.net.ssl.SSLException) {
            return "TLS failed: " + root.getMessage();
        }
        String m = root.getMessage();
        // JAIN-SIP reports a refused or timed-out connection as its own IOException, without the cause
        return m == null ? root.getClass().getSimpleName() : m.startsWith("Could not connect") ? "could not connect" : m;
    }
}
