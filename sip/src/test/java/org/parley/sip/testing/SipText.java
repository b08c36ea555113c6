package org.parley.sip.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A SIP message read as text, for comparing messages header by header: a golden example from a specification
 * (lines starting with {@code #} before the start line are its source notes) or a message taken off the wire.
 * Header names are matched case-insensitively, compact forms are not expanded (golden examples use none).
 */
public record SipText(String startLine, Map<String, List<String>> headers, String body) {

    /** A golden example under src/test/resources. */
    public static SipText resource(String path) {
        try (var in = SipText.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + path);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SipText parse(String text) {
        List<String> lines = new ArrayList<>(List.of(text.replace("\r\n", "\n").split("\n", -1)));
        while (!lines.isEmpty() && lines.get(0).startsWith("#")) {
            lines.remove(0);
        }
        String start = lines.remove(0).strip();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String last = null;
        int i = 0;
        for (; i < lines.size() && !lines.get(i).isBlank(); i++) {
            String line = lines.get(i);
            if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                List<String> values = headers.get(last);
                values.set(values.size() - 1, values.get(values.size() - 1) + " " + line.strip());
                continue;
            }
            int colon = line.indexOf(':');
            last = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            headers.computeIfAbsent(last, k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
        }
        String body = i + 1 < lines.size() ? String.join("\n", lines.subList(i + 1, lines.size())).strip() : "";
        return new SipText(start, headers, body);
    }

    public String method() {
        return startLine.startsWith("SIP/") ? null : startLine.substring(0, startLine.indexOf(' '));
    }

    public int status() {
        return startLine.startsWith("SIP/") ? Integer.parseInt(startLine.split(" ")[1]) : 0;
    }

    public List<String> values(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    public String first(String name) {
        List<String> v = values(name);
        return v.isEmpty() ? null : v.get(0);
    }

    /** The comma-separated tokens of every instance of a list header (Supported, Require, Accept...), lower case. */
    public Set<String> tokens(String name) {
        Set<String> tokens = new LinkedHashSet<>();
        for (String v : values(name)) {
            for (String t : v.split(",")) {
                if (!t.isBlank()) {
                    tokens.add(t.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return tokens;
    }

    /** The names of the parameters of a header value ({@code ;name=value} after the address or token). */
    public static Set<String> parameterNames(String value) {
        String params = value.contains(">") ? value.substring(value.lastIndexOf('>') + 1) : value.substring(Math.max(0, value.indexOf(';')));
        Set<String> names = new LinkedHashSet<>();
        for (String p : params.split(";(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
            if (!p.isBlank()) {
                names.add(p.split("=", 2)[0].strip().toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }
}
