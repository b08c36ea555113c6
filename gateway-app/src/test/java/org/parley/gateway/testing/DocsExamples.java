package org.parley.gateway.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The examples in docs/*.md, read by the tests that prove them: a fenced block is found by the
 * {@code <!-- example: NAME -->} marker in front of it, so a test reads what the reader reads
 * and the docs cannot drift from what Parley does.
 */
public final class DocsExamples {

    private DocsExamples() {
    }

    /** docs/ of the checkout (tests run in the module directory). */
    public static Path docs() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs")) && Files.exists(p.resolve("pom.xml"))) {
                return p.resolve("docs");
            }
        }
        throw new IllegalStateException("no docs/ above " + Path.of("").toAbsolutePath());
    }

    /** The content of the first fenced block after {@code <!-- example: name -->} in {@code docs/file}, ending with a newline. */
    public static String block(String file, String name) {
        String text;
        try {
            text = Files.readString(docs().resolve(file));
        } catch (IOException e) {
            throw new IllegalStateException("docs/" + file + ": " + e.getMessage(), e);
        }
        Matcher m = Pattern.compile("<!-- example: " + Pattern.quote(name) + " -->\\s*\\n```[a-z]*\\n(.*?)^```", Pattern.DOTALL | Pattern.MULTILINE)
                .matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("docs/" + file + " has no fenced block after <!-- example: " + name + " -->");
        }
        return m.group(1);
    }

    /** The seed configuration of docs/configuration.md, as a file Spring reads exactly as documented. */
    public static Path seedConfiguration(Path dir) throws IOException {
        return Files.writeString(dir.resolve("seed-application.yml"), block("configuration.md", "seed-configuration"));
    }
}
