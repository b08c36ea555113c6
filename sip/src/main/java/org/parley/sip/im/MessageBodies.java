package org.parley.sip.im;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;
import java.util.Locale;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Response;
import org.parley.presence.xml.CharacterReferences;

/**
 * Content types of instant messages (RFC 3428 page mode, Lync IM): which bodies Parley accepts
 * and how an HTML body becomes the plain text every XMPP client can show ({@link ImText} reads a body with them).
 */
public final class MessageBodies {

    public static final String TEXT_PLAIN = "text/plain;charset=UTF-8";
    public static final String TEXT_HTML = "text/html;charset=UTF-8";

    private MessageBodies() {
    }

    /** MULTIPART: a multipart/alternative or multipart/related body, read by {@link ImText} for its text part. */
    public enum Kind { PLAIN, HTML, MULTIPART, UNSUPPORTED }

    /** The MESSAGE bodies Parley takes, page mode and in a session: what a 415's {@code Accept} lists. */
    public static final List<String> ACCEPTED = List.of("text/plain", "text/html", "multipart/alternative", "multipart/related",
            "application/im-iscomposing+xml");

    /**
     * The message types Parley takes in an IM session, as its SDP offer and answer list them in
     * {@code a=accept-types} ([MS-SDP]); typing notifications are not messages there.
     */
    public static final String SDP_ACCEPT_TYPES = "text/plain text/html multipart/alternative multipart/related";

    /** Adds {@code Accept} for {@link #ACCEPTED} to a 415 (RFC 3261 §21.4.13). */
    static void addAccept(Response response, HeaderFactory headers) throws ParseException {
        for (String type : ACCEPTED) {
            int slash = type.indexOf('/');
            response.addHeader(headers.createAcceptHeader(type.substring(0, slash), type.substring(slash + 1)));
        }
    }

    public static Kind kindOf(String type, String subType) {
        if (type == null || subType == null) {
            return Kind.UNSUPPORTED;
        }
        String t = type.toLowerCase(Locale.ROOT) + "/" + subType.toLowerCase(Locale.ROOT);
        return switch (t) {
            case "text/plain" -> Kind.PLAIN;
            case "text/html" -> Kind.HTML;
            case "multipart/alternative", "multipart/related" -> Kind.MULTIPART;
            default -> Kind.UNSUPPORTED;
        };
    }

    public static Charset charset(String charsetParam) {
        if (charsetParam == null) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(charsetParam.replace("\"", "").strip());
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /**
     * A plain-text rendering of an HTML body: tags dropped, block ends as line breaks, the five
     * XML entities, {@code &nbsp;} and numeric references decoded ({@link CharacterReferences#html}; an unknown
     * reference is kept as written). Not a sanitiser — the HTML itself is never
     * passed on as plain text.
     */
    public static String htmlToText(String html) {
        StringBuilder out = new StringBuilder(html.length());
        int i = 0;
        while (i < html.length()) {
            char c = html.charAt(i);
            if (c == '<') {
                int end = html.indexOf('>', i);
                if (end < 0) {
                    break;
                }
                String tag = html.substring(i + 1, end).strip().toLowerCase(Locale.ROOT);
                if (tag.startsWith("br") || tag.startsWith("/p") || tag.startsWith("/div") || tag.startsWith("/li")) {
                    out.append('\n');
                }
                i = end + 1;
            } else if (c == '&') {
                int semi = html.indexOf(';', i);
                String decoded = semi > i && semi - i <= 10 ? CharacterReferences.html(html, i + 1, semi) : null;
                if (decoded != null) {
                    out.append(decoded);
                    i = semi + 1;
                } else {
                    out.append(c);
                    i++;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString().strip();
    }
}
