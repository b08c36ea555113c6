package org.parley.sip.transport;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.parley.sip.transport.StrictSyntax.Violation;

/**
 * The Request-Line is exactly {@code Method SP Request-URI SP SIP/2.0} (RFC 3261 §25.1): several
 * spaces, trailing spaces, {@code <>} around or whitespace inside the URI, headers ({@code ?...})
 * in a SIP URI → 400; another version → 505 (§8.2.2.1 is silent, RFC 4475 §3.1.2.16 asks for 505).
 */
final class RequestLineCheck {

    private static final Pattern STRICT_REQUEST_LINE = Pattern.compile("([A-Za-z0-9.!%*_+`'~-]+) ([^\\s<>]+) SIP/2\\.0");
    private static final Pattern OTHER_VERSION = Pattern.compile("([A-Za-z0-9.!%*_+`'~-]+) ([^\\s<>]+) SIP/(\\d+\\.\\d+)");

    private RequestLineCheck() {
    }

    /** What is wrong with a request's start line (no line end), or null. */
    static Violation check(String line) {
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

    /**
     * {@code Method SP Request-URI SP SIP/2.0} checked by hand: the regex costs more than the rest of a clean check,
     * so it only has the last word on the lines this refuses.
     */
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
            if (!SipGrammar.isTokenChar(line.charAt(i))) {
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
}
