package org.parley.presence.model;

import java.util.Objects;

/**
 * A human-readable text with its {@code xml:lang}. An empty {@code lang} means the text carried
 * no language tag (the stream's or document's default applies).
 */
public record LocalizedText(String lang, String text) implements java.io.Serializable {

    public LocalizedText {
        Objects.requireNonNull(text, "text");
        lang = lang == null ? "" : lang;
    }

    public static LocalizedText of(String text) {
        return new LocalizedText("", text);
    }

    public boolean hasLang() {
        return !lang.isEmpty();
    }

    /** As the generated one writes it, without JDK 17's {@code String.format} ({@link RecordText}). */
    @Override
    public String toString() {
        return new RecordText("LocalizedText")
                .add("lang", lang)
                .add("text", text)
                .toString();
    }
}
