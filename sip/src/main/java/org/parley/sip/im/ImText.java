package org.parley.sip.im;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.parley.presence.MappingException;

/**
 * What the body of a SIP instant message gives the XMPP side: the plain text every XMPP client shows, the HTML when
 * the text came from HTML, and which parts of a multipart body were left out. A {@code multipart/alternative} or
 * {@code multipart/related} body (RFC 2046 §5.1.4, RFC 2387; Lync sends text/plain and text/html alternatives,
 * [MS-CONFIM] §4.2.1) gives its text/plain part, else its text/html part, read as a body of that type would be.
 *
 * @param plain   the text for the XMPP {@code <body/>}
 * @param html    the HTML it was rendered from, {@code null} when the text was plain
 * @param leftOut media types of the parts not delivered, in body order (empty for a single-part body)
 * @param lost    whether something left out was content rather than another rendering of the same text: any part
 *                but an alternative's ({@code multipart/related} pictures, for instance)
 */
public record ImText(String plain, String html, List<String> leftOut, boolean lost) {

    /** A multipart inside a multipart is read (an alternative inside a related body); deeper is not an IM. */
    private static final int MAX_DEPTH = 2;

    public ImText {
        leftOut = List.copyOf(leftOut);
    }

    /** Text already decoded (Lync's {@code ms-text-format} first message): HTML when its type says so. */
    public static ImText of(String contentType, String text) {
        boolean html = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("text/html");
        return html ? new ImText(MessageBodies.htmlToText(text), text, List.of(), false) : new ImText(text, null, List.of(), false);
    }

    /**
     * @param mediaType {@code type/subtype} of the body
     * @param charset   its {@code charset} parameter, may be null (UTF-8)
     * @param boundary  its {@code boundary} parameter, may be null (needed for a multipart)
     * @throws MappingException UNSUPPORTED_BODY for a type Parley does not take, or a multipart with no text/plain or
     *         text/html part (→ 415 with Accept); MALFORMED_BODY / TOO_LARGE for a multipart that cannot be split
     */
    public static ImText read(String mediaType, String charset, String boundary, byte[] raw) throws MappingException {
        return read(mediaType == null ? "" : mediaType.toLowerCase(Locale.ROOT).strip(), charset, boundary, raw, 0);
    }

    /** What the trace should hear: content left out of a delivered message; {@code null} when nothing was lost. */
    public String note(String mediaType) {
        return lost ? mediaType + ": delivered the " + (html != null ? "text/html" : "text/plain") + " part; left out "
                + String.join(", ", leftOut) + " (not carried to XMPP)" : null;
    }

    private static ImText read(String type, String charset, String boundary, byte[] raw, int depth) throws MappingException {
        return switch (kindOf(type)) {
            case PLAIN -> new ImText(new String(raw, MessageBodies.charset(charset)), null, List.of(), false);
            case HTML -> {
                String html = new String(raw, MessageBodies.charset(charset));
                yield new ImText(MessageBodies.htmlToText(html), html, List.of(), false);
            }
            case MULTIPART -> fromParts(type, MultipartBody.parse(unquoted(boundary), raw), depth);
            case UNSUPPORTED -> throw new MappingException(MappingException.Reason.UNSUPPORTED_BODY, "unsupported content type "
                    + (type.isEmpty() ? "(none)" : type) + "; accepted: " + String.join(", ", MessageBodies.ACCEPTED));
        };
    }

    /** The text/plain part, else the text/html part, else what a nested multipart gives; the other parts are left out. */
    private static ImText fromParts(String type, List<MultipartBody.Part> parts, int depth) throws MappingException {
        int chosen = first(parts, "text/plain");
        if (chosen < 0) {
            chosen = first(parts, "text/html");
        }
        ImText text = null;
        if (chosen >= 0) {
            MultipartBody.Part p = parts.get(chosen);
            text = read(p.type(), p.charset(), null, p.content(), depth + 1);
        } else if (depth + 1 < MAX_DEPTH) {
            for (int i = 0; i < parts.size() && text == null; i++) {
                MultipartBody.Part p = parts.get(i);
                if (p.content() != null && kindOf(p.type()) == MessageBodies.Kind.MULTIPART) {
                    try {
                        text = read(p.type(), null, p.parameters().get("boundary"), p.content(), depth + 1);
                        chosen = i;
                    } catch (MappingException unusable) {
                        // another part may still do
                    }
                }
            }
        }
        if (text == null) {
            throw new MappingException(MappingException.Reason.UNSUPPORTED_BODY, type + " without a readable text/plain or text/html part (parts: "
                    + String.join(", ", parts.stream().map(MultipartBody.Part::type).toList()) + "); accepted: "
                    + String.join(", ", MessageBodies.ACCEPTED));
        }
        List<String> leftOut = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            if (i != chosen) {
                leftOut.add(parts.get(i).type());
            }
        }
        leftOut.addAll(text.leftOut());
        boolean lost = text.lost() || !leftOut.isEmpty() && !type.equals("multipart/alternative");
        return new ImText(text.plain(), text.html(), leftOut, lost);
    }

    private static MessageBodies.Kind kindOf(String mediaType) {
        int slash = mediaType.indexOf('/');
        return slash < 0 ? MessageBodies.Kind.UNSUPPORTED : MessageBodies.kindOf(mediaType.substring(0, slash), mediaType.substring(slash + 1));
    }

    private static int first(List<MultipartBody.Part> parts, String type) {
        for (int i = 0; i < parts.size(); i++) {
            if (parts.get(i).type().equals(type) && parts.get(i).content() != null) {
                return i;
            }
        }
        return -1;
    }

    private static String unquoted(String parameter) {
        if (parameter == null) {
            return null;
        }
        String p = parameter.strip();
        return p.length() >= 2 && p.startsWith("\"") && p.endsWith("\"") ? p.substring(1, p.length() - 1) : p;
    }
}
