package dev.portcullis.cedar.difftest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Minimised disagreements found by the differential tests, kept forever. Each file in {@code
 * difftest/regressions/} holds {@code description}, {@code policies} (text), and either {@code
 * "parseOnly": true} or {@code entities} (Cedar JSON) and {@code requests} (principal, action,
 * resource, context as Cedar JSON). Every request is decided by both engines and compared, like the
 * random cases, so no expected answer is written down by hand.
 */
class RegressionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Path> files() throws IOException, URISyntaxException {
        Path dir = Path.of(
                RegressionTest.class.getResource("/difftest/regressions").toURI());
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void regression_bothEnginesAgree(Path file) throws IOException {
        JsonNode t;
        try (InputStream in = Files.newInputStream(file)) {
            t = JSON.readTree(in);
        }
        String policies = t.path("policies").asText();
        if (t.path("parseOnly").asBoolean(false)) {
            assertThat(Portcullis.parses(policies))
                    .as(
                            "%s: parse acceptance (cedar-java accepts: %s)",
                            t.path("description").asText(), CedarJavaOracle.parses(policies))
                    .isEqualTo(CedarJavaOracle.parses(policies));
            return;
        }
        List<CaseGen.Req> requests = new ArrayList<>();
        for (JsonNode q : t.path("requests")) {
            requests.add(new CaseGen.Req(
                    uid(q.path("principal")),
                    uid(q.path("action")),
                    uid(q.path("resource")),
                    q.has("context") ? (ObjectNode) q.get("context") : JSON.createObjectNode()));
        }
        assertThat(requests).as("a regression file needs requests").isNotEmpty();
        CaseGen.Case c = new CaseGen.Case(0, policies, t.path("entities").toString(), requests);
        List<Differ.Disagreement> d = Differ.run(c, new Differ.Stats());
        assertThat(d)
                .as(() -> t.path("description").asText()
                        + (d.isEmpty() ? "" : d.get(0).report()))
                .isEmpty();
    }

    private static Uid uid(JsonNode n) {
        return new Uid(n.path("type").asText(), n.path("id").asText());
    }
}
