package org.parley.sip.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A plain server socket whose accepted connections have TCP_NODELAY set. */
final class NoDelayServerSocket extends ServerSocket {

    private final SipConnections connections;

    NoDelayServerSocket(int port, int backlog, InetAddress bindAddress, SipConnections connections) throws IOException {
        super(port, backlog, bindAddress);
        this.connections = connections;
    }

    @Override
    public Socket accept() throws IOException {
        Socket s = super.accept();
        s.setTcpNoDelay(true);
        connections.opened(s, "incoming");
        return s;
    }
}
