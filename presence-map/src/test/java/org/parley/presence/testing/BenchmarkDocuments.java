package org.parley.presence.testing;

/**
 * The presence documents every presence benchmark translates, in one place so that the JMH benchmarks, the
 * same-JVM A/B tool and the sip module's paired peer ratio measure the same inputs.
 */
public final class BenchmarkDocuments {

    /** A two-language XMPP presence with show and priority. */
    public static final String XMPP_PRESENCE = "<presence xmlns=\"jabber:server\" from=\"juliet@xmpp.test/balcony\">"
            + "<show>away</show><status>Out for lunch</status><status xml:lang=\"fr\">Parti déjeuner</status><priority>5</priority></presence>";

    /** A PIDF + RPID tuple with a note and a person activity. */
    public static final String PIDF = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\" "
            + "xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\" entity=\"sip:romeo@contoso.com\">"
            + "<tuple id=\"a8098a\"><status><basic>open</basic></status><contact>sip:romeo@pc33.contoso.com</contact>"
            + "<note xml:lang=\"en\">Quarterly review</note></tuple>"
            + "<dm:person id=\"p1\"><rpid:activities><rpid:meeting/></rpid:activities></dm:person></presence>";

    /** A Lync msrtc categories document: an aggregate state with an activity, and a personal note. */
    public static final String CATEGORIES = "<categories xmlns=\"http://schemas.microsoft.com/2006/09/sip/categories\" uri=\"sip:alice@contoso.com\">"
            + "<category name=\"state\" instance=\"0\" publishTime=\"2026-01-02T03:00:00.000\" container=\"300\" version=\"7\" expireType=\"static\">"
            + "<state xmlns=\"http://schemas.microsoft.com/2006/09/sip/state\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
            + "manual=\"false\" xsi:type=\"aggregateState\"><availability>6500</availability><activity token=\"in-a-meeting\"/></state></category>"
            + "<category name=\"note\" instance=\"0\" publishTime=\"2026-01-02T02:00:00.000\" container=\"300\" version=\"2\" expireType=\"static\">"
            + "<note xmlns=\"http://schemas.microsoft.com/2006/09/sip/note\"><body type=\"personal\" uri=\"\">Quarterly review until 3pm</body></note>"
            + "</category></categories>";

    private BenchmarkDocuments() {
    }
}
