package org.parley.presence.model;

import java.util.Objects;

/**
 * What the user is doing. {@code token} uses the RPID vocabulary (RFC 4480 §3.2: meeting,
 * on-the-phone, presentation, away, busy, vacation, ...); codecs translate other dialects'
 * tokens (Microsoft's {@code in-a-meeting}, {@code on-the-phone}, ...) into it.
 *
 * @param token RPID activity token, never blank
 * @param text  optional free text of the activity (Lync custom activity), {@code null} if none
 */
public record Activity(String token, String text) implements java.io.Serializable {

    public Activity {
        Objects.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new IllegalArgumentException("activity token is blank");
        }
    }

    public static Activity of(String token) {
        return new Activity(token, null);
    }

    /** As the generated one writes it, without JDK 17's {@code String.format} ({@link RecordText}). */
    @Override
    public String toString() {
        return new RecordText("Activity")
                .add("token", token)
                .add("text", text)
                .toString();
    }
}
