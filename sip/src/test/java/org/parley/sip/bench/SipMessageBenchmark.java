package org.parley.sip.bench;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.parley.presence.address.AddressMapper;
import org.parley.presence.lync.CategoriesCodec;
import org.parley.presence.model.PresenceUpdate;
import org.parley.presence.pidf.PidfCodec;
import org.parley.presence.xml.SafeXmlParser;
import org.parley.sip.subscription.PresencePackage;

/**
 * Parse costs of the SIP messages Parley handles, with the body translation the sip
 * module adds. Run: {@code ./mvnw -B -pl sip -am -Pbench -DskipTests verify}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SipMessageBenchmark {

    static final String MESSAGE = "MESSAGE sip:juliet@xmpp.test SIP/2.0\r\n"
            + "Via: SIP/2.0/TLS 10.0.0.11:5061;branch=z9hG4bK776asdhds\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: \"Alice\" <sip:alice@contoso.com>;tag=1928301774\r\n"
            + "To: <sip:juliet@xmpp.test>\r\n"
            + "Call-ID: a84b4c76e66710@pc33.contoso.com\r\n"
            + "CSeq: 314159 MESSAGE\r\n"
            + "Contact: <sip:alice@pc33.contoso.com;transport=tls>\r\n"
            + "Ms-Conversation-ID: AcnTd4Wq7E8BYGfUQSm7Hz6yJZ8fpQ==\r\n"
            + "Content-Type: text/plain;charset=UTF-8\r\n"
            + "Content-Length: 36\r\n\r\n"
            + "Hello Juliet, are you coming today?\n";

    static final String CATEGORIES = "<categories xmlns=\"http://schemas.microsoft.com/2006/09/sip/categories\" uri=\"sip:alice@contoso.com\">"
            + "<category name=\"state\" instance=\"0\" publishTime=\"2026-01-02T03:00:00.000\" container=\"300\" version=\"7\" expireType=\"static\">"
            + "<state xmlns=\"http://schemas.microsoft.com/2006/09/sip/state\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
            + "manual=\"false\" xsi:type=\"aggregateState\"><availability>6500</availability><activity token=\"in-a-meeting\"/></state></category>"
            + "<category name=\"note\" instance=\"0\" publishTime=\"2026-01-02T02:00:00.000\" container=\"300\" version=\"2\" expireType=\"static\">"
            + "<note xmlns=\"http://schemas.microsoft.com/2006/09/sip/note\"><body type=\"personal\" uri=\"\">Quarterly review</body></note></category></categories>";

    static final String NOTIFY = "NOTIFY sip:127.0.0.1:5061;transport=tls SIP/2.0\r\n"
            + "Via: SIP/2.0/TLS 10.0.0.11:5061;branch=z9hG4bKnotify1\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:alice@contoso.com>;tag=ab12\r\n"
            + "To: <sip:juliet@xmpp.test>;tag=cd34\r\n"
            + "Call-ID: 5a6b7c@gw.contoso.com\r\n"
            + "CSeq: 2 NOTIFY\r\n"
            + "Event: presence\r\n"
            + "Subscription-State: active;expires=3540\r\n"
            + "Content-Type: application/msrtc-event-categories+xml\r\n"
            + "Content-Length: " + CATEGORIES.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + CATEGORIES;

    private byte[] message;
    private gov.nist.javax.sip.parser.MessageParser strictParser;
    private byte[] notify;
    private PresencePackage presence;
    private org.parley.presence.model.Address alice;

    @Setup
    public void setUp() throws Exception {
        strictParser = new org.parley.sip.transport.StrictMessageParserFactory().createMessageParser(null);
        message = MESSAGE.getBytes(StandardCharsets.UTF_8);
        notify = NOTIFY.getBytes(StandardCharsets.UTF_8);
        AddressMapper mapper = AddressMapper.forDomains(List.of("contoso.com", "xmpp.test"));
        SafeXmlParser xml = new SafeXmlParser();
        presence = new PresencePackage(new PidfCodec(xml, mapper), new CategoriesCodec(xml, mapper, Clock.systemUTC()), true);
        alice = org.parley.presence.model.Address.sip("alice", "contoso.com");
    }

    /** JAIN-SIP parse of an incoming IM (the reference: 132k/s in performance-targets.md). */
    @Benchmark
    public SIPMessage parseMessage() throws Exception {
        return new StringMsgParser().parseSIPMessage(message, true, false, null);
    }

    /** The same parse through Parley's strict check in front of JAIN-SIP's parser (what the listener's stack runs). */
    @Benchmark
    public SIPMessage parseMessageStrict() throws Exception {
        return strictParser.parseSIPMessage(message, true, false, null);
    }

    /** Parse of a Lync category NOTIFY (behind the strict check, as the listener's stack parses) plus decoding its body into presence. */
    @Benchmark
    public PresenceUpdate parseCategoriesNotify() throws Exception {
        SIPMessage m = strictParser.parseSIPMessage(notify, true, false, null);
        return presence.decode("application/msrtc-event-categories+xml", new String(m.getRawContent(), StandardCharsets.UTF_8), alice, null);
    }
}
