package org.parley.presence.model;

import java.util.Map;

/**
 * A parsed {@code ms-diagnostics} / {@code ms-diagnostics-public} header ([MS-OCER] §2.2.1):
 * {@code 1003;reason="User does not exist";TargetUri="bob@contoso.com";source="fe1.contoso.com"}, or with a
 * sub-error code after the id, {@code 1003.11;reason="..."}.
 *
 * @param code       diagnostic id (1000–1999 SIP stack, 2000–2999 presence, 4000–4999 front end, ...)
 * @param subCode    the sub-error code after the id's dot, {@code null} if absent: it tells an operator which of the
 *                   id's cases the front end hit, so it stays in the trace and the error text
 * @param reason     the {@code reason} parameter, {@code null} if absent
 * @param parameters every parameter by its name as received (including {@code reason}), in header order
 * @param publicVariant true when read from {@code ms-diagnostics-public}
 */
public record MsDiagnostics(int code, Integer subCode, String reason, Map<String, String> parameters, boolean publicVariant)
        implements java.io.Serializable {

    public MsDiagnostics {
        parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    }

    /** A diagnostic without sub-error code. */
    public MsDiagnostics(int code, String reason, Map<String, String> parameters, boolean publicVariant) {
        this(code, null, reason, parameters, publicVariant);
    }

    /** The id as the front end wrote it: {@code 1003} or {@code 1003.11}. */
    public String id() {
        return subCode == null ? Integer.toString(code) : code + "." + subCode;
    }

    /** Text suitable for an XMPP error's {@code <text/>}: {@code "User does not exist (ms-diagnostics 1003)"}. */
    public String describe() {
        return (reason == null ? "Microsoft diagnostic" : reason) + " (ms-diagnostics " + id() + ")";
    }

    /** As the generated one writes it, without JDK 17's {@code String.format} ({@link RecordText}). */
    @Override
    public String toString() {
        return new RecordText("MsDiagnostics")
                .add("code", code)
                .add("subCode", subCode)
                .add("reason", reason)
                .add("parameters", parameters)
                .add("publicVariant", publicVariant)
                .toString();
    }
}
