package org.parley.sip.transport;

import java.util.ArrayList;
import java.util.List;

/**
 * The address rules of To, From, Contact and Reply-To that JAIN-SIP reads leniently: a display name
 * is tokens or a quoted string, no whitespace just inside {@code <>}, and an addr-spec with
 * {@code ?} headers is enclosed in {@code <>} (RFC 3261 §20.10, §25.1; RFC 4475 §3.1.2.13–15).
 */
final class NameAddrCheck {

    private NameAddrCheck() {
    }

    /**
     * The first problem of a To / From / Contact / Reply-To value, or null.
     *
     * @param single false for a Contact, which may list several addresses, comma-separated
     */
    static String problem(String value, boolean single) {
        if (value.equals("*")) {
            return null; // a REGISTER's Contact: * (RFC 3261 §10.2.2)
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
            // without <> the first ';' starts the header's own parameters; a '?' before it would begin URI headers,
            // which §20.10 allows only inside <>
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
                if (!SipGrammar.isTokenChar(c) && c != ' ' && c != '\t') {
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
}
