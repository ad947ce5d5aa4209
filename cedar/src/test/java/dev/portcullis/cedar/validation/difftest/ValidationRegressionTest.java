package dev.portcullis.cedar.validation.difftest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.cedar.schema.Schema;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Shrunk disagreements the differential test found, kept as data ({@code
 * validation/regressions/*.json}: {@code schema}, {@code policy}, Cedar's verdict {@code
 * cedarValid} and a {@code note}). Each is checked against both validators: Cedar must still give
 * the recorded verdict (so the case is right) and Portcullis must agree with it.
 */
class ValidationRegressionTest {
    static Stream<Path> cases() throws IOException, URISyntaxException {
        Path dir = Path.of(ValidationRegressionTest.class
                .getResource("/validation/regressions")
                .toURI());
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files =
                    s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            return files.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void agreesWithCedar(Path file) throws IOException {
        JsonNode c = new ObjectMapper().readTree(Files.readString(file));
        String schemaText = c.get("schema").asText();
        String policy = c.get("policy").asText();
        boolean cedarValid = c.get("cedarValid").asBoolean();
        CedarValidatorOracle.Verdict cedar = CedarValidatorOracle.validate(schemaText, policy);
        assertThat(cedar.failure()).isNull();
        assertThat(cedar.errors().isEmpty())
                .as("cedar's verdict changed: " + cedar.errors())
                .isEqualTo(cedarValid);
        var ours = ValidationDifferentialTest.ours(Schema.parseCedar(schemaText), policy);
        assertThat(ours.isEmpty())
                .as(c.get("note").asText() + "; cedar says " + (cedarValid ? "valid" : cedar.errors()) + ", we say "
                        + (ours.isEmpty() ? "valid" : ours))
                .isEqualTo(cedarValid);
    }
}
