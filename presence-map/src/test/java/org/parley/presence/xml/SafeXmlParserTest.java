package org.parley.presence.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.parley.presence.MappingException;

class SafeXmlParserTest {

    @Test
    void refusesBodiesOverTheSizeLimitBeforeParsing() {
        SafeXmlParser parser = new SafeXmlParser(new XmlLimits(1024, 8, 100));
        String big = "<r>" + "x".repeat(2000) + "</r>";
        assertThatThrownBy(() -> parser.parse(big))
                .isInstanceOf(MappingException.class)
                .satisfies(e -> assertThat(((MappingException) e).reason()).isEqualTo(MappingException.Reason.TOO_LARGE))
                .hasMessageContaining("exceeds the limit of 1024");
    }

    @Test
    void keepsNamespacesAttributesAndInheritedLanguage() throws MappingException {
        XmlElement root = new SafeXmlParser().parse(
                "<a xmlns='urn:x' xml:lang='fr' k='v'><b>un</b><b xml:lang='en'>one</b><c xmlns='urn:y'/></a>");
        assertThat(root.is("urn:x", "a")).isTrue();
        assertThat(root.attribute("k")).isEqualTo("v");
        assertThat(root.attributes()).doesNotContainKey("lang");
        assertThat(root.children("urn:x", "b")).extracting(XmlElement::lang).containsExactly("fr", "en");
        assertThat(root.child("urn:y", "c")).isPresent();
    }

    @Test
    void writerEscapesTextAndAttributesAndDropsCharactersXmlCannotCarry() throws MappingException {
        String xml = new XmlWriter().start("a").attribute("v", "\"<&>\"\n").text("<&>\u0001\uD800ok").end("a").toString();
        assertThat(xml).isEqualTo("<a v=\"&quot;&lt;&amp;&gt;&quot;&#10;\">&lt;&amp;&gt;ok</a>");
        XmlElement back = new SafeXmlParser().parse(xml);
        assertThat(back.attribute("v")).isEqualTo("\"<&>\"\n");
        assertThat(back.text()).isEqualTo("<&>ok");
    }

    @Test
    void readsCdataCommentsProcessingInstructionsAndCharacterReferences() throws MappingException {
        XmlElement root = new SafeXmlParser().parse(
                "\uFEFF<?xml version='1.0'?><!-- c --><a><?pi x?>x<![CDATA[<b>&amp;</b>]]>&#233;&#x1F600;<!-- in -->y</a><!-- after -->");
        assertThat(root.text()).isEqualTo("x<b>&amp;</b>\u00e9\uD83D\uDE00y");
    }

    @Test
    void normalisesLineEndsInTextAndWhitespaceInAttributes() throws MappingException {
        XmlElement root = new SafeXmlParser().parse("<a v='x\ty\r\nz&#10;'>1\r\n2\r3</a>");
        assertThat(root.attribute("v")).isEqualTo("x y z\n");
        assertThat(root.text()).isEqualTo("1\n2\n3");
    }

    @Test
    void keepsWhitespaceAsTextOnlyWhereNoChildElementFollows() throws MappingException {
        XmlElement root = new SafeXmlParser().parse(
                "<a>\r\n  <b>\r\n x</b>\n<c> \r\n</c><d> <!-- c -->\t</d><e>\n <![CDATA[z]]></e><f> &amp; </f>\n</a>");
        assertThat(root.text()).isEmpty();
        assertThat(root.childText("", "b")).isEqualTo("x");
        assertThat(root.child("", "b").orElseThrow().text()).isEqualTo("\n x");
        assertThat(root.child("", "c").orElseThrow().text()).isEqualTo(" \n");
        assertThat(root.child("", "d").orElseThrow().text()).isEqualTo(" \t");
        assertThat(root.child("", "e").orElseThrow().text()).isEqualTo("\n z");
        assertThat(root.child("", "f").orElseThrow().text()).isEqualTo(" & ");
        assertThat(root.children()).hasSize(5);
    }

    @Test
    void parsesDocumentsLongerThanTheReusedBufferAndAfterThem() throws MappingException {
        SafeXmlParser parser = new SafeXmlParser();
        String big = "<r>" + "<i>v</i>".repeat(2000) + "</r>";
        assertThat(parser.parse(big).children()).hasSize(2000);
        assertThat(parser.parse("<s>tail</s>").text()).isEqualTo("tail");
        assertThat(parser.parse("<t>" + "y".repeat(40_000) + "</t>").text()).hasSize(40_000);
        assertThat(parser.parse("<u/>").name()).isEqualTo("u");
    }

    @Test
    void resolvesPrefixedNamespacesOnElementsAndAttributes() throws MappingException {
        XmlElement root = new SafeXmlParser().parse(
                "<p:a xmlns:p='urn:p' xmlns:q='urn:q' xmlns='urn:d'><b q:k='1' k='2'/><p:c xmlns:p='urn:p2'/></p:a>");
        assertThat(root.is("urn:p", "a")).isTrue();
        XmlElement b = root.children().get(0);
        assertThat(b.is("urn:d", "b")).isTrue();
        assertThat(root.children().get(1).is("urn:p2", "c")).isTrue();
        // two namespaces, one local name: both are legal; lookup by local name gives the later one
        assertThat(b.attribute("k")).isEqualTo("2");
        assertThat(b.attributes()).containsExactly(org.assertj.core.api.Assertions.entry("k", "2"));
    }

    @Test
    void refusesWhatIsNotWellFormed() {
        SafeXmlParser parser = new SafeXmlParser();
        for (String bad : new String[] {
                "<a><b></a></b>", "<x:a/>", "<a x:k='1'/>", "<a k='1' k='2'/>", "<a k=1/>", "<a>]]></a>",
                "<a>&#0;</a>", "<a>&#xD800;</a>", "<a>&unknown;</a>", "<a", "<a k='<'/>", "text", "<a/>tail",
                "<:a/>", "<a><!ELEMENT x ANY></a>", "<a kk/>", "<a><![CDATA[x</a>", "<a></ab>", "<ab></a>",
                "<a xml:lang='en' xml:lang='fr'/>", "<a xmlns:p='urn:u' xmlns:p='urn:v'/>", "<a>&#+65;</a>", "<a>&#x-41;</a>"}) {
            assertThatThrownBy(() -> parser.parse(bad)).as(bad).isInstanceOf(MappingException.class);
        }
    }

    @Test
    void deepNestingFailsWithTooLargeNotAStackOverflow() {
        String deep = "<a>".repeat(100_000) + "</a>".repeat(100_000);
        assertThatThrownBy(() -> new SafeXmlParser(new XmlLimits(1_000_000, 32, 1_000_000)).parse(deep))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("nesting deeper than 32");
    }
}
