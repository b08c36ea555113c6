package org.parley.sip.im;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.parley.presence.MappingException;

/**
 * A MIME multipart body (RFC 2046 §5.1) split into its body parts, each with its media type, parameters and content
 * with the Content-Transfer-Encoding undone. Tolerant where senders differ: a preamble and an epilogue are skipped,
 * lines may end in CRLF or a bare LF, transport padding may follow a delimiter, a missing close delimiter ends the last
 * part at the end of the body, and a part without Content-Type is {@code text/plain} (§5.1's default).
 */
final class MultipartBody {

    /** An IM is one text in a few renderings: more parts than this is not one. */
    static final int MAX_PARTS = 16;

    /** RFC 2046 §5.1.1: a boundary is 1 to 70 characters. */
    private static final int MAX_BOUNDARY = 70;

    /**
     * One body part.
     *
     * @param type       media type, lower case ({@code text/plain}); {@code text/plain} when the part declares none
     * @param parameters Content-Type parameters by lower-case name, values unquoted ({@code charset}, {@code boundary})
     * @param content    the content with its transfer encoding undone; {@code null} when it could not be (unknown
     *                   encoding, bad base64): RFC 2045 §6.4 has such a part treated as opaque
     */
    record Part(String type, Map<String, String> parameters, byte[] content) {

        String charset() {
            return parameters.get("charset");
        }
    }

    private enum Line { CONTENT, DELIMITER, CLOSE }

    private MultipartBody() {
    }

