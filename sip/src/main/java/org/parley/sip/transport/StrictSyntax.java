package org.parley.sip.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The RFC 3261 syntax rules JAIN-SIP 1.3.0-91's parser reads leniently or not at all, checked on
 * the raw header block before it parses (RFC 4475's torture cases name them):
 * <ul>
 *   <li>the Request-Line is exactly {@code Method SP Request-URI SP SIP/2.0}: several spaces, trailing
 *       spaces, {@code <>} around or whitespace inside the URI, headers ({@code ?...}) in a SIP URI → 400; another version → 505 (§8.2.2.1
 *       is silent, RFC 4475 §3.1.2.16 asks for 505);</li>
 *   <li>a header that allows one value (To, From, Call-ID, CSeq, Max-Forwards, Content-Length,
 *       Content-Type) appears once (§7.3, RFC 4475 §3.3.8, §3.3.9);</li>
 *   <li>in To, From, Contact and Reply-To: a display name is tokens or a quoted string, no
 *       whitespace just inside {@code <>}, and an addr-spec with {@code ?} headers is enclosed in
 *       {@code <>} (§20.10, §25.1; RFC 4475 §3.1.2.13–15).</li>
 * </ul>
 * A Request-Line JAIN-SIP could not parse at all is replaced by a placeholder so that the rest of
 * the request can still be answered: the response copies headers, never the Request-URI.
 */
public final class StrictSyntax {

    /**
     * What is wrong with a request.
     *
     * @param status              the status to answer with; 0 when no response can be formed
     * @param reason              why, in words
     * @param original            the header block as it arrived when what is wrong would be hidden by JAIN-SIP's
     *                            re-encoding or by a repair (for the trace), else null
     * @param beforeTheListener   JAIN-SIP itself answers or drops such a request before Parley's listener sees it,
     *                            so it is reported from the parser
     * @param methodFirst         the method check (405 / 501, RFC 3261 §8.2.1) comes first: what is wrong is the
     *                            CSeq's method, and for a method Parley does not know 501 says more (RFC 4475 §3.1.2.18)
     * @param closesConnection    the message's framing on a stream is lost (a Content-Length that is not one length):
     *                            the connection is closed after the answer (RFC 4475 §3.1.2.3, §3.3.9)
     */
    public record Violation(int status, String reason, String original, boolean beforeTheListener, boolean methodFirst,
                            boolean closesConnection) {

        public Violation(int status, String reason, String original, boolean beforeTheListener) {
            this(status, reason, original, beforeTheListener, false, false);
        }

        Violation(int status, String reason) {
            this(status, reason, null, false);
        }

        Violation withOriginal(String head) {
            return new Violation(status, reason, head, beforeTheListener, methodFirst, closesConnection);
        }
    }

    /**
     * @param violation    what is wrong, null if nothing
     * @param repairedHead the header block to parse instead (Request-Line replaced), null to parse the original
     */
    public record Verdict(Violation violation, String repairedHead) {
        static final Verdict CLEAN = new Verdict(null, null);
    }

    private static final String TOKEN_CHARS = "-.!%*_+`'~";
    private static final Pattern STRICT_REQUEST_LINE = Pattern.compile("([A-Za-z0-9.!%*_+`'~-]+) ([^\\s<>]+) SIP/2\\.0");
    private static final Pattern OTHER_VERSION = Pattern.compile("([A-Za-z0-9.!%*_+`'~-]+) ([^\\s<>]+) SIP/(\\d+\\.\\d+)");
    private static final Pattern VIA_PREFIX = Pattern.compile("^SIP\\s*/\\s*2\\.0\\s*/\\s*([A-Za-z]+)\\s+([^;,\\s]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern CSEQ_NUMBER = Pattern.compile("^(\\d+)");
    private static final Pattern TAG = Pattern.compile("(?i)tag\\s*=\\s*([^;,\\s]+)");
    private static final Pattern METHOD = Pattern.compile("([A-Za-z0-9.!%*_+`'~-]+)[ \\t].*", Pattern.DOTALL);
    private StrictSyntax() {
    }

    /** Checks a request's or response's header block (start line and headers, no body). */
    public static Verdict inspect(String head) {
        int lineEnd = head.indexOf('\n');
        String startLine = stripCr(lineEnd < 0 ? head : head.substring(0, lineEnd));
        if (startLine.startsWith("SIP/")) {
            return Verdict.CLEAN; // responses: JAIN-SIP's reading is what the transaction layer needs
        }
        Violation requestLine = requestLine(startLine);
        String repaired = null;
        if (requestLine != null && requestLine.status() == 400) {
            Matcher m = METHOD.matcher(startLine);
            if (m.matches() && lineEnd > 0) {
                repaired = m.group(1) + " sip:invalid.invalid SIP/2.0" + head.substring(lineEnd - (head.charAt(lineEnd - 1) == '\r' ? 1 : 0));
            }
        }
        Violation headers = lineEnd < 0 ? headers("", 0, startLine) : headers(head, lineEnd + 1, startLine);
        if (headers != null && headers.status() == 0 && lineEnd > 0) {
            // missing From / To / Call-ID: with placeholders the request can still be answered 400 (RFC 4475 §3.3.1)
            String withPlaceholders = addMissing(repaired != null ? repaired : head);
            if (withPlaceholders != null) {
                repaired = withPlaceholders;
                headers = new Violation(400, headers.reason().replace(": no response can be formed", ""));
            }
        }
        Violation first = requestLine != null ? requestLine : headers;
        if (first == null) {
            return Verdict.CLEAN;
        }
        if (first == headers && lineEnd > 0 && (headers.methodFirst() || headers.closesConnection())) {
            // JAIN-SIP would answer a CSeq mismatch itself (by the Via, so to nobody on a stream) and drop a Content-Length
            // it cannot read: with the CSeq's method made the Request-Line's, the length made 0, Parley's listener answers
            String method = startLine.substring(0, Math.max(0, startLine.indexOf(' ')));
            String fixed = headers.methodFirst() ? withHeaderValue(head, "CSeq", null, v -> v.replaceFirst("[^\\s]+\\s*$", method))
                    : withHeaderValue(head, "Content-Length", "l", v -> isLength(v, 0, v.length()) ? v : "0");
            if (fixed != null && !fixed.equals(head)) {
                repaired = fixed;
            }
        }
        return new Verdict(requestLine != null || repaired != null ? first.withOriginal(head) : first, repaired);
    }

    /**
     * The header block with the header JAIN-SIP could not parse ({@code headerText}, as its parser
     * reported it) replaced by a value a response can copy — Via reduced to protocol and sent-by,
     * CSeq to a representable number and the request's method, To / From to a placeholder address
     * keeping the tag — or null when that header cannot be stood in for.
     */
    public static String repairHeader(String head, String headerText) {
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
                Matcher m = CSEQ_NUMBER.matcher(value);
                String number = m.find() && m.group(1).length() <= 9 ? m.group(1) : "1";
                yield "CSeq: " + number + " " + method;
            }
            case "to", "t", "from", "f" -> {
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

    /** Adds placeholder From / To / Call-ID headers where they are missing, or null when Via or CSeq is missing too. */
    private static String addMissing(String head) {
        boolean[] present = new boolean[KIND_NAMES.length];
        for (String header : unfold(head.substring(head.indexOf('\n') + 1))) {
            int colon = header.indexOf(':');
            if (colon > 0) {
                int k = kind(header, 0, header.substring(0, colon).stripTrailing().length());
                if (k >= 0) {
                    present[k] = true;
                }
            }
        }
        if (!present[VIA] || !present[CSEQ]) {
            return null;
        }
        StringBuilder extra = new StringBuilder();
        if (!present[FROM]) {
            extra.append("From: <sip:unknown.invalid>;tag=parley-missing\r\n");
        }
        if (!present[TO]) {
            extra.append("To: <sip:unknown.invalid>\r\n");
        }
        if (!present[CALL_ID]) {
            extra.append("Call-ID: missing.invalid\r\n");
        }
        int firstLineEnd = head.indexOf('\n') + 1;
        return head.substring(0, firstLineEnd) + extra + head.substring(firstLineEnd);
    }

    private static Violation requestLine(String line) {
        if (strictRequestLine(line) || STRICT_REQUEST_LINE.matcher(line).matches()) {
            return headersInRequestUri(line) ? new Violation(400, "headers in a SIP Request-URI (RFC 3261 §19.1.1: not allowed there)")
                    : null;
        }
        Matcher other = OTHER_VERSION.matcher(line);
        if (other.matches()) {
            return new Violation(505, "SIP/" + other.group(3) + " is not supported");
        }
        return new Violation(400, "malformed Request-Line (RFC 3261 §25.1: Method SP Request-URI SP SIP/2.0)");
    }

    /** A sip: or sips: Request-URI with a {@code ?headers} part (RFC 4475 §3.1.2.11), in a well-formed Request-Line. */
    private static boolean headersInRequestUri(String line) {
        int sp1 = line.indexOf(' ');
        int sp2 = line.lastIndexOf(' ');
        if (sp1 < 0 || sp2 <= sp1 || !(line.regionMatches(true, sp1 + 1, "sip:", 0, 4) || line.regionMatches(true, sp1 + 1, "sips:", 0, 5))) {
            return false;
        }
        // '?' is legal in the user part (RFC 4475 §3.1.1.2); headers follow the host, after the userinfo's '@'
        int at = line.indexOf('@', sp1);
        int question = line.indexOf('?', at >= 0 && at < sp2 ? at : sp1);
        return question >= 0 && question < sp2;
    }

    /** {@code Method SP Request-URI SP SIP/2.0} checked by hand: the regex costs more than the rest of a clean check. */
    private static boolean strictRequestLine(String line) {
        int sp1 = line.indexOf(' ');
        if (sp1 <= 0 || !line.endsWith(" SIP/2.0")) {
            return false;
        }
        int uriEnd = line.length() - 8;
        if (uriEnd <= sp1 + 1) {
            return false;
        }
        for (int i = 0; i < sp1; i++) {
            char c = line.charAt(i);
            if (!(c < 0x80 && Character.isLetterOrDigit(c)) && TOKEN_CHARS.indexOf(c) < 0) {
                return false;
            }
        }
        for (int i = sp1 + 1; i < uriEnd; i++) {
            char c = line.charAt(i);
            if (c <= ' ' || c == '<' || c == '>' || Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }

    // header kinds the checks care about, by their long and compact names
    private static final int TO = 0;
    private static final int FROM = 1;
    private static final int CALL_ID = 2;
    private static final int CSEQ = 3;
    private static final int MAX_FORWARDS = 4;
    private static final int CONTENT_LENGTH = 5;
    private static final int CONTENT_TYPE = 6;
    private static final int CONTACT = 7;
    private static final int REPLY_TO = 8;
    private static final int VIA = 9;
    private static final String[] KIND_NAMES = {"To", "From", "Call-ID", "CSeq", "Max-Forwards", "Content-Length", "Content-Type",
        "Contact", "Reply-To", "Via"};

    /** The kind of the header named s[start, end), or -1; case-insensitive, no allocation. */
    private static int kind(String s, int start, int end) {
        int len = end - start;
        if (len == 1) {
            switch (Character.toLowerCase(s.charAt(start))) {
                case 't': return TO;
                case 'f': return FROM;
                case 'i': return CALL_ID;
                case 'l': return CONTENT_LENGTH;
                case 'c': return CONTENT_TYPE;
                case 'm': return CONTACT;
                case 'v': return VIA;
                default: return -1;
            }
        }
        for (int k = 0; k < KIND_NAMES.length; k++) {
            if (KIND_NAMES[k].length() == len && s.regionMatches(true, start, KIND_NAMES[k], 0, len)) {
                return k;
            }
        }
        return -1;
    }

    /** The header lines of {@code block} from {@code from} on, in one pass without copies. */
    private static Violation headers(String block, int from, String requestLine) {
        int[] counts = new int[KIND_NAMES.length];
        int cseqStart = -1;
        int cseqEnd = -1;
        int n = block.length();
        for (int pos = from; pos < n; ) {
            if (pos > from && (block.charAt(pos) == ' ' || block.charAt(pos) == '\t')) {
                // continuation lines (rare): unfold, then the same scan; the unfolded block has none but perhaps its first line
                return headers(String.join("\r\n", unfold(block.substring(from))) + "\r\n", 0, requestLine);
            }
            int eol = block.indexOf('\n', pos);
            if (eol < 0) {
                eol = n;
            }
            int end = eol > pos && block.charAt(eol - 1) == '\r' ? eol - 1 : eol;
            if (end == pos) {
                break; // the blank line ending the header block
            }
            int colon = block.indexOf(':', pos);
            if (colon > pos && colon < end) {
                int nameEnd = colon;
                while (nameEnd > pos && (block.charAt(nameEnd - 1) == ' ' || block.charAt(nameEnd - 1) == '\t')) {
                    nameEnd--;
                }
                int k = kind(block, pos, nameEnd);
                if (k >= 0) {
                    if (++counts[k] > 1 && k <= CONTENT_TYPE) {
                        return new Violation(400, "several " + KIND_NAMES[k] + " headers (RFC 3261 §7.3: it takes one value)", null,
                                false, false, k == CONTENT_LENGTH);
                    }
                    if (k == CONTENT_LENGTH && !isLength(block, colon + 1, end)) {
                        return new Violation(400, "Content-Length " + block.substring(colon + 1, end).strip()
                                + " is not a length (RFC 3261 §20.14)", null, false, false, true);
                    }
                    if (k == CSEQ) {
                        cseqStart = colon + 1;
                        cseqEnd = end;
                    } else if (k == TO || k == FROM || k == CONTACT || k == REPLY_TO) {
                        String problem = nameAddrProblem(block.substring(colon + 1, end).strip(), k != CONTACT);
                        if (problem != null) {
                            return new Violation(400, KIND_NAMES[k] + ": " + problem);
                        }
                    }
                }
            }
            pos = eol + 1;
        }
        if (counts[TO] == 0 || counts[FROM] == 0 || counts[CALL_ID] == 0 || counts[CSEQ] == 0 || counts[VIA] == 0) {
            List<String> missing = new ArrayList<>();
            for (int k : new int[] {TO, FROM, CALL_ID, CSEQ, VIA}) {
                if (counts[k] == 0) {
                    missing.add(KIND_NAMES[k]);
                }
            }
            // JAIN-SIP drops these before any listener: a response could not copy what is missing (RFC 3261 §8.1.1)
            return new Violation(0, "no " + String.join(", ", missing) + " header (RFC 3261 §8.1.1): no response can be formed",
                    null, true);
        }
        return cseqMethod(block.substring(cseqStart, cseqEnd).strip(), requestLine);
    }

    /** JAIN-SIP's transaction layer answers a CSeq whose method is not the request's 400 itself: reported from the parser. */
    private static Violation cseqMethod(String cseq, String requestLine) {
        int i = 0;
        while (i < cseq.length() && Character.isDigit(cseq.charAt(i))) {
            i++;
        }
        int methodStart = i;
        while (methodStart < cseq.length() && (cseq.charAt(methodStart) == ' ' || cseq.charAt(methodStart) == '\t')) {
            methodStart++;
        }
        if (i == 0 || methodStart == i || methodStart == cseq.length()) {
            return null; // not "number method": JAIN-SIP's CSeq parser judges it
        }
        int methodEnd = methodStart;
        while (methodEnd < cseq.length() && cseq.charAt(methodEnd) != ' ' && cseq.charAt(methodEnd) != '\t') {
            methodEnd++;
        }
        if (methodEnd != cseq.length()) {
            return null;
        }
        int sp = requestLine.indexOf(' ');
        int len = methodEnd - methodStart;
        if (sp == len && requestLine.regionMatches(0, cseq, methodStart, len)) {
            return null;
        }
        String method = requestLine.substring(0, Math.max(0, sp));
        return new Violation(400, "CSeq method " + cseq.substring(methodStart) + " differs from the Request-Line's " + method
                + " (RFC 3261 §8.1.1.5)", null, false, true, false);
    }

    /** Whether s[start, end) is a Content-Length value: digits, with optional surrounding whitespace. */
    private static boolean isLength(String s, int start, int end) {
        String v = s.substring(start, end).strip();
        return !v.isEmpty() && v.chars().allMatch(Character::isDigit);
    }

    /**
     * The header block with the value of every {@code name} (or {@code compact}) header changed by {@code change};
     * null when there is none.
     */
    private static String withHeaderValue(String head, String name, String compact, java.util.function.UnaryOperator<String> change) {
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

    /** Header lines with continuation lines (leading SP / HTAB) joined, RFC 3261 §7.3.1. */
    static List<String> unfold(String block) {
        List<String> out = new ArrayList<>();
        StringBuilder current = null;
        for (String raw : block.split("\n", -1)) {
            String line = stripCr(raw);
            if (line.isEmpty()) {
                break; // end of the header block
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                current.append(' ').append(line.strip());
            } else {
                if (current != null) {
                    out.add(current.toString());
                }
                current = new StringBuilder(line);
            }
        }
        if (current != null) {
            out.add(current.toString());
        }
        return out;
    }

    /** The first problem of a To / From / Contact value (a Contact may list several, comma-separated), or null. */
    static String nameAddrProblem(String value, boolean single) {
        if (value.equals("*")) {
            return null;
        }
        for (String entry : single ? List.of(value) : splitEntries(value)) {
            String problem = entryProblem(entry.strip());
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String entryProblem(String entry) {
        int lt = indexOutsideQuotes(entry, '<');
        if (lt < 0) {
            int semi = entry.indexOf(';');
            String addrSpec = semi < 0 ? entry : entry.substring(0, semi);
            if (addrSpec.indexOf('?') >= 0) {
                return "an address with '?' headers must be enclosed in <> (RFC 3261 §20.10)";
            }
            return null;
        }
        String display = entry.substring(0, lt).strip();
        if (!display.isEmpty() && display.charAt(0) != '"') {
            for (int i = 0; i < display.length(); i++) {
                char c = display.charAt(i);
                if (!(Character.isLetterOrDigit(c) && c < 0x80) && TOKEN_CHARS.indexOf(c) < 0 && c != ' ' && c != '\t') {
                    return "display name '" + display + "' must be tokens or a quoted string (RFC 3261 §25.1)";
                }
            }
        }
        int gt = entry.indexOf('>', lt);
        if (gt > lt + 1 && (Character.isWhitespace(entry.charAt(lt + 1)) || Character.isWhitespace(entry.charAt(gt - 1)))) {
            return "whitespace inside <" + entry.substring(lt + 1, gt).strip() + "> (RFC 3261 §25.1: no LWS in an addr-spec)";
        }
        return null;
    }

    /** Splits a Contact value at commas outside quotes and angle brackets. */
    private static List<String> splitEntries(String value) {
        List<String> out = new ArrayList<>(1);
        int angle = 0;
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                i = closingQuote(value, i);
            } else if (c == '<') {
                angle++;
            } else if (c == '>' && angle > 0) {
                angle--;
            } else if (c == ',' && angle == 0) {
                out.add(value.substring(start, i));
                start = i + 1;
            }
        }
        out.add(value.substring(start));
        return out;
    }

    private static int indexOutsideQuotes(String s, char wanted) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                i = closingQuote(s, i);
            } else if (c == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the quote closing the quoted string opened at {@code open} (backslash escapes), or the end. */
    private static int closingQuote(String s, int open) {
        for (int i = open + 1; i < s.length(); i++) {
            if (s.charAt(i) == '\\') {
                i++;
            } else if (s.charAt(i) == '"') {
                return i;
            }
        }
        return s.length();
    }

    private static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
