package org.parley.presence.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.presence.MappingException;
import org.parley.presence.xml.XmlReader.Event;

class XmlReaderTest {

    private final SafeXmlParser parser = new SafeXmlParser();

    @Test
    void reportsStartTextAndEndWithDepthNamespaceAndLanguage() throws MappingException {
        List<String> events = parser.read(
                "<a xmlns='urn:a' xml:lang='fr'><b k='v'>un &amp; deux</b><p:c xmlns:p='urn:p' xml:lang='en'/></a>",
                reader -> {
                    List<String> seen = new ArrayList<>();
                    for (Event e = reader.next(); e != Event.END_DOCUMENT; e = reader.next()) {
                        switch (e) {
                            case START -> seen.add("start " + reader.depth() + " {" + reader.namespace() + "}"
                                    + reader.localName() + " lang=" + reader.lang() + " attrs=" + reader.attributeCount());
                            case TEXT -> seen.add("text " + reader.depth() + " " + reader.text());
                            case END -> seen.add("end " + reader.depth());
                            default -> throw new AssertionError(e);
                        }
                    }
                    return seen;
                });
        assertThat(events).containsExactly(
                "start 1 {urn:a}a lang=fr attrs=0",
                "start 2 {urn:a}b lang=fr attrs=1",
                "text 2 un & deux",
                "end 2",
                "start 2 {urn:p}c lang=en attrs=0",
                "end 2",
                "end 1");
    }

