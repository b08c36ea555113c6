package org.parley.presence.golden;

import java.nio.file.Path;

/**
 * One golden case: a table, an input and the expected output.
 *
 * @param table    name of the mapping table (selects the translation)
 * @param name     case name shown in the test report
 * @param input    input text
 * @param expected expected output text
 * @param source   file the case came from (and the line, for line tables)
 * @param expectedFile file to rewrite with -Dgolden.update=true, {@code null} for line tables
 */
record GoldenCase(String table, String name, String input, String expected, String source, Path expectedFile) {

    @Override
    public String toString() {
        return table + " / " + name;
    }
}
