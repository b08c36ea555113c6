package org.parley.presence.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class XmlWriterTest {

    @Test
    void variableAttributesAndTextAreEscapedFixedAttributesAreWrittenAsTheCodeGaveThem() {
        String xml = new XmlWriter().start("a").fixedAttribute("xmlns", "urn:x").attribute("v", "1 < 2 & \"3\"\n")
                .attribute("skipped", null).text("<b> & \u0001").end("a").toString();

        assertThat(xml).isEqualTo("<a xmlns=\"urn:x\" v=\"1 &lt; 2 &amp; &quot;3&quot;&#10;\">&lt;b&gt; &amp; </a>");
    }

    @Test
    void fixedStartTagsAndMarkupAreCopiedAndNumbersWrittenAsDigits() {
        String xml = new XmlWriter().start("p").attribute("from", "a&b")
                .fixedMarkup("<show>dnd</show>")
                .startFixed("<x xmlns=\"urn:x\"").attribute("n", 6500).attribute("m", -3).attribute("t", "<").end("x")
                .startFixed("<y").end("y")
                .startFixed("<z").text("1").end("z")
                .end("p").toString();

        assertThat(xml).isEqualTo("<p from=\"a&amp;b\"><show>dnd</show><x xmlns=\"urn:x\" n=\"6500\" m=\"-3\" t=\"&lt;\"/><y/><z>1</z></p>");
    }

    @Test
    void attributesOutsideAStartTagAreAProgrammingError() {
        XmlWriter out = new XmlWriter().start("a").text("t");
        assertThatThrownBy(() -> out.fixedAttribute("x", "y")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> out.attribute("x", "y")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> out.attribute("x", 1)).isInstanceOf(IllegalStateException.class);
    }
}
