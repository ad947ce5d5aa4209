package dev.portcullis.cedar.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.cedarpolicy.model.schema.Schema.JsonOrCedar;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Edge cases of the Cedar format, as data: each parses here and in cedar-java (the reference),
 * and gives the same model as the reference's JSON translation of it (so the two agree on how
 * names resolve, not just on whether the schema is valid).
 */
class SchemaReferenceTest {

    static List<ErrorCases.Case> cases() throws IOException {
        return ErrorCases.load("/schema/valid-schemas.txt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void agreesWithTheReference(ErrorCases.Case c) throws Exception {
        String text = c.get("schema");
        Schema ours = Schema.parseCedar(text);
        String json = com.cedarpolicy.model.schema.Schema.parse(JsonOrCedar.Cedar, text)
                .toJsonFormat()
                .toString();
        assertThat(Schema.parseJson(json)).isEqualTo(ours);
    }
}
