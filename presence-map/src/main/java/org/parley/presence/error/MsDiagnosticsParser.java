package org.parley.presence.error;

import java.util.LinkedHashMap;
import java.util.Map;
import org.parley.presence.MappingException;
import org.parley.presence.MappingException.Reason;
import org.parley.presence.model.MsDiagnostics;

/**
 * Parses Microsoft's {@code ms-diagnostics} / {@code ms-diagnostics-public} header value
 * ([MS-OCER] §2.2.1.1 / §2.2.1.2): {@code code [ "." sub-code ] *( ";" name [ "=" ( token / quoted-string ) ] )}, e.g.
 * {@code 1003;reason="User does not exist";TargetUri="bob@contoso.com";source="fe1.contoso.com"}. The sub-error
 * code ({@code 1003.11}) is not in [MS-OCER]'s ABNF but is in the OCS documentation of the header
 * ({@code <ErrorId>[.<Sub Error Code>]}) and front ends send it: refusing it would lose the reason.
 * Parameter names keep their case; {@code reason} is looked up case-insensitively.
 */
public final class MsDiagnosticsParser {

    /** Header values longer than this are refused: real ones are a few hundred characters. */
    public static final int MAX_LENGTH = 4096;

    private MsDiagnosticsParser() {
    }

    public static MsDiagnostics parse(String value, boolean publicVariant) throws MappingException {
        if (value == null || value.isBlank()) {
            throw new MappingException(Reason.MALFORMED_BODY, "empty ms-diagnostics header");
        }
        if (value.length() > MAX_LENGTH) {
            throw new MappingException(Reason.TOO_LARGE, "ms-diagnostics header longer than " + MAX_LENGTH);
        }
        String s = value.strip();
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0 || i > 9) {
            throw new MappingException(Reason.MALFORMED_BODY, "ms-diagnostics does not start with a numeric id");
        }
        int code = Integer.parseInt(s.substring(0, i));
        Integer subCode = null;
        if (i < s.length() && s.charAt(i) == '.') {
            int subStart = ++i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (i == subStart || i - subStart > 9) {
                throw new MappingException(Reason.MALFORMED_BODY, "ms-diagnostics: the sub-code after '.' is not a number");
            }
            subCode = Integer.parseInt(s.substring(subStart, i));
        }
        Map<String, String> params = new LinkedHashMap<>();
        String reason = null;
        while (i < s.length()) {
            i = skipSpaces(s, i);
            if (i >= s.length()) {
                break;
            }
            if (s.charAt(i) != ';') {
                throw new MappingException(Reason.MALFORMED_BODY, "ms-diagnostics: expected ';' at position " + i);
            }
            i = skipSpaces(s, i + 1);
            int nameStart = i;
            while (i < s.length() && s.charAt(i) != '=' && s.charAt(i) != ';' && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            String name = s.substring(nameStart, i);
            if (name.isEmpty()) {
                throw new MappingException(Reason.MALFORMED_BODY, "ms-diagnostics: empty parameter name at position " + nameStart);
            }
            i = skipSpaces(s, i);
            String paramValue = "";
            if (i < s.length() && s.charAt(i) == '=') {
                i = skipSpaces(s, i + 1);
                if (i < s.length() && s.charAt(i) == '"') {
                    StringBuilder v = new StringBuilder();
                    i++;
                    boolean closed = false;
                    while (i < s.length()) {
                        char c = s.charAt(i++);
                        if (c == '\\' && i < s.length()) {
                            v.append(s.charAt(i++));
                        } else if (c == '"') {
                            closed = true;
                            break;
                        } else {
                            v.append(c);
                        }
                    }
                    if (!closed) {
                        throw new MappingException(Reason.MALFORMED_BODY, "ms-diagnostics: unterminated quoted value of '" + name + "'");
                    }
                    paramValue = v.toString();
                } else {
                    int vs = i;
                    while (i < s.length() && s.charAt(i) != ';') {
                        i++;
                    }
                    paramValue = s.substring(vs, i).strip();
                }
            }
            params.put(name, paramValue);
            if (reason == null && name.equalsIgnoreCase("reason")) {
                reason = paramValue;
            }
        }
        return new MsDiagnostics(code, subCode, reason, params, publicVariant);
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
