package dev.portcullis.cedar.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every hand-written schema in the shared conformance data parses, in both formats (the corpus
 * schemas are parsed by {@code EntityConformanceTest}, with their entities).
 */
class SchemaConformanceTest {

    @Test
    void everyHandWrittenCedarSchemaParses() throws Exception {
        List<Path> files = ConformanceData.find(ConformanceData.shared(), ".cedarschema");
        assertThat(files).hasSizeGreaterThanOrEqualTo(12);
        List<String> failures = new ArrayList<>();
        for (Path f : files) {
            try {
                Schema s = Schema.parseCedar(Files.readString(f));
                assertThat(s.entityTypes()).as(f.toString()).isNotEmpty();
            } catch (SchemaException e) {
                failures.add(f + ": " + e.getMessage());
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void everyJsonSchemaParses() throws Exception {
        List<Path> files = ConformanceData.find(ConformanceData.shared(), ".cedarschema.json");
        assertThat(files).hasSizeGreaterThanOrEqualTo(5);
        for (Path f : files) {
            Schema s = Schema.parseJson(Files.readString(f));
            assertThat(s.actions()).as(f.toString()).isNotEmpty();
        }
    }
}
