package dev.portcullis.cedar.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every schema and entities file of the conformance data parses, the entities with their schema
 * (as the corpus uses them), and every request context parses with its action's context type.
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
        checkTests(root, tests, false);
    }

    @Test
    void handWrittenTestsParseWithTheirSchemas() throws Exception {
        Path root = ConformanceData.shared().resolve("cedar");
        checkTests(root, ConformanceData.find(root.resolve("tests"), ".json"), true);
    }

    /**
     * Two use cases ship entities that break their own schema (upstream runs them without one):
     * {@code document_cloud} gives a {@code Document} where {@code DocumentShare} is declared, and
     * {@code github_example} puts a {@code User} in an {@code Organization}. Those must be
     * rejected with the reason; all the others must parse.
     */
    @Test
    void exampleUseCaseEntitiesParseWithTheirSchemas() throws Exception {
        Path root = ConformanceData.shared().resolve("cedar-examples/cedar-example-use-cases");
        Map<String, String> knownBad = Map.of(
                "document_cloud", "expected an entity of type `DocumentShare`, found `Document::",
                "github_example", "cannot be a member of `Organization::");
        int checked = 0;
        for (Path entities : ConformanceData.find(root, "entities.json")) {
            Path schemaFile = entities.resolveSibling("policies.cedarschema");
            if (!Files.exists(schemaFile)) {
                continue;
            }
            Schema schema = Schema.parseCedar(Files.readString(schemaFile));
            String json = Files.readString(entities);
            EntityJson.parse(json, null);
            String useCase = root.relativize(entities).getName(0).toString();
            if (knownBad.containsKey(useCase)) {
                assertThatThrownBy(() -> EntityJson.parse(json, schema))
                        .isInstanceOf(JsonFormatException.class)
                        .hasMessageContaining(knownBad.get(useCase));
            } else {
                assertThat(EntityJson.parse(json, schema).size()).as(useCase).isPositive();
            }
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(9);
    }

    private static void checkTests(Path root, List<Path> tests, boolean withoutSchemaToo) throws Exception {
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
                if (withoutSchemaToo) {
                    // without a schema the same document is still well formed, values as written
                    EntityJson.parse(entitiesJson, null);
                }
                for (JsonNode r : t.get("requests")) {
                    EntityUid action = ValueJson.parseEntityUid(r.get("action"));
                    ContextJson.parse(r.get("context"), schema, action);
                    if (withoutSchemaToo) {
                        ContextJson.parse(r.get("context"), null, action);
                    }
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