    /**
     * @param boundary the {@code boundary} parameter of the body's Content-Type, quotes removed
     * @throws MappingException MALFORMED_BODY without a usable boundary or without any delimited part, TOO_LARGE past
     *         {@link #MAX_PARTS}
     */
    static List<Part> parse(String boundary, byte[] body) throws MappingException {
        if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
            throw new MappingException(MappingException.Reason.MALFORMED_BODY, "multipart body without a usable boundary parameter");
        }
        // one char per byte: positions in the text are positions in the body, and parts go back to bytes unchanged
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String dashBoundary = "--" + boundary;
        List<Part> parts = new ArrayList<>();
        int partStart = -1; // -1: still in the preamble
        int lineStart = 0;
        boolean closed = false;
        while (lineStart <= text.length()) {
            int newline = text.indexOf('\n', lineStart);
            int lineEnd = newline < 0 ? text.length() : newline;
            Line kind = kind(text.substring(lineStart, lineEnd), dashBoundary);
            if (kind != Line.CONTENT) {
                if (partStart >= 0) {
                    add(parts, text, partStart, beforeLineBreak(text, partStart, lineStart));
                }
                if (kind == Line.CLOSE) {
                    closed = true;
                    break; // the rest is the epilogue
                }
                partStart = newline < 0 ? text.length() : newline + 1;
            }
            if (newline < 0) {
                break;
            }
            lineStart = newline + 1;
        }
        if (!closed && partStart >= 0) {
            add(parts, text, partStart, text.length());
        }
        if (parts.isEmpty()) {
            throw new MappingException(MappingException.Reason.MALFORMED_BODY, "multipart body without a part delimited by its boundary");
        }
        return parts;
    }

    /** §5.1.1: a delimiter line is the dash-boundary, then "--" for the close delimiter, then only transport padding. */
    private static Line kind(String line, String dashBoundary) {
        if (!line.startsWith(dashBoundary)) {
            return Line.CONTENT;
        }
        String rest = line.substring(dashBoundary.length());
        boolean close = rest.startsWith("--");
        if (close) {
            rest = rest.substring(2);
        }
        if (!rest.isBlank()) {
            return Line.CONTENT; // the boundary as the start of a longer word is content
        }
        return close ? Line.CLOSE : Line.DELIMITER;
    }

    /** The line break before a delimiter belongs to the delimiter (§5.1.1), not to the part's content. */
    private static int beforeLineBreak(String text, int partStart, int delimiterLine) {
        int end = delimiterLine;
        if (end > partStart && text.charAt(end - 1) == '\n') {
            end--;
            if (end > partStart && text.charAt(end - 1) == '\r') {
                end--;
            }
        }
        return end;
    }

    private static void add(List<Part> parts, String text, int start, int end) throws MappingException {
        if (parts.size() == MAX_PARTS) {
            throw new MappingException(MappingException.Reason.TOO_LARGE, "multipart body with more than " + MAX_PARTS + " parts");
        }
        parts.add(part(text.substring(start, Math.max(start, end))));
    }

    private static Part part(String raw) {
        Map<String, String> headers = new LinkedHashMap<>();
        int i = startsWithHeader(raw) ? 0 : raw.length(); // no header and no blank line: all of it is content
        String last = null;
        while (i < raw.length()) {
            int newline = raw.indexOf('\n', i);
            int lineEnd = newline < 0 ? raw.length() : newline;
            String line = raw.substring(i, lineEnd);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            i = newline < 0 ? raw.length() : newline + 1;
            if (line.isEmpty()) {
                break; // the blank line: the content follows
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && last != null) {
                headers.merge(last, " " + line.strip(), String::concat); // a folded header line
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                last = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
                headers.put(last, line.substring(colon + 1).strip());
            }
        }
        byte[] content = (i == raw.length() && headers.isEmpty() ? raw : raw.substring(i)).getBytes(StandardCharsets.ISO_8859_1);
        Map<String, String> parameters = new LinkedHashMap<>();
        String type = mediaType(headers.get("content-type"), parameters);
        return new Part(type, Map.copyOf(parameters), decode(headers.get("content-transfer-encoding"), content));
    }

    /** Whether a part opens with a header line (or the blank line of a part without headers) rather than with content. */
    private static boolean startsWithHeader(String raw) {
        int newline = raw.indexOf('\n');
        String first = (newline < 0 ? raw : raw.substring(0, newline)).strip();
        int colon = first.indexOf(':');
        return first.isEmpty() || colon > 0 && first.substring(0, colon).chars().allMatch(c -> c > 32 && c < 127);
    }

    /** {@code type/subtype *( ";" name "=" ( token / quoted-string ) )}; fills {@code parameters}, returns the type. */
    private static String mediaType(String value, Map<String, String> parameters) {
        if (value == null || value.isBlank()) {
            return "text/plain";
        }
        List<String> pieces = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted && c == '\\' && i + 1 < value.length()) {
                current.append(value.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ';' && !quoted) {
                pieces.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        pieces.add(current.toString());
        for (String p : pieces.subList(1, pieces.size())) {
            int eq = p.indexOf('=');
            if (eq > 0) {
                parameters.put(p.substring(0, eq).strip().toLowerCase(Locale.ROOT), p.substring(eq + 1).strip());
            }
        }
        return pieces.get(0).strip().toLowerCase(Locale.ROOT).replace(" ", "");
    }

    /** RFC 2045 §6: identity encodings, base64 and quoted-printable; anything else is unreadable ({@code null}). */
    private static byte[] decode(String transferEncoding, byte[] content) {
        String cte = transferEncoding == null ? "7bit" : transferEncoding.strip().toLowerCase(Locale.ROOT);
        try {
            return switch (cte) {
                case "7bit", "8bit", "binary" -> content;
                case "base64" -> Base64.getMimeDecoder().decode(content);
                case "quoted-printable" -> quotedPrintable(content);
                default -> null;
            };
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** RFC 2045 §6.7: {@code =XX} is a byte, {@code =} at the end of a line a soft line break. */
    private static byte[] quotedPrintable(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length);
        for (int i = 0; i < content.length; i++) {
            byte b = content[i];
            if (b != '=') {
                out.write(b);
            } else if (i + 1 < content.length && content[i + 1] == '\n') {
                i += 1;
            } else if (i + 2 < content.length && content[i + 1] == '\r' && content[i + 2] == '\n') {
                i += 2;
            } else if (i + 2 < content.length && Character.digit(content[i + 1], 16) >= 0 && Character.digit(content[i + 2], 16) >= 0) {
                out.write(Character.digit(content[i + 1], 16) * 16 + Character.digit(content[i + 2], 16));
                i += 2;
            } else {
                out.write(b); // a lone '=' is kept, as §6.7 (note 1) suggests a robust decoder does
            }
        }
        return out.toByteArray();
    }
}
