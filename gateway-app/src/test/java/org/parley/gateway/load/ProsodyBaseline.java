package org.parley.gateway.load;

import java.nio.file.Files;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.xmpp.testing.ProsodyRig;
import org.parley.xmpp.testing.TestTls;

/**
 * A peer baseline measured in the same run: real Prosody (Debian's package) relaying a chat message
 * from one c2s client to another, both Smack over TLS — what an XMPP server alone costs on this
 * machine for the same open-loop rates as S1/S2. The message body carries the intended send time.
 */
final class ProsodyBaseline implements AutoCloseable {

    private final ProsodyRig prosody;
    private final XMPPTCPConnection sender;
    private final XMPPTCPConnection receiver;
    private final Jid to;

    ProsodyBaseline(LatencyRecorder arrivals) throws Exception {
        prosody = ProsodyRig.create(Files.createTempDirectory("parley-load-prosody"), "component.xmpp.test", "load-component");
        prosody.register("romeo", "xmpp.test", "romeo-load");
        prosody.register("juliet", "xmpp.test", "juliet-load");
        prosody.start();
        PinnedJvm.pinToMeasuredCore(prosody.pid()); // measured like the gateway: on its core, its own CPU clock
        receiver = TestTls.smackUser("juliet", "juliet-load", prosody.c2sPort, prosody.certificate());
        receiver.addAsyncStanzaListener(s -> {
            Message m = (Message) s;
            try {
                arrivals.arrivedFor(Long.parseLong(m.getBody().strip()));
            } catch (RuntimeException notOurs) {
                // not a load message
            }
        }, StanzaTypeFilter.MESSAGE);
        receiver.connect().login();
        sender = TestTls.smackUser("romeo", "romeo-load", prosody.c2sPort, prosody.certificate());
        sender.connect().login();
        to = JidCreate.from("juliet@xmpp.test/balcony");
    }

    /** Prosody's own CPU per relayed message; it answers nothing with an error here. */
    OpenLoop.Measured measured() {
        long pid = prosody.pid();
        return OpenLoop.Measured.of("prosody", () -> PinnedJvm.cpuNanosOf(pid));
    }

    void send(long intendedNanos) throws Exception {
        sender.sendStanza(StanzaBuilder.buildMessage().to(to).ofType(Message.Type.chat).setBody(Long.toString(intendedNanos)).build());
    }

    @Override
    public void close() throws Exception {
        sender.disconnect();
        receiver.disconnect();
        prosody.close();
    }
}
