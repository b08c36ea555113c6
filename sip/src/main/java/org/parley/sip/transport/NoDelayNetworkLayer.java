package org.parley.sip.transport;

import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * JAIN-SIP's network layer, replaced for three reasons the stock one cannot meet:
 * <ul>
 *   <li>TCP_NODELAY on every socket, outgoing and accepted (JAIN-SIP never sets it; with Nagle
 *       on, small SIP messages wait for ACKs and p99 latency shows ≈ 40 ms artefacts);</li>
 *   <li>TLS from an in-memory {@link SSLContext} built from PEM files, with Parley's trust
 *       manager, instead of JKS files named in system properties;</li>
 *   <li>a connect timeout, so a dead front-end address fails in seconds and the route fails over
 *       instead of waiting for the operating system's TCP timeout.</li>
 * </ul>
 * The blocking (OIO) message processors, JAIN-SIP's default, create every socket through this
 * layer; accepted sockets get NODELAY through {@link NoDelayServerSocket} and
 * {@link NoDelaySslServerSocket}.
 */
public final class NoDelayNetworkLayer implements NetworkLayer {

    private final SSLContext tls;
    private final String[] protocols;
    private final int connectTimeoutMillis;
    private final SipConnections connections;

    /** @param tls {@code null} when only plain TCP is configured (labs) */
    public NoDelayNetworkLayer(SSLContext tls, String[] protocols, int connectTimeoutMillis) {
        this(tls, protocols, connectTimeoutMillis, new SipConnections(java.time.Clock.systemUTC()));
    }

    /** @param connections where every connection opened or accepted is registered */
    public NoDelayNetworkLayer(SSLContext tls, String[] protocols, int connectTimeoutMillis, SipConnections connections) {
        this.connections = connections;
        this.tls = tls;
        this.protocols = protocols.clone();
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return new NoDelayServerSocket(port, backlog, bindAddress, connections);
    }

    @Override
    public SSLServerSocket createSSLServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        SSLServerSocket real = (SSLServerSocket) requireTls().getServerSocketFactory().createServerSocket(port, backlog, bindAddress);
        real.setEnabledProtocols(protocols);
        return new NoDelaySslServerSocket(real, connections);
    }

    @Override
    public Socket createSocket(InetAddress address, int port) throws IOException {
        return plainOutgoing(connect(address, port, null, 0));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress) throws IOException {
        return plainOutgoing(connect(address, port, localAddress, 0));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return plainOutgoing(connect(address, port, localAddress, localPort));
    }

    private Socket plainOutgoing(Socket s) {
        connections.opened(s, "outgoing");
        return s;
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port) throws IOException {
        return createSSLSocket(address, port, null);
    }

    @Override
    public SSLSocket createSSLSocket(InetAddress address, int port, InetAddress localAddress) throws IOException {
        Socket plain = connect(address, port, localAddress, 0);
        try {
            SSLSocket ssl = (SSLSocket) requireTls().getSocketFactory().createSocket(plain, address.getHostAddress(), port, true);
            ssl.setEnabledProtocols(protocols);
            ssl.setUseClientMode(true);
            connections.opened(ssl, "outgoing");
            return ssl;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    @Override
    public DatagramSocket createDatagramSocket() throws SocketException {
        return new DatagramSocket();
    }

    @Override
    public DatagramSocket createDatagramSocket(int port, InetAddress bindAddress) throws SocketException {
        return new DatagramSocket(port, bindAddress);
    }

    @Override
    public void setSipStack(SipStackImpl sipStack) {
        // nothing from the stack is needed: TLS material comes in through the constructor
    }

    private Socket connect(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            if (localAddress != null || localPort != 0) {
                s.bind(new InetSocketAddress(localAddress, localPort));
            }
            s.connect(new InetSocketAddress(address, port), connectTimeoutMillis);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private SSLContext requireTls() throws IOException {
        if (tls == null) {
            throw new IOException("TLS requested but no TLS material is configured");
        }
        return tls;
    }
}
