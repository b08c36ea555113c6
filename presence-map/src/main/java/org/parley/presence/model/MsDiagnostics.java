package org.parley.presence.model;

import java.util.Map;

/**
 * A parsed {@code ms-diagnostics} / {@code ms-diagnostics-public} header ([MS-SIPRE]):
 * {@code 1003;reason="User does not exist";TargetUri="bob@contoso.com";source="fe1.contoso.com"}.
 *
 * @param code       diagnostic id (1000–1999 SIP stack, 2000–2999 presence, 4000–4999 front end, ...)
 * @param reason     the {@code reason} parameter, {@code null} if absent
 * @param parameters every parameter by its name as received (including {@code reason}), in header order
 * @param publicVariant true when read from {@code ms-diagnostics-public}
 */
public record MsDiagnostics(int code, String reason, Map<String, String> parameters, boolean publicVariant) implements java.io.Serializable {

    public MsDiagnostics {
        parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    }

    /** Text suitable for an XMPP error's {@code <text/>}: {@code "User does not exist (ms-diagnostics 1003)"}. */
    public String describe() {
        return (reason == null ? "Microsoft diagnostic" : reason) + " (ms-diagnostics " + code + ")";
    }
}
