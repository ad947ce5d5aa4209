package dev.portcullis.server.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portcullis.cedar.Authorizer;
import dev.portcullis.cedar.Decision;
import dev.portcullis.cedar.PolicySet;
import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.Response;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.server.input.Inputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The use cases of cedar-policy/cedar-examples: each directory with a {@code policies.cedar} has a
 * schema, entities, optional template links ({@code linked}) and request files under {@code ALLOW/}
 * and {@code DENY/} that must decide that way. Policies take their ids from {@code @id}
 * annotations, as in the Cedar CLI the examples were written for.
 *
 * <p>Like the examples' own runner ({@code cedar-example-use-cases/run.sh} upstream), two use cases
 * are decided without their schema: their entity data does not conform to it (e.g. an attribute
 * declared as a {@code DocumentShare} holds a {@code Document}).
 */
class ExampleUseCasesTest {
    static Path useCases() {
        String prop = System.getProperty("portcullis.shared");
        Path dir = prop == null ? null : Path.of(prop, "conformance", "cedar-examples", "cedar-example-use-cases");
        assumeTrue(dir != null && Files.isDirectory(dir), "cedar example use cases not found (" + dir + "); skipping");
        return dir;
    }

    static List<Path> caseDirs() throws IOException {
        try (Stream<Path> walk = Files.walk(useCases())) {
            return walk.filter(p -> p.getFileName().toString().equals("policies.cedar"))
                    .map(Path::getParent)
                    .sorted()
                    .toList();
        }
    }

    @Test
    void allUseCasesAreFound() throws IOException {
        List<Path> dirs = caseDirs();
        // 7 use cases, two of which come in a static and a templated variant
        assertThat(dirs).hasSize(9);
        assertThat(dirs.stream().filter(d -> Files.exists(d.resolve("linked")))).hasSize(3);
    }

    @TestFactory
    Stream<DynamicTest> everyRequestDecidesAsItsDirectorySays() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        Path base = useCases();
        for (Path dir : caseDirs()) {
            for (Decision expected : Decision.values()) {
                Path requests = dir.resolve(expected.name());
                if (!Files.isDirectory(requests)) {
                    continue;
                }
                try (Stream<Path> files = Files.list(requests)) {
                    for (Path file : files.sorted().toList()) {
                        tests.add(DynamicTest.dynamicTest(
                                base.relativize(file).toString(), () -> decide(dir, file, expected)));
                    }
                }
            }
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(40);
        return tests.stream();
    }

    private static final java.util.Set<String> DECIDED_WITHOUT_SCHEMA =
            java.util.Set.of("document_cloud", "github_example");

    private static void decide(Path dir, Path requestFile, Decision expected) {
        Schema schema = DECIDED_WITHOUT_SCHEMA.contains(dir.getFileName().toString())
                ? null
                : Inputs.schema(dir.resolve("policies.cedarschema"));
        PolicySet policies = Inputs.policies(dir.resolve("policies.cedar"), true);
        if (Files.exists(dir.resolve("linked"))) {
            int before = policies.policies().size();
            policies = Inputs.links(dir.resolve("linked"), policies);
            assertThat(policies.policies().size()).isGreaterThan(before);
        }
        Entities entities = Inputs.entities(dir.resolve("entities.json"), schema);
        Request request = Inputs.request(requestFile, schema);
        Response response = new Authorizer(policies).isAuthorized(request, entities);
        assertThat(response.decision()).as("%s: %s", requestFile, response).isEqualTo(expected);
    }
}
