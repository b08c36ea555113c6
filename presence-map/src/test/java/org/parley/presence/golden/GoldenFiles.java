package org.parley.presence.golden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads golden cases from {@code src/test/resources/golden}:
 * <ul>
 *   <li>{@code golden/TABLE/CASE.in.EXT} with {@code golden/TABLE/CASE.out.EXT}: one case per pair;</li>
 *   <li>{@code golden/lines/TABLE.txt}: one case per line {@code input => expected}
 *       ({@code #} starts a comment line).</li>
 * </ul>
 */
final class GoldenFiles {

    static final String SEPARATOR = " => ";

    private GoldenFiles() {
    }

    static Path root() {
        try {
            return Path.of(GoldenFiles.class.getResource("/golden").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The source tree copy, for -Dgolden.update=true. */
    static Path sourceRoot() {
        return Path.of("src/test/resources/golden");
    }

    static List<GoldenCase> load() {
        List<GoldenCase> cases = new ArrayList<>();
        try (Stream<Path> tables = Files.list(root())) {
            for (Path table : tables.sorted().toList()) {
                if (table.getFileName().toString().equals("lines")) {
                    loadLineTables(table, cases);
                } else {
                    loadPairs(table, cases);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    private static void loadPairs(Path tableDir, List<GoldenCase> cases) throws IOException {
        String table = tableDir.getFileName().toString();
        try (Stream<Path> files = Files.list(tableDir)) {
            for (Path in : files.sorted().toList()) {
                String file = in.getFileName().toString();
                int marker = file.indexOf(".in.");
                if (marker < 0) {
                    continue;
                }
                String name = file.substring(0, marker);
                String ext = file.substring(marker + ".in.".length());
                Path out = in.resolveSibling(name + ".out." + ext);
                String expected = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : null;
                cases.add(new GoldenCase(table, name, Files.readString(in, StandardCharsets.UTF_8), expected,
                        table + "/" + file, sourceRoot().resolve(table).resolve(name + ".out." + ext)));
            }
        }
    }

    private static void loadLineTables(Path linesDir, List<GoldenCase> cases) throws IOException {
        try (Stream<Path> files = Files.list(linesDir)) {
            for (Path f : files.sorted().toList()) {
                String table = f.getFileName().toString().replaceFirst("\\.txt$", "");
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    if (line.isBlank() || line.startsWith("#")) {
                        continue;
                    }
                    int sep = line.lastIndexOf(SEPARATOR);
                    if (sep < 0) {
                        throw new IllegalStateException(f + ":" + (i + 1) + ": no '" + SEPARATOR.strip() + "' in line");
                    }
                    String input = line.substring(0, sep).strip();
                    String expected = line.substring(sep + SEPARATOR.length()).strip();
                    cases.add(new GoldenCase(table, (i + 1) + ": " + input, input, expected, "lines/" + f.getFileName() + ":" + (i + 1), null));
                }
            }
        }
    }
}
