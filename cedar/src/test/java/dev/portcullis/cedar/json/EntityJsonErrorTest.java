package dev.portcullis.cedar.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.cedar.schema.ErrorCases;
import dev.portcullis.cedar.schema.Schema;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Entity and context JSON that does not match its schema (or is malformed), as data. */
class EntityJsonErrorTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static List<ErrorCases.Case> cases() throws IOException {
        return ErrorCases.load("/json/entity-errors.txt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejected(ErrorCases.Case c) {
        Schema schema = c.get("schema") == null ? null : Schema.parseCedar(c.get("schema"));
        assertThatThrownBy(() -> {
                    if (c.get("entities") != null) {
                        EntityJson.parse(c.get("entities"), schema);
                    } else {
                        ContextJson.parse(
                                MAPPER.readTree(c.get("context")),
                                schema,
                                ValueJson.parseEntityUid(MAPPER.readTree(c.get("action"))));
                    }
                })
                .isInstanceOf(JsonFormatException.class)
                .hasMessageContaining(c.get("expect"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
