package org.parley.gateway.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The YAML examples of the project's markdown, as written there, so tests load exactly what a reader copies. */
public final class DocsYaml {

    /** One fenced {@code yaml} block: the file, its 1-based position among the file's YAML blocks, the text. */
    public record Block(Path file, int ordinal, String text) {
        @Override
        public String toString() {
            return file.getFileName() + " yaml block " + ordinal;
        }
    }

    private DocsYaml() {
    }

    /** The repository's docs/ directory. */
    public static Path docs() {
        return org.parley.gateway.testing.DocsExamples.docs();
    }

    public static List<Block> blocks(Path markdown) {
        List<Block> blocks = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(markdown);
            StringBuilder current = null;
            for (String line : lines) {
                if (current == null && (line.strip().equals("```yaml") || line.strip().equals("```yml"))) {
                    current = new StringBuilder();
                } else if (current != null && line.strip().equals("```")) {
                    blocks.add(new Block(markdown, blocks.size() + 1, current.toString()));
                    current = null;
                } else if (current != null) {
                    current.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return blocks;
    }

    /** Every YAML block in docs/*.md. */
    public static List<Block> all() {
        try (Stream<Path> files = Files.list(docs())) {
            return files.filter(f -> f.toString().endsWith(".md")).sorted().flatMap(f -> blocks(f).stream()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The block written to a file, for {@code --config}. */
    public static Path write(Block block, Path directory) throws IOException {
        return Files.writeString(directory.resolve(block.file().getFileName() + "-" + block.ordinal() + ".yml"), block.text());
    }
}
