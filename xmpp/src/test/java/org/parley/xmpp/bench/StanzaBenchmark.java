package org.parley.xmpp.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.model.Address;
import org.parley.presence.model.ChatMessage;
import org.parley.presence.model.GatewayEvent;
import org.parley.xmpp.adapt.InboundResult;
import org.parley.xmpp.adapt.ModelToXmpp;
import org.parley.xmpp.adapt.XmppToModel;
import org.parley.xmpp.stream.StanzaReader;
import org.parley.xmpp.stream.StreamEvent;
import org.parley.xmpp.stream.StreamLimits;
import org.xmpp.packet.Message;

/**
 * Stanza bytes → model event and model event → stanza XML.
 * Run: {@code ./mvnw -B -pl xmpp -am -Pbench -DskipTests verify}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StanzaBenchmark {

    private static final byte[] HEADER = ("<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'"
            + " from='xmpp.test' to='contoso.com' version='1.0'>").getBytes(StandardCharsets.UTF_8);
    private static final byte[] MESSAGE = ("<message from='juliet@xmpp.test/balcony' to='alice@contoso.com' type='chat' id='m1'>"
            + "<body>Hello Alice, are you joining the review at 3?</body><active xmlns='http://jabber.org/protocol/chatstates'/>"
            + "<request xmlns='urn:xmpp:receipts'/></message>").getBytes(StandardCharsets.UTF_8);

    private StanzaReader reader;
    private XmppToModel in;
    private ModelToXmpp out;
    private ChatMessage model;

    @Setup
    public void setUp() throws Exception {
        AddressMapper mapper = AddressMapper.forDomains(List.of("xmpp.test", "contoso.com"));
        in = new XmppToModel(mapper);
        out = new ModelToXmpp(mapper);
        reader = new StanzaReader(StreamLimits.DEFAULT, Set.of("jabber:server"));
        reader.feed(HEADER, 0, HEADER.length);
        model = ChatMessage.text(Address.xmpp("alice", "contoso.com"), Address.xmpp("juliet", "xmpp.test", "balcony"), "m2",
                "Yes, I will be there.");
    }

    /** One message on an open stream: Aalto async → dom4j → Tinder → model. */
    @Benchmark
    public GatewayEvent parseMessageToModel() throws Exception {
        List<StreamEvent> events = reader.feed(MESSAGE, 0, MESSAGE.length);
        Message m = new Message(((StreamEvent.Stanza) events.get(0)).element(), true);
        return ((InboundResult.Event) in.translate(m)).event();
    }

    /** Model → Tinder → XML text for the wire. */
    @Benchmark
    public String modelToStanzaXml() {
        return out.render(model);
    }
}
