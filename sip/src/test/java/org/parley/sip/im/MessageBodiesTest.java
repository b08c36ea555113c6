package org.parley.sip.im;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageBodiesTest {

    @Test
    void classifiesContentTypesCaseInsensitively() {
        assertThat(MessageBodies.kindOf("text", "plain")).isEqualTo(MessageBodies.Kind.PLAIN);
        assertThat(MessageBodies.kindOf("TEXT", "HTML")).isEqualTo(MessageBodies.Kind.HTML);
        assertThat(MessageBodies.kindOf("application", "im-iscomposing+xml")).isEqualTo(MessageBodies.Kind.UNSUPPORTED);
        assertThat(MessageBodies.kindOf(null, "plain")).isEqualTo(MessageBodies.Kind.UNSUPPORTED);
    }

    @Test
    void rendersHtmlAsTextWithLineBreaksAndEntities() {
        assertThat(MessageBodies.htmlToText("<p>Hello <b>Bob</b> &amp; co</p><p>line&nbsp;2&#33;<br/>3 &lt;x&gt;</p>"))
                .isEqualTo("Hello Bob & co\nline 2!\n3 <x>");
        assertThat(MessageBodies.htmlToText("a &bogus; b &#xZZ; c")).isEqualTo("a &bogus; b &#xZZ; c");
        assertThat(MessageBodies.htmlToText("unterminated <b")).isEqualTo("unterminated");
    }

    @Test
    void unknownCharsetsFallBackToUtf8() {
        assertThat(MessageBodies.charset("\"iso-8859-1\"").name()).isEqualTo("ISO-8859-1");
        assertThat(MessageBodies.charset("no-such-charset").name()).isEqualTo("UTF-8");
        assertThat(MessageBodies.charset(null).name()).isEqualTo("UTF-8");
    }
}
