package org.parley.sip;

import javax.sip.header.Header;
import javax.sip.message.Message;
import org.parley.presence.MappingException;
import org.parley.presence.error.MsDiagnosticsParser;
import org.parley.presence.model.MsDiagnostics;

/** Reads Microsoft's {@code ms-diagnostics} (or {@code ms-diagnostics-public}) header of a SIP message ([MS-SIPRE]). */
public final class MsDiagnosticsHeaders {

    private static final System.Logger LOG = System.getLogger(MsDiagnosticsHeaders.class.getName());

    private MsDiagnosticsHeaders() {
    }

    /** The parsed header, {@code null} when there is none or it cannot be read (the status code still says what failed). */
    public static MsDiagnostics of(Message message) {
        for (String name : new String[] {"ms-diagnostics", "ms-diagnostics-public"}) {
            Header h = message.getHeader(name);
            if (h != null) {
                String value = h.toString();
                try {
                    return MsDiagnosticsParser.parse(value.substring(value.indexOf(':') + 1).strip(), name.endsWith("public"));
                } catch (MappingException e) {
                    LOG.log(System.Logger.Level.DEBUG, "unreadable " + name + ": " + e.getMessage());
                    return null;
                }
            }
        }
        return null;
    }
}