    @Test
    void aFragmentReadsInTheDefaultNamespaceItInheritsAndItsOwnDeclarationsWin() throws MappingException {
        String fragment = "<message><body>x</body><x xmlns='urn:x'><y/></x><p:z xmlns:p='urn:p'/></message>";
        List<String> seen = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) { // the second read reuses the thread's reader: nothing of the first is left
            seen.clear();
            parser.read(fragment, "jabber:server", reader -> {
                for (Event e = reader.next(); e != Event.END_DOCUMENT; e = reader.next()) {
                    if (e == Event.START) {
                        seen.add("{" + reader.namespace() + "}" + reader.localName());
                    }
                }
                return null;
            });
            assertThat(seen).containsExactly("{jabber:server}message", "{jabber:server}body", "{urn:x}x", "{urn:x}y", "{urn:p}z");
        }
        String alone = parser.read(fragment, (SafeXmlParser.Reading<String>) reader -> {
            reader.next();
            return reader.namespace();
        });
        assertThat(alone).as("with nothing inherited, no namespace").isEmpty();
        assertThatThrownBy(() -> parser.read("<message><s:x/></message>", "jabber:server", reader -> {
            while (reader.next() != Event.END_DOCUMENT) {
                // read on: the unbound prefix is refused
            }
            return null;
        })).isInstanceOf(MappingException.class);
    }

    @Test
    void comparesNamesInPlaceAndReadsAttributesByLocalNameLaterWinning() throws MappingException {
        parser.read("<s:state xmlns:s='urn:s' xmlns:xsi='urn:xsi' type='plain' xsi:type='aggregateState' manual='x&#9;y'/>",
                reader -> {
                    reader.next();
                    assertThat(reader.is("urn:s", "state")).isTrue();
                    assertThat(reader.is("urn:s", "stat")).isFalse();
                    assertThat(reader.is("urn:other", "state")).isFalse();
                    assertThat(reader.attribute("type")).isEqualTo("aggregateState");
                    assertThat(reader.attribute("manual")).isEqualTo("x\ty");
                    assertThat(reader.attribute("missing")).isNull();
                    assertThat(reader.attributeNamespace(1)).isEqualTo("urn:xsi");
                    assertThat(reader.attributeLocalName(1)).isEqualTo("type");
                    return null;
                });
    }

    @Test
    void attributeEqualsComparesTheValueInPlaceOrAfterResolvingReferences() throws MappingException {
        parser.read("<c xmlns:xsi='urn:xsi' name='state' xsi:type='aggregateState' manual='tr&#117;e' note='a\tb' tab='a&#9;b' empty=''/>",
                reader -> {
                    reader.next();
                    assertThat(reader.attributeEquals("name", "state")).isTrue();
                    assertThat(reader.attributeEquals("name", "stat")).isFalse();
                    assertThat(reader.attributeEquals("name", "states")).isFalse();
                    assertThat(reader.attributeEquals("name", "State")).isFalse();
                    assertThat(reader.attributeEquals("type", "aggregateState")).as("a prefixed attribute, by local name").isTrue();
                    assertThat(reader.attributeEquals("manual", "true")).as("a character reference resolved first").isTrue();
                    assertThat(reader.attributeEquals("manual", "tr&#117;e")).isFalse();
                    assertThat(reader.attributeEquals("note", "a b")).as("a literal tab normalised first").isTrue();
                    assertThat(reader.attributeEquals("note", "a\tb")).isFalse();
                    assertThat(reader.attributeEquals("tab", "a\tb")).as("a tab by reference is kept").isTrue();
                    assertThat(reader.attributeEquals("empty", "")).isTrue();
                    assertThat(reader.attributeEquals("missing", "")).as("absent is not empty").isFalse();
                    return null;
                });
    }

    @Test
    void elementTextMatchesTheTreeAndSkipElementLeavesTheReaderAfterTheEnd() throws MappingException {
        String xml = "<r><a>\r\n  <b>\r\n x</b>\n<c> \r\n</c> tail <!-- c --> end</a><d><e><f>deep</f></e></d><g>after</g></r>";
        XmlElement tree = parser.parse(xml);
        List<String> texts = parser.read(xml, reader -> {
            List<String> out = new ArrayList<>();
            reader.next(); // <r>
            reader.next(); // <a>
            out.add(reader.elementText());
            reader.next(); // <d>
            reader.skipElement();
            reader.next(); // <g>
            out.add(reader.localName() + ":" + reader.elementText());
            return out;
        });
        assertThat(texts).containsExactly(tree.child("", "a").orElseThrow().text(), "g:after");
        assertThat(texts.get(0)).isEqualTo(" tail  end");
    }

    @Test
    void nextChildVisitsDirectChildrenSkippingWhatTheCallerLeftUnread() throws MappingException {
        List<String> children = parser.read("<r>t<a><deep><er/></deep></a> <b k='1'/><c>text</c></r>", reader -> {
            List<String> seen = new ArrayList<>();
            reader.next();
            while (reader.nextChild(1)) {
                seen.add(reader.localName() + (reader.is("", "c") ? "=" + reader.elementText() : ""));
            }
            seen.add(reader.next().toString());
            return seen;
        });
        assertThat(children).containsExactly("a", "b", "c=text", "END_DOCUMENT");
    }

    @Test
    void firstChildTextTakesTheFirstDirectMatchAndReadsToTheEnd() throws MappingException {
        List<String> texts = parser.read("<r xmlns='urn:r'><s><x><b>deep</b></x><b xmlns='urn:o'>other</b><b> first </b>"
                + "<b>second</b></s><s><c/></s><t>after</t></r>", reader -> {
                    List<String> out = new ArrayList<>();
                    reader.next(); // <r>
                    reader.next(); // first <s>
                    out.add(reader.firstChildText("urn:r", "b"));
                    reader.next(); // second <s>
                    out.add(String.valueOf(reader.firstChildText("urn:r", "b")));
                    reader.next(); // <t>
                    out.add(reader.localName());
                    return out;
                });
        assertThat(texts).containsExactly(" first ", "null", "t");
    }

    @Test
    void whatTheCodecLeavesUnreadIsStillChecked() {
        assertThatThrownBy(() -> parser.read("<a><b/><c></a>", reader -> reader.next()))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("does not match");
        assertThatThrownBy(() -> parser.read("<a/><!DOCTYPE x>", reader -> reader.next()))
                .isInstanceOf(MappingException.class)
                .satisfies(e -> assertThat(((MappingException) e).reason()).isEqualTo(MappingException.Reason.FORBIDDEN_XML));
    }

    @Test
    void aBodyThatIsNotWellFormedIsRefusedAsMalformedEvenWhenTheCodecObjectedFirst() {
        MappingException unsupported = new MappingException(MappingException.Reason.UNSUPPORTED_BODY, "wrong root");
        assertThatThrownBy(() -> parser.read("<foo><a></b></foo>", reader -> {
            reader.next();
            throw unsupported;
        })).isInstanceOf(MappingException.class)
                .satisfies(e -> assertThat(((MappingException) e).reason()).isEqualTo(MappingException.Reason.MALFORMED_BODY));
        assertThatThrownBy(() -> parser.read("<foo/><!DOCTYPE x>", reader -> {
            reader.next();
            throw unsupported;
        })).satisfies(e -> assertThat(((MappingException) e).reason()).isEqualTo(MappingException.Reason.FORBIDDEN_XML));
        // a well-formed body keeps the codec's own refusal
        assertThatThrownBy(() -> parser.read("<foo><a/></foo>", reader -> {
            reader.next();
            throw unsupported;
        })).isSameAs(unsupported);
    }

    @Test
    void theFirstErrorStandsWhenTheReaderItselfRefused() {
        assertThatThrownBy(() -> parser.read("<a k='1' k='2'/>", reader -> reader.next()))
                .hasMessageContaining("duplicate attribute");
        assertThatThrownBy(() -> parser.parse("<a k='1' k='2'/>")).hasMessageContaining("duplicate attribute");
    }

    @Test
    void aReadInsideAnotherReadOnTheSameThreadHasItsOwnBuffer() throws MappingException {
        String outer = parser.read("<outer v='1'><x>outer text</x></outer>", reader -> {
            reader.next();
            String inner = parser.read("<inner w='2'>inner text that is longer than the outer one</inner>", r -> {
                r.next();
                return r.attribute("w") + r.elementText();
            });
            assertThat(inner).isEqualTo("2inner text that is longer than the outer one");
            String v = reader.attribute("v");
            reader.next();
            return v + reader.elementText();
        });
        assertThat(outer).isEqualTo("1outer text");
        // and the thread's buffer is free again afterwards
        assertThat(parser.parse("<again>ok</again>").text()).isEqualTo("ok");
    }

    @Test
    void theReaderRefusesWhatTheTreeRefuses() {
        for (String bad : new String[] {"<a k='1' k='2'/>", "<a xmlns:p='u' p:k='1' xmlns:q='u' q:k='2'/>", "<p:a/>",
                "<a xml:lang='en' xml:lang='fr'/>", "<a>&bogus;</a>", "<a k='&#0;'/>"}) {
            assertThatThrownBy(() -> parser.read(bad, reader -> reader.next())).as(bad).isInstanceOf(MappingException.class);
            assertThatThrownBy(() -> parser.parse(bad)).as(bad).isInstanceOf(MappingException.class);
        }
    }

    @Test
    void startOnlyOperationsSayWhenMisused() {
        assertThatThrownBy(() -> parser.read("<a>t</a>", reader -> {
            reader.next();
            reader.next(); // TEXT
            return reader.elementText();
        })).isInstanceOf(IllegalStateException.class);
    }
}
