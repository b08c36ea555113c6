package org.parley.sip;

import java.util.ListIterator;
import javax.sip.header.ExtensionHeader;
import javax.sip.header.Header;
import javax.sip.message.Message;
import org.parley.presence.MappingException;
import org.parley.presence.error.MsDiagnosticsParser;
import org.parley.presence.model.MsDiagnostics;

/**
 * Reads Microsoft's {@code ms-diagnostics} (or {@code ms-diagnostics-public}) header of a SIP message ([MS-OCER]
 * §2.2.1). The one place Parley reads them: every refusal (page-mode MESSAGE, IM session INVITE, SUBSCRIBE) goes
 * through here, so they all prefer the same header.
 */
public final class MsDiagnosticsHeaders {

    private static final System.Logger LOG = System.getLogger(MsDiagnosticsHeaders.class.getName());

    /**
     * {@code ms-diagnostics} first: when a front end sends both, the public one is the copy stripped for outside the
     * enterprise ([MS-OCER] §2.2.1.2), and UCMA's DiagnosticInformation prefers {@code ms-diagnostics} the same way.
     */
    private static final String[] NAMES = {"ms-diagnostics", "ms-diagnostics-public"};

    private MsDiagnosticsHeaders() {
    }

    /**
     * The first readable header, {@code ms-diagnostics} before {@code ms-diagnostics-public}; {@code null} when there is
     * none that can be read (the status code still says what failed). An unreadable {@code ms-diagnostics} does not hide
     * a readable public one: its reason is still better than none.
     */
    public static MsDiagnostics of(Message message) {
        for (String name : NAMES) {
            ListIterator<?> all = message.getHeaders(name);
            while (all != null && all.hasNext()) {
                Header h = (Header) all.next();
                try {
                    return MsDiagnosticsParser.parse(valueOf(h), name.endsWith("public"));
                } catch (MappingException e) {
                    LOG.log(System.Logger.Level.DEBUG, "unreadable " + name + ": " + e.getMessage());
                }
            }
        }
        return null;
    }

    private static String valueOf(Header h) {
        if (h instanceof ExtensionHeader e) {
            return e.getValue();
        }
        String text = h.toString();
        return text.substring(text.indexOf(':') + 1).strip();
    }
}
