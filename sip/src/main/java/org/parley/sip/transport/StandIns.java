package org.parley.sip.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stand-ins that let a request JAIN-SIP would drop, or answer only by its Via, still reach Parley's
 * listener and be answered: each replaces or adds what a response needs to copy — never the
 * Request-URI, which a response does not carry — so the header block parses. What was wrong is kept
 * in the {@link StrictSyntax.Violation}; the stand-in only carries the request to its answer.
 */
final class StandIns {

    private static final Pattern METHOD = Pattern.compile("([A-Za-z0-9.!%*_+`'~-]+)[ \\t].*", Pattern.DOTALL);
    private static final Pattern VIA_PREFIX = Pattern.compile("^SIP\\s*/\\s*2\\.0\\s*/\\s*([A-Za-z]+)\\s+([^;,\\s]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern CSEQ_NUMBER = Pattern.compile("^(\\d+)");
    private static final Pattern TAG = Pattern.compile("(?i)tag\\s*=\\s*([^;,\\s]+)");

    private StandIns() {
    }

    /**
     * The header block with a Request-Line JAIN-SIP could not parse replaced by a placeholder with the same method,
     * or null when not even a method can be read from it.
     *
     * @param startLine the block's first line, without its line end
     * @param lineEnd   the index of the first line's LF in {@code head}
     */
    static String requestLine(String head, String startLine, int lineEnd) {
        Matcher m = METHOD.matcher(startLine);
        if (m.matches() && lineEnd > 0) {
            return m.group(1) + " sip:invalid.invalid SIP/2.0" + head.substring(lineEnd - (head.charAt(lineEnd - 1) == '\r' ? 1 : 0));
        }
        return null;
    }

    /**
     * The header block with the header JAIN-SIP could not parse ({@code headerText}, as its parser
     * reported it) replaced by a value a response can copy — Via reduced to protocol and sent-by,
     * CSeq to a representable number and the request's method, To / From to a placeholder address
     * keeping the tag — or null when that header cannot be stood in for.
     */
    static String unparseableHeader(String head, String headerText) {
        int colon = headerText.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String name = headerText.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = headerText.substring(colon + 1).strip();
        String method = head.split("[ \t\r\n]", 2)[0];
        String replacement = switch (name) {
            case "via", "v" -> {
                Matcher m = VIA_PREFIX.matcher(value);
                yield m.find() ? "Via: SIP/2.0/" + m.group(1) + " " + m.group(2) : null;
            }
            case "cseq" -> {
                // more than nine digits may not fit JAIN-SIP's CSeq number (RFC 3261 §8.1.1.5: less than 2**31)
                Matcher m = CSEQ_NUMBER.matcher(value);
                String number = m.find() && m.group(1).length() <= 9 ? m.group(1) : "1";
                yield "CSeq: " + number + " " + method;
            }
            case "to", "t", "from", "f" -> {
                // the tag is kept: the response copies it (RFC 3261 §8.2.6.2), and the peer matches its dialog by it
                Matcher tag = TAG.matcher(value);
                yield (name.startsWith("t") ? "To" : "From") + ": <sip:unparseable.invalid>" + (tag.find() ? ";tag=" + tag.group(1) : "");
            }
            case "call-id", "i" -> "Call-ID: unparseable.invalid";
            case "max-forwards" -> "Max-Forwards: 70";
            default -> null;
        };
        if (replacement == null) {
            return null;
        }
        List<String> lines = new ArrayList<>(List.of(head.split("\r?\n", -1)));
        for (int i = 1; i < lines.size() && !lines.get(i).isEmpty(); i++) {
            String line = lines.get(i);
            int c = line.indexOf(':');
            if (c > 0 && !Character.isWhitespace(line.charAt(0)) && line.substring(0, c).strip().equalsIgnoreCase(headerText.substring(0, colon).strip())) {
                lines.set(i, replacement);
                while (i + 1 < lines.size() && !lines.get(i + 1).isEmpty() && Character.isWhitespace(lines.get(i + 1).charAt(0))) {
                    lines.remove(i + 1); // its continuation lines
                }
                return String.join("\r\n", lines);
            }
        }
        return null;
    }

    /**
     * Adds placeholder From / To / Call-ID headers where they are missing, so the request can be answered 400
     * (RFC 4475 §3.3.1); null when Via or CSeq is missing too, as without them there is nobody and nothing to answer.
     */
    static String missingHeaders(String head) {
        boolean[] present = new boolean[HeaderKind.ALL.size()];
        for (String header : HeaderLines.unfold(head.substring(head.indexOf('\n') + 1))) {
            int colon = header.indexOf(':');
            if (colon > 0) {
                HeaderKind kind = HeaderKind.of(header, 0, header.substring(0, colon).stripTrailing().length());
                if (kind != null) {
                    present[kind.ordinal()] = true;
                }
            }
        }
        if (!present[HeaderKind.VIA.ordinal()] || !present[HeaderKind.CSEQ.ordinal()]) {
            return null;
        }
        StringBuilder extra = new StringBuilder();
        if (!present[HeaderKind.FROM.ordinal()]) {
            extra.append("From: <sip:unknown.invalid>;tag=parley-missing\r\n");
        }
        if (!present[HeaderKind.TO.ordinal()]) {
            extra.append("To: <sip:unknown.invalid>\r\n");
        }
        if (!present[HeaderKind.CALL_ID.ordinal()]) {
            extra.append("Call-ID: missing.invalid\r\n");
        }
        int firstLineEnd = head.indexOf('\n') + 1;
        return head.substring(0, firstLineEnd) + extra + head.substring(firstLineEnd);
    }

    /**
     * The header block with every CSeq given the Request-Line's method, so JAIN-SIP's transaction layer does not
     * answer the mismatch itself; null when there is no CSeq.
     */
    static String cseqMethod(String head, String method) {
        return withHeaderValue(head, "CSeq", null, v -> v.replaceFirst("[^\\s]+\\s*$", method));
    }

    /**
     * The header block with every Content-Length that is not a length made 0, which JAIN-SIP would otherwise drop
     * the request for; null when there is no Content-Length.
     */
    static String readableLength(String head) {
        return withHeaderValue(head, "Content-Length", "l", v -> SipGrammar.isLength(v, 0, v.length()) ? v : "0");
    }

    /**
     * The header block with the value of every {@code name} (or {@code compact}) header changed by {@code change};
     * null when there is none.
     */
    private static String withHeaderValue(String head, String name, String compact, UnaryOperator<String> change) {
        Pattern line = Pattern.compile("(?im)^(" + Pattern.quote(name) + (compact == null ? "" : "|" + Pattern.quote(compact))
                + ")([ \\t]*:)([^\\r\\n]*)");
        Matcher m = line.matcher(head);
        StringBuilder out = new StringBuilder();
        boolean any = false;
        while (m.find()) {
            any = true;
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + m.group(2) + " " + change.apply(m.group(3).strip())));
        }
        m.appendTail(out);
        return any ? out.toString() : null;
    }
}
