package dev.portcullis.cedar.schema;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cedarpolicy.model.schema.Schema.JsonOrCedar;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed and ill-formed schemas, as data: each gives a {@link SchemaException} with a located message. */
class SchemaErrorTest {

    static List<ErrorCases.Case> cedarCases() throws IOException {
        return ErrorCases.load("/schema/cedar-schema-errors.txt");
    }

    static List<ErrorCases.Case> jsonCases() throws IOException {
        return ErrorCases.load("/schema/json-schema-errors.txt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cedarCases")
    void cedarFormat(ErrorCases.Case c) {
        String text = c.get("deep") != null ? deepCedar(Integer.parseInt(c.get("deep"))) : c.get("schema");
        check(c, text, Schema::parseCedar);
        if (c.get("deep") == null) { // deep nesting could overflow the reference's native stack
            assertReferenceRejects(JsonOrCedar.Cedar, text);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonCases")
    void jsonFormat(ErrorCases.Case c) {
        String text = c.get("deep") != null ? deepJson(Integer.parseInt(c.get("deep"))) : c.get("schema");
        check(c, text, Schema::parseJson);
        if (c.get("deep") == null) {
            assertReferenceRejects(JsonOrCedar.Json, text);
        }
    }

    /** Each case is an error in Cedar itself, not just here: cedar-java (the reference) rejects it too. */
    private static void assertReferenceRejects(JsonOrCedar format, String text) {
        assertThatThrownBy(() -> com.cedarpolicy.model.schema.Schema.parse(format, text))
                .as("cedar-java accepts this schema")
                .isNotNull();
    }

    private static void check(ErrorCases.Case c, String text, Function<String, Schema> parse) {
        assertThatThrownBy(() -> parse.apply(text))
                .isInstanceOf(SchemaException.class)
                .hasMessageContaining(c.get("expect"))
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage())
                        .doesNotContain("\n"));
    }

    private static String deepCedar(int depth) {
        return "entity A { x: " + "Set<".repeat(depth) + "Long" + ">".repeat(depth) + " };";
    }

    private static String deepJson(int depth) {
        return "{\"\": {\"entityTypes\": {\"A\": {\"shape\": {\"type\": \"Record\", \"attributes\": {\"x\": "
                + "{\"type\": \"Set\", \"element\": ".repeat(depth) + "{\"type\": \"Long\"}" + "}".repeat(depth)
                + "}}}}, \"actions\": {}}}";
    }
}
