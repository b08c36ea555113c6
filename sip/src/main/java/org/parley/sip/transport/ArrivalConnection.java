package org.parley.sip.transport;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.ConnectionOrientedMessageChannel;
import gov.nist.javax.sip.stack.MessageChannel;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * RFC 3261 §18.2.2: over TCP or TLS a response goes back on the connection the request came in on.
 *
 * <p>Why this is needed: JAIN-SIP RI's connection-oriented channel overwrites its {@code peerProtocol} with the
 * transport of each request's top Via, and sends on a cached connection only when that is the channel's own
 * transport: a request on a TLS connection whose Via says UDP or TCP (RFC 4475's messages, any proxy's) was
 * answered by UDP or a new TCP connection to the Via's host — a name resolved by DNS, often not at all. Pinning
 * the channel to its own transport and the socket's peer address, for every request before a transaction
 * exists, makes every answer — in a transaction or stateless — use the connection it arrived on.
 */
public final class ArrivalConnection {

    private static final VarHandle PEER_PROTOCOL;
    private static final VarHandle ADVERTISED_ADDRESS;
    private static final VarHandle ADVERTISED_PORT;

    static {
        try {
            MethodHandles.Lookup channel = MethodHandles.privateLookupIn(ConnectionOrientedMessageChannel.class, MethodHandles.lookup());
            PEER_PROTOCOL = channel.findVarHandle(ConnectionOrientedMessageChannel.class, "peerProtocol", String.class);
            ADVERTISED_ADDRESS = channel.findVarHandle(ConnectionOrientedMessageChannel.class, "peerAddressAdvertisedInHeaders", String.class);
            ADVERTISED_PORT = channel.findVarHandle(ConnectionOrientedMessageChannel.class, "peerPortAdvertisedInHeaders", int.class);
        } catch (ReflectiveOperationException e) {
            // a JAIN-SIP that no longer has these fields: fail at start, not by answering into the void
            throw new ExceptionInInitializerError(e);
        }
    }

    private ArrivalConnection() {
    }

    /** Makes {@code channel} answer on itself, whatever the request's Via says. */
    public static void pin(MessageChannel channel) {
        if (channel instanceof ConnectionOrientedMessageChannel c && c.getPeerAddress() != null) {
            PEER_PROTOCOL.setVolatile(c, c.getTransport());
            ADVERTISED_ADDRESS.setVolatile(c, c.getPeerAddress());
            ADVERTISED_PORT.setVolatile(c, c.getPeerPort());
        }
    }

    /** Closes the connection {@code request} arrived on (after its answer went out on it). */
    public static void close(Request request) {
        if (request instanceof SIPRequest r && r.getMessageChannel() instanceof MessageChannel channel) {
            channel.close();
        }
    }

    /**
     * Sends {@code response} to {@code request} without a transaction (JAIN-SIP builds none for some malformed
     * requests) on the connection the request arrived on.
     */
    public static void answerStatelessly(Request request, Response response) throws IOException {
        if (request instanceof SIPRequest r && r.getMessageChannel() instanceof MessageChannel channel
                && response instanceof SIPResponse sipResponse) {
            channel.sendMessage(sipResponse);
        } else {
            throw new IOException("no connection to answer " + request.getMethod() + " on");
        }
    }
}
