package dev.portcullis.cedar.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.cedar.PolicySet;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.cedar.testing.ConformanceData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The validator agrees with Cedar's on every conformance test's {@code shouldValidate}: the 7,809
 * generated corpus tests (1,619 of which Cedar's validator rejects) and the hand-written tests.
 */
class ValidatorCorpusTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void corpusVerdictsAgreeWithCedar() throws IOException {
        Map<String, String> files = ConformanceData.corpus(n -> n.endsWith(".cedar")
                || n.endsWith(".cedarschema")
                || (n.endsWith(".json") && !n.endsWith(".entities.json")));
        List<String> disagreements = new ArrayList<>();
        int tests = 0;
        int rejected = 0;
        for (Map.Entry<String, String> f : files.entrySet()) {
            if (!f.getKey().endsWith(".json")) {
                continue;
            }
            JsonNode test = JSON.readTree(f.getValue());
            tests++;
            boolean expected = test.get("shouldValidate").asBoolean();
            if (!expected) {
                rejected++;
            }
            String policies = files.get(test.get("policies").asText());
            String schema = files.get(test.get("schema").asText());
            check(f.getKey(), policies, schema, expected, disagreements);
        }
        report(disagreements);
        assertThat(tests).as("corpus tests").isEqualTo(7809);
        assertThat(rejected).as("corpus tests cedar rejects").isEqualTo(1619);
        assertThat(disagreements)
                .as("tests where the verdict differs from cedar's")
                .isEmpty();
    }

    @Test
    void handWrittenVerdictsAgreeWithCedar() throws IOException {
        Path cedar = ConformanceData.dir().resolve("cedar");
        List<String> disagreements = new ArrayList<>();
        List<Path> tests;
        try (Stream<Path> walk = Files.walk(cedar.resolve("tests"))) {
            tests = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path t : tests) {
            JsonNode test = JSON.readTree(Files.readString(t));
            check(
                    cedar.relativize(t).toString(),
                    Files.readString(cedar.resolve(test.get("policies").asText())),
                    Files.readString(cedar.resolve(test.get("schema").asText())),
                    test.get("shouldValidate").asBoolean(),
                    disagreements);
        }
        report(disagreements);
        assertThat(tests).hasSize(22);
        assertThat(disagreements).isEmpty();
    }

    private static final Map<String, Integer> KINDS = new java.util.TreeMap<>();

    private static void check(String name, String policyText, String schemaText, boolean expected, List<String> out) {
        Schema schema = Schema.parseCedar(schemaText);
        PolicySet policies = PolicySet.parse(policyText);
        ValidationResult result = new Validator(schema).validate(policies);
        result.errors().forEach(e -> KINDS.merge(e.kind().name(), 1, Integer::sum));
        result.warnings().forEach(e -> KINDS.merge("warning " + e.kind().name(), 1, Integer::sum));
        if (result.isValid() != expected) {
            out.add(name + ": cedar says " + (expected ? "valid" : "invalid") + ", we found "
                    + (result.errors().isEmpty()
                            ? "no errors"
                            : String.join(
                                    "\n  ",
                                    result.errors().stream()
                                            .map(ValidationError::message)
                                            .toList()))
                    + (Boolean.getBoolean("validator.verbose")
                            ? "\n--- policies\n" + policyText + "\n--- schema\n" + schemaText
                            : ""));
        }
    }

    private static void report(List<String> disagreements) {
        disagreements.stream().limit(Integer.getInteger("validator.show", 20)).forEach(System.out::println);
        System.out.println(disagreements.size() + " disagreements; findings by kind: " + KINDS);
    }
}
