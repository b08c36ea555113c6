package org.parley.sip.transport;

import java.util.ArrayList;
import java.util.List;

/** The lines of a raw header block as the strict checks and the parser's reports read them. */
final class HeaderLines {

    private HeaderLines() {
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

    /** The line without its CR: on a stream JAIN-SIP hands over LF-ended lines, on a datagram CRLF ones. */
    static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
