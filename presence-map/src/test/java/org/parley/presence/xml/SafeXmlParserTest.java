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
}
