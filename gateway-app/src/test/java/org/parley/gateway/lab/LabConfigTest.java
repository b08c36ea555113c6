package org.parley.gateway.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.gateway.docs.DocsYaml;
import org.yaml.snakeyaml.Yaml;

/** docs/lab.md shows the configuration the lab writes: the same parley.* tree, with the ports the text names. */
class LabConfigTest {

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void theDocumentedLabConfigurationIsWhatTheLabWrites() throws Exception {
        String documented = DocsYaml.blocks(DocsYaml.docs().resolve("lab.md")).stream().filter(b -> b.text().startsWith("parley:"))
                .findFirst().orElseThrow().text();
        Path written = LabConfig.write(dir.resolve("parley.yml"), Path.of("gateway-app/target/lab/parley-data"), 5061, 5062, 5269, 5270, 8089);

        Map<String, Object> docs = new Yaml().load(documented);
        Map<String, Object> lab = new Yaml().load(Files.readString(written));
        assertThat(lab.get("parley")).isEqualTo(docs.get("parley"));
    }
}
