package org.parley.sip;

import org.parley.presence.model.GatewayEvent;

/**
 * What went over the SIP wire, for the translation trace and the flow view: the requests as they arrived and as Parley
 * sent them, refusals, and the front ends' keep-alive answers. Told from the SIP threads: an implementation must be
 * quick and must not throw (a failure is logged and costs the message nothing).
 */
public interface SipWireTap {

    /** A tap that keeps nothing. */
    SipWireTap NONE = new SipWireTap() {
    };

    /**
     * Every request as it arrived, before it is handled (or refused): a tap for tests and tools. The translation
     * trace does not use it — an event's own message comes with the event.
     */
    default void onRequestWire(String rawRequest) {
    }

    /**
     * Parley sent a SIP request carrying {@code cause} (an event the other side handed to this one, or the state a
     * NOTIFY carries): {@code wire} is the request as it went on the wire. One event may go out more than once (a
     * NOTIFY in each of a watcher's dialogs, a MESSAGE retried on the next front end).
     */
    default void onSent(GatewayEvent cause, String wire) {
    }

    /**
     * An OPTIONS keep-alive to a front-end target finished: {@code status} is the final response
     * code, or 0 when none came. For the trace and the flow view.
     */
    default void onKeepAlive(String target, int status, long latencyMicros) {
    }

    /** A request refused before it became an event (answered 4xx/505 here, or dropped as unparseable): for the trace. */
    default void onRefused(SipRefusal refusal) {
    }

}
