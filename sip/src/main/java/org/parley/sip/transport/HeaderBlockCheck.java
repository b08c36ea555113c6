package org.parley.sip.transport;

import java.util.ArrayList;
import java.util.List;
import org.parley.sip.transport.StrictSyntax.Violation;

/**
 * The rules on a request's header lines, in one pass over the raw block without copies (it runs on
 * every message): a header that takes one value (To, From, Call-ID, CSeq, Max-Forwards,
 * Content-Length, Content-Type) appears once (RFC 3261 §7.3, RFC 4475 §3.3.8, §3.3.9); a
 * Content-Length is a length (§20.14); the addresses of To, From, Contact and Reply-To
 * ({@link NameAddrCheck}); the headers every request carries are there (§8.1.1); the CSeq's method
 * is the Request-Line's ({@link CSeqMethodCheck}).
 */
final class HeaderBlockCheck {

    private HeaderBlockCheck() {
    }

    /** The first problem of the header lines of {@code block} from {@code from} on, or null. */
    static Violation check(String block, int from, String requestLine) {
        int[] counts = new int[HeaderKind.ALL.size()];
        int cseqStart = -1;
        int cseqEnd = -1;
        int n = block.length();
        for (int pos = from; pos < n; ) {
            if (pos > from && (block.charAt(pos) == ' ' || block.charAt(pos) == '\t')) {
                // continuation lines (rare): unfold, then the same scan; the unfolded block has none but perhaps its first line
                return check(String.join("\r\n", HeaderLines.unfold(block.substring(from))) + "\r\n", 0, requestLine);
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
                HeaderKind kind = HeaderKind.of(block, pos, nameEnd);
                if (kind != null) {
                    if (++counts[kind.ordinal()] > 1 && kind.once) {
                        // two lengths leave the stream's framing undecided: the connection closes after the answer
                        return new Violation(400, "several " + kind.displayName + " headers (RFC 3261 §7.3: it takes one value)", null,
                                false, false, kind == HeaderKind.CONTENT_LENGTH);
                    }
                    if (kind == HeaderKind.CONTENT_LENGTH && !SipGrammar.isLength(block, colon + 1, end)) {
                        return new Violation(400, "Content-Length " + block.substring(colon + 1, end).strip()
                                + " is not a length (RFC 3261 §20.14)", null, false, false, true);
                    }
                    if (kind == HeaderKind.CSEQ) {
                        cseqStart = colon + 1; // judged after the whole block: every other problem comes first
                        cseqEnd = end;
                    } else if (kind.holdsAddresses()) {
                        // only a Contact may list several addresses
                        String problem = NameAddrCheck.problem(block.substring(colon + 1, end).strip(), kind != HeaderKind.CONTACT);
                        if (problem != null) {
                            return new Violation(400, kind.displayName + ": " + problem);
                        }
                    }
                }
            }
            pos = eol + 1;
        }
        for (int k = 0; k < HeaderKind.MANDATORY.size(); k++) {
            if (counts[HeaderKind.MANDATORY.get(k).ordinal()] == 0) {
                return missing(counts);
            }
        }
        return CSeqMethodCheck.check(block.substring(cseqStart, cseqEnd).strip(), requestLine);
    }

    /** Names what is missing: the list is built only then, not on every clean check. */
    private static Violation missing(int[] counts) {
        List<String> missing = new ArrayList<>();
        for (HeaderKind kind : HeaderKind.MANDATORY) {
            if (counts[kind.ordinal()] == 0) {
                missing.add(kind.displayName);
            }
        }
        // JAIN-SIP drops these before any listener: a response could not copy what is missing (RFC 3261 §8.1.1)
        return new Violation(0, "no " + String.join(", ", missing) + " header (RFC 3261 §8.1.1): no response can be formed",
                null, true);
    }
}
