package dev.portcullis.cedar.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.schema.ConformanceData;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.cedar.value.EntityUid;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every entities file of the conformance data parses with its schema (as the corpus uses it), and
 * every request context parses with its action's context type.
 */
class EntityConformanceTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void corpusEntitiesAndContextsParseWithTheirSchemas() throws Exception {
        Path root = ConformanceData.corpusRoot();
        List<Path> tests = ConformanceData.find(root.resolve("corpus-tests"), ".json").stream()
                .filter(p -> !p.getFileName().toString().endsWith(".entities.json"))
                .toList();
        assertThat(tests).hasSizeGreaterThan(7000);
        checkTests(root, tests);
    }

    @Test
    void handWrittenTestsParseWithTheirSchemas() throws Exception {
        Path root = ConformanceData.shared().resolve("cedar");
        checkTests(root, ConformanceData.find(root.resolve("tests"), ".json"));
    }

    private static void checkTests(Path root, List<Path> tests) throws Exception {
        List<String> failures = new ArrayList<>();
        int contexts = 0;
        for (Path test : tests) {
            JsonNode t = MAPPER.readTree(test.toFile());
            try {
                Schema schema = Schema.parseCedar(
                        Files.readString(root.resolve(t.get("schema").asText())));
                String entitiesJson =
                        Files.readString(root.resolve(t.get("entities").asText()));
                Entities entities = EntityJson.parse(entitiesJson, schema);
                assertThat(entities.size())
                        .isGreaterThanOrEqualTo(schema.actionEntities().size());
                // without a schema the same document is still well formed, values as written
                EntityJson.parse(entitiesJson, null);
                for (JsonNode r : t.get("requests")) {
                    EntityUid action = ValueJson.parseEntityUid(r.get("action"));
                    ContextJson.parse(r.get("context"), schema, action);
                    ContextJson.parse(r.get("context"), null, action);
                    contexts++;
                }
            } catch (RuntimeException e) {
                failures.add(test.getFileName() + ": " + e);
            }
        }
        assertThat(failures).isEmpty();
        assertThat(contexts).isPositive();
    }
}
