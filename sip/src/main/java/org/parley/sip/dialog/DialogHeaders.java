package org.parley.sip.dialog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ListIterator;
import javax.sip.header.ContactHeader;
import javax.sip.header.Header;
import javax.sip.header.RecordRouteHeader;
import javax.sip.message.Message;

/** Reads what a dialog keeps from the message that creates or refreshes it. */
public final class DialogHeaders {

    private DialogHeaders() {
    }

    /** The Route set from the Record-Route headers: reversed for the UAC (RFC 3261 §12.1.2), as is for the UAS (§12.1.1). */
    public static List<String> routeSet(Message m, boolean uac) {
        List<String> routes = new ArrayList<>(2);
        ListIterator<?> it = m.getHeaders(RecordRouteHeader.NAME);
        while (it.hasNext()) {
            routes.add(((RecordRouteHeader) it.next()).getAddress().toString());
        }
        if (uac) {
            Collections.reverse(routes);
        }
        return routes;
    }

    /** The Contact's URI, {@code null} without a Contact. */
    public static String contactUri(Message m) {
        ContactHeader c = (ContactHeader) m.getHeader(ContactHeader.NAME);
        return c == null ? null : c.getAddress().getURI().toString();
    }

    /** A parameter of a header value ({@code reason} of {@code terminated;reason=timeout}), lower-cased; {@code null} when absent. */
    public static String parameter(String headerValue, String name) {
        for (String part : headerValue.split(";")) {
            String p = part.strip();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase(name)) {
                return p.substring(eq + 1).strip().toLowerCase(java.util.Locale.ROOT);
            }
        }
        return null;
    }

    /** A header's value as written (JAIN-SIP has no typed form for Subscription-State and Lync's own headers). */
    public static String headerValue(Message m, String name) {
        Header h = m.getHeader(name);
        if (h == null) {
            return null;
        }
        String s = h.toString();
        return s.substring(s.indexOf(':') + 1).strip();
    }
}
