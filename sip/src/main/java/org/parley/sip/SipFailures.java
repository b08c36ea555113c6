package org.parley.sip;

import javax.sip.message.Response;
import org.parley.presence.error.ErrorMapping;
import org.parley.presence.model.Address;
import org.parley.presence.model.ErrorCondition;
import org.parley.presence.model.GatewayError;
import org.parley.presence.model.MsDiagnostics;

/**
 * The one translation of a SIP failure into a {@link GatewayError}: the XMPP condition from RFC 7247's table, and
 * Lync's ms-diagnostics (its sub-code and reason, {@link MsDiagnosticsHeaders}) as the text where the front end gave one.
 */
public final class SipFailures {

    private SipFailures() {
    }

    /**
     * A final response ≥ 300 to a request that carried an event from {@code to} to {@code from}: the error goes back
     * from the SIP side ({@code from}) to whoever sent the event ({@code to}).
     */
    public static GatewayError of(Address from, Address to, Response response, String id) {
        int status = response.getStatusCode();
        return of(from, to, ErrorMapping.toXmppCondition(status), status, status + " " + response.getReasonPhrase(),
                MsDiagnosticsHeaders.of(response), id);
    }

    /** A failure Parley saw itself (no answer, nothing to send to) or one it chose the condition of. */
    public static GatewayError of(Address from, Address to, ErrorCondition condition, int status, String text,
                                  MsDiagnostics diagnostics, String id) {
        return new GatewayError(from, to, condition, null, status, diagnostics != null ? diagnostics.describe() : text, diagnostics, id);
    }
}
