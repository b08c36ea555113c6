package org.parley.sip.im;

import java.nio.charset.Charset;
import java.util.Base64;
import java.util.Locale;

/**
 * The {@code ms-text-format} header of a Lync INVITE ([MS-SIPRE]): the first message of an IM
 * session, e.g. {@code text/plain; charset=UTF-8; msgr=WAAtAE0A...; ms-body=SGVsbG8=}.
 */
public final class MsTextFormat {

    /** The embedded message: its content type and decoded text. */
    public record FirstMessage(String contentType, String text) {
    }

    private MsTextFormat() {
    }

    /** @return the first message, or {@code null} when the header carries no readable {@code ms-body} */
    public static FirstMessage parse(String headerValue) {
        if (headerValue == null) {
            return null;
        }
        String[] parts = headerValue.split(";");
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        String charset = "UTF-8";
        String body = null;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            int eq = p.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = p.substring(eq + 1).strip();
            if (name.equals("charset")) {
                charset = value.replace("\"", "");
            } else if (name.equals("ms-body")) {
                body = value;
            }
        }
        if (body == null) {
            return null;
        }
        try {
            byte[] raw = Base64.getMimeDecoder().decode(body);
            Charset cs = MessageBodies.charset(charset);
            return new FirstMessage(type, new String(raw, cs));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
