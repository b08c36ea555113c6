package org.parley.gateway.routing;

import java.util.concurrent.CompletableFuture;
import org.parley.presence.model.GatewayEvent;

/** Where the router sends events bound for XMPP (addresses in the XMPP scheme). */
public interface XmppSide {

    /** Completes with the event once written to a stream, or with the GatewayError that answers it. */
    CompletableFuture<GatewayEvent> send(GatewayEvent event);
}
