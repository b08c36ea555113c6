package org.parley.xmpp.stream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import javax.net.ssl.SSLSocket;

/**
 * One XMPP stream's bytes on one socket, the same for every stream Parley has (inbound and outbound
 * s2s, the component link): reading, cut into {@link StreamEvent}s by a {@link StanzaReader} under
 * {@link StreamLimits}; writing, one writer at a time so that stanzas from several threads never
 * interleave; stream restarts (a new XML document after STARTTLS or SASL, RFC 6120 §4.3.3); the
 * switch to TLS; and the stream error that ends a stream. What is negotiated and carried on the
 * stream is its owner's business.
 *
 * <p>Reading is for one thread (the stream's); writing is for any. Everything read and written
 * passes the {@link XmppWireTap}.
 */
public final class XmppStreamIo {

    private final StreamLimits limits;
    private final Set<String> contentNamespaces;
    private final XmppWireTap tap;
    private final Deque<StreamEvent> backlog = new ArrayDeque<>();
    private final byte[] buf = new byte[16 * 1024];
    private volatile Socket socket;
    private volatile String peer;
    private InputStream in;
    /** Guarded by this: a write is one unit on the wire. */
    private OutputStream out;
    private StanzaReader reader;
    /** The bytes read since the last element: each element's own text is cut from them. */
    private ReceivedText received;

    /**
     * @param contentNamespaces what the peer's header may declare ({@code jabber:server}, {@code jabber:component:accept})
     * @param peer              who is at the other end, for the tap and for messages; see {@link #peer(String)}
     */
    public XmppStreamIo(Socket socket, StreamLimits limits, Set<String> contentNamespaces, String peer, XmppWireTap tap)
            throws IOException {
        this.limits = limits;
        this.contentNamespaces = Set.copyOf(contentNamespaces);
        this.tap = tap;
        this.peer = peer;
        use(socket);
    }

    /** After a TLS handshake on the current socket: the stream goes on over {@code secured}, as a new stream. */
    public void upgrade(Socket secured) throws IOException {
        use(secured);
    }

    /** A new XML document on the same socket (after SASL success): a new reader, nothing read before counts. */
    public void restart() {
        reader = new StanzaReader(limits, contentNamespaces);
        backlog.clear();
        received = new ReceivedText();
    }

    /** Once the peer is known by name (an inbound stream learns it from the header). */
    public void peer(String name) {
        this.peer = name;
    }

    public Socket socket() {
        return socket;
    }

    public boolean encrypted() {
        return socket instanceof SSLSocket;
    }

    /** How long a read may wait; 0: for ever. */
    public void timeout(int millis) throws SocketException {
        socket.setSoTimeout(millis);
    }

    /**
     * The next header, element or close, reading as much as it takes.
     *
     * @throws EOFException when the connection ends without the peer closing its stream
     * @throws StreamErrorException when the bytes break the stream (the caller decides how to answer)
     */
    public StreamEvent next() throws IOException, StreamErrorException {
        while (backlog.isEmpty()) {
            int n = in.read(buf);
            if (n < 0) {
                throw new EOFException("connection closed by " + peer);
            }
            received.add(buf, n);
            for (StreamEvent e : reader.feed(buf, 0, n)) {
                backlog.add(e instanceof StreamEvent.Stanza s ? withText(s) : e);
            }
        }
        return backlog.removeFirst();
    }

    /**
     * The element with its text as the peer's bytes had it — what the trace shows and the tap sees — or, where those
     * bytes are no longer here, as re-serialized.
     */
    private StreamEvent.Stanza withText(StreamEvent.Stanza s) {
        String text = received.take(s);
        StreamEvent.Stanza read = s.withText(text != null ? text : s.element().asXML());
        tap.received(peer, read.text());
        return read;
    }

    /** Puts back an event read too early: a negotiation step that finds something for the next one. */
    public void pushBack(StreamEvent event) {
        backlog.addFirst(event);
    }

    /**
     * The read loop: hands the peer's elements (and a header, if one comes) to {@code handler} until the
     * peer closes its stream — true — or the handler stops reading — false. A read timeout, the
     * connection's end and a broken stream come out as exceptions, for the owner to judge.
     */
    public boolean readUntilClosed(StreamHandler handler) throws IOException, StreamErrorException {
        while (true) {
            StreamEvent event = next();
            if (event instanceof StreamEvent.Closed) {
                return true;
            }
            if (event instanceof StreamEvent.Opened header) {
                handler.header(header);
            } else if (event instanceof StreamEvent.Stanza stanza && !handler.element(stanza.element(), stanza.text())) {
                return false;
            }
        }
    }

    public void write(String xml) throws IOException {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            out.write(bytes);
            out.flush();
            tap.sent(peer, xml);
        }
    }

    /**
     * Ends the stream with its error (RFC 6120 §4.9): {@code header} first — a receiving entity that
     * has not answered the peer's header yet must (§4.9.1.2); empty otherwise — then the error and
     * the closing tag, in one write.
     */
    public void sendStreamError(String header, StreamErrorException e) throws IOException {
        write(header + e.toXml());
    }

    /** Closes the connection (no closing tag: that is {@link #write}'s, when the stream ends cleanly). */
    public void closeSocket() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private void use(Socket s) throws IOException {
        InputStream newIn = s.getInputStream();
        OutputStream newOut = s.getOutputStream();
        synchronized (this) {
            out = newOut;
        }
        in = newIn;
        socket = s;
        restart();
    }
}
