package org.parley.xmpp.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StanzaReaderTest {

    static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'"
            + " xmlns:db='jabber:server:dialback' from='xmpp.test' to='contoso.com' version='1.0' id='s1'>";

    static StanzaReader reader() {
        return new StanzaReader(StreamLimits.DEFAULT, Set.of("jabber:server"));
    }

    static List<StreamEvent> feedAll(StanzaReader r, String s) throws StreamErrorException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return r.feed(b, 0, b.length);
    }

    @Test
    void readsTheHeaderStanzasAndTheClose() throws Exception {
        StanzaReader r = reader();
        List<StreamEvent> events = new ArrayList<>(feedAll(r, HEADER));
        events.addAll(feedAll(r, " <message from='juliet@xmpp.test/b' to='romeo@contoso.com' type='chat'><body>Hi &amp; bye &lt;3</body>"
                + "<active xmlns='http://jabber.org/protocol/chatstates'/></message>\n"));
        events.addAll(feedAll(r, "<presence from='juliet@xmpp.test/b'><show>away</show></presence></stream:stream>"));

        assertThat(events).hasSize(4);
        StreamEvent.Opened opened = (StreamEvent.Opened) events.get(0);
        assertThat(opened.contentNamespace()).isEqualTo("jabber:server");
        assertThat(opened.attributes()).containsEntry("from", "xmpp.test").containsEntry("id", "s1").containsEntry("version", "1.0");
        var message = ((StreamEvent.Stanza) events.get(1)).element();
        assertThat(message.getName()).isEqualTo("message");
        assertThat(message.getNamespaceURI()).isEqualTo("jabber:server");
        assertThat(message.elementText("body")).isEqualTo("Hi & bye <3");
        assertThat(message.element("active").getNamespaceURI()).isEqualTo("http://jabber.org/protocol/chatstates");
        assertThat(((StreamEvent.Stanza) events.get(2)).element().elementText("show")).isEqualTo("away");
        assertThat(events.get(3)).isInstanceOf(StreamEvent.Closed.class);
    }

    @Test
    void stanzasSplitAcrossEveryPossibleReadBoundaryComeOutWhole() throws Exception {
        String stream = HEADER + "<message to='a@contoso.com' from='b@xmpp.test'><body>é中😀</body></message><iq type='get' id='1'/>";
        byte[] all = stream.getBytes(StandardCharsets.UTF_8);
        for (int cut = 1; cut < all.length; cut++) {
            StanzaReader r = reader();
            List<StreamEvent> events = new ArrayList<>(r.feed(all, 0, cut));
            events.addAll(r.feed(all, cut, all.length - cut));
            assertThat(events).as("cut at %d", cut).hasSize(3);
            assertThat(((StreamEvent.Stanza) events.get(1)).element().elementText("body")).isEqualTo("é中😀");
        }
    }

    @Test
    void billionLaughsAndDoctypesAreRestrictedXml() {
        String lol = "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;'>]>"
                + "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'>";
        assertThatThrownBy(() -> feedAll(reader(), lol)).isInstanceOf(StreamErrorException.class)
                .satisfies(e -> assertThat(((StreamErrorException) e).condition()).isEqualTo(StreamErrorCondition.RESTRICTED_XML));
    }

    @Test
    void commentsProcessingInstructionsAndUndeclaredEntitiesAreRefused() throws Exception {
        for (String bad : List.of("<!-- hi -->", "<?php echo 1 ?>", "<message><body>&nbsp;</body></message>")) {
            StanzaReader r = reader();
            feedAll(r, HEADER);
            assertThatThrownBy(() -> feedAll(r, bad)).as(bad).isInstanceOf(StreamErrorException.class)
                    .satisfies(e -> assertThat(((StreamErrorException) e).condition())
                            .isIn(StreamErrorCondition.RESTRICTED_XML, StreamErrorCondition.NOT_WELL_FORMED));
        }
    }

    @Test
    void malformedXmlAndInvalidUtf8AreNotWellFormed() throws Exception {
        StanzaReader r = reader();
        feedAll(r, HEADER);
        assertThatThrownBy(() -> feedAll(r, "<message><body>x</message>")).isInstanceOf(StreamErrorException.class)
                .satisfies(e -> assertThat(((StreamErrorException) e).condition()).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED));

        StanzaReader r2 = reader();
        feedAll(r2, HEADER);
        byte[] invalid = {'<', 'm', '>', (byte) 0xC3, (byte) 0x28, '<', '/', 'm', '>'};
        assertThatThrownBy(() -> r2.feed(invalid, 0, invalid.length)).isInstanceOf(StreamErrorException.class)
                .satisfies(e -> assertThat(((StreamErrorException) e).condition()).isEqualTo(StreamErrorCondition.NOT_WELL_FORMED));
    }

    @Test
    void wrongStreamOrContentNamespaceIsInvalidNamespace() {
        assertThatThrownBy(() -> feedAll(reader(), "<stream:stream xmlns='jabber:server' xmlns:stream='urn:wrong'>"))
                .satisfies(e -> assertThat(((StreamErrorException) e).condition()).isEqualTo(StreamErrorCondition.INVALID_NAMESPACE));
        assertThatThrownBy(() -> feedAll(reader(), "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"))
                .satisfies(e -> assertThat(((StreamErrorException) e).condition()).isEqualTo(StreamErrorCondition.INVALID_NAMESPACE));
    }

    @Test
    void aTenMebibyteStanzaIsCutOffEarlyAsPolicyViolation() throws Exception {
        StanzaReader r = reader();
        feedAll(r, HEADER + "<message><body>");
        byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
        long fed = 0;
        StreamErrorException error = null;
        while (fed < 10L * 1024 * 1024) {
            try {
                r.feed(chunk, 0, chunk.length);
                fed += chunk.length;
            } catch (StreamErrorException e) {
                error = e;
                break;
            }
        }
        assertThat(error).isNotNull();
        assertThat(error.condition()).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
        assertThat(fed).as("refused long before 10 MiB were accepted").isLessThanOrEqualTo(StreamLimits.DEFAULT.maxStanzaBytes());
    }

    @Test
    void aNeverEndingStartTagCannotBypassTheLimit() throws Exception {
        StanzaReader r = reader();
        feedAll(r, HEADER + "<message a='");
        byte[] chunk = "y".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
        StreamErrorException error = null;
        for (int i = 0; i < 160 && error == null; i++) {
            try {
                r.feed(chunk, 0, chunk.length);
            } catch (StreamErrorException e) {
                error = e;
            }
        }
        assertThat(error).isNotNull();
        assertThat(error.condition()).isEqualTo(StreamErrorCondition.POLICY_VIOLATION);
    }

    @Test
    void manySmallStanzasInOneReadAreNotMistakenForOneLargeOne() throws Exception {
        StanzaReader r = reader();
        feedAll(r, HEADER);
        String many = "<message to='a@contoso.com' from='b@xmpp.test'><body>small</body></message>".repeat(5000);
        assertThat(feedAll(r, many)).hasSize(5000);
    }

    @Test
    void tenThousandDeepNestingIsPolicyViolation() throws Exception {
        StanzaReader r = reader();
        feedAll(r, HEADER);
        assertThatThrownBy(() -> feedAll(r, "<a>".repeat(10_000))).isInstanceOf(StreamErrorException.class)
                .satisfies(e -> assertThat(((StreamErrorException) e).condition()).isEqualTo(StreamErrorCondition.POLICY_VIOLATION));
    }

    @Test
    void theStreamErrorElementNamesTheConditionAndEscapesTheText() {
        String xml = new StreamErrorException(StreamErrorCondition.POLICY_VIOLATION, "a < b & c").toXml();
        assertThat(xml).contains("<policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>")
                .contains("a &lt; b &amp; c").endsWith("</stream:stream>");
    }
}
