package org.parley.gateway.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The trace's redaction scans by hand since issue #29; it must redact exactly what the regular
 * expressions it replaced redacted. The former expressions are kept here as the oracle and both run on
 * real messages and on 200,000 random mixes of the tokens that matter (tags, header names, line ends,
 * case, word boundaries).
 */
class BodyRedactionTest {

    private static final Pattern XML_BODY = Pattern.compile("(<body\\b[^>]*>)(.*?)(</body>)|(<html\\b[^>]*>)(.*?)(</html>)", Pattern.DOTALL);
    private static final Pattern SIP_BLANK_LINE = Pattern.compile("\r?\n\r?\n");
    private static final Pattern TEXT_CONTENT_TYPE = Pattern.compile("(?im)^(content-type|c)\\s*:\\s*text/");

    private static String oracleSip(String raw) {
        Matcher blank = SIP_BLANK_LINE.matcher(raw);
        if (!blank.find() || blank.end() >= raw.length()) {
            return raw;
        }
        String head = raw.substring(0, blank.start());
        return TEXT_CONTENT_TYPE.matcher(head).find() ? head + blank.group() + "[redacted " + (raw.length() - blank.end()) + " chars]" : raw;
    }

    private static String oracleXml(String xml) {
        Matcher m = XML_BODY.matcher(xml);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = m.group(1) != null ? m.group(1) + "[redacted " + m.group(2).length() + " chars]" + m.group(3)
                    : m.group(4) + "[redacted html]" + m.group(6);
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    @Test
    void aSipImLosesItsBodyAndKeepsItsHeaders() {
        String raw = "MESSAGE sip:alice@lync.test SIP/2.0\r\nCall-ID: 1\r\nContent-Type: text/plain;charset=UTF-8\r\nContent-Length: 5\r\n\r\nhello";
        assertThat(BodyRedaction.sip(raw)).isEqualTo(raw.substring(0, raw.length() - 5) + "[redacted 5 chars]").isEqualTo(oracleSip(raw));
        String pidf = "NOTIFY sip:a SIP/2.0\r\nc: application/pidf+xml\r\n\r\n<presence/>";
        assertThat(BodyRedaction.sip(pidf)).isEqualTo(pidf);
    }

    @Test
    void aStanzaLosesItsBodiesAndXhtml() {
        String xml = "<message id='m1'><body>secret</body><html xmlns='http://jabber.org/protocol/xhtml-im'><body>x</body></html><bodyguard/></message>";
        assertThat(BodyRedaction.xml(xml)).isEqualTo(oracleXml(xml))
                .isEqualTo("<message id='m1'><body>[redacted 6 chars]</body><html xmlns='http://jabber.org/protocol/xhtml-im'>[redacted html]</html>"
                        + "<bodyguard/></message>");
    }

    @Test
    void randomMixesRedactAsTheFormerExpressionsDid() {
        List<String> xmlTokens = List.of("<body>", "<body xml:lang='en'>", "</body>", "<body/>", "<bodyx>", "<body_>", "<bodyé>", "<body\u0301>",
                "<html>", "<html xmlns='x'>", "</html>", "<htm>", "<", ">", "text", "é", "\n", " ", "/", "<message>", "</message>", "<BODY>");
        List<String> sipTokens = List.of("Content-Type", "content-type", "CONTENT-TYPE", "c", "C", "Content-Typo", ":", " ", "\t", "text/",
                "TEXT/", "plain", "application/pidf+xml", "\r\n", "\n", "\r", "\u0085", "\u2028", "x", "Call-ID: 1", "body");
        Random random = new Random(29);
        for (int i = 0; i < 100_000; i++) {
            String xml = mix(random, xmlTokens);
            assertThat(BodyRedaction.xml(xml)).as("xml %s", xml).isEqualTo(oracleXml(xml));
            String sip = mix(random, sipTokens);
            assertThat(BodyRedaction.sip(sip)).as("sip %s", sip).isEqualTo(oracleSip(sip));
        }
    }

    private static String mix(Random random, List<String> tokens) {
        StringBuilder b = new StringBuilder();
        int n = random.nextInt(24);
        for (int i = 0; i < n; i++) {
            b.append(tokens.get(random.nextInt(tokens.size())));
        }
        return b.toString();
    }
}
