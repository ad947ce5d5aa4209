package dev.portcullis.server.authzen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AnswerJson}: the bytes written without Jackson are the bytes Jackson writes. */
class AnswerJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] jackson(boolean allowed, String id) throws Exception {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("decision", allowed);
        if (id != null) {
            o.putObject("context").put("decision_id", id);
        }
        return JSON.writeValueAsBytes(o);
    }

    @Test
    void decision_isWhatJacksonWrites_forEveryKindOfId() throws Exception {
        List<String> ids = List.of(
                "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
                "",
                "with \"quotes\" and \\backslash\\",
                "ctl \u0000\u0001\n\r\t\b\f\u001f",
                "del \u007f",
                "é 日本 😀",
                "line sep \u2028 para \u2029",
                "slash / </script>");
        for (String id : ids) {
            for (boolean allowed : new boolean[] {true, false}) {
                assertThat(AnswerJson.decision(allowed, id)).as("id %s", id).isEqualTo(jackson(allowed, id));
            }
        }
        assertThat(AnswerJson.decision(true, null))
                .isEqualTo(JSON.writeValueAsBytes(
                        JSON.readTree("{\"decision\":true,\"context\":{\"decision_id\":null}}")));
        assertThat(AnswerJson.decision(true)).isEqualTo(jackson(true, null));
        assertThat(AnswerJson.decision(false)).isEqualTo(jackson(false, null));
    }

    @Test
    void write_isWhatJacksonWrites() throws Exception {
        ObjectNode plain = JsonNodeFactory.instance.objectNode().put("decision", true);
        ObjectNode more =
                JsonNodeFactory.instance.objectNode().put("decision", false).put("x", "é\"");
        ObjectNode notBoolean = JsonNodeFactory.instance.objectNode().put("decision", "yes");
        for (ObjectNode o : List.of(plain, more, notBoolean)) {
            assertThat(AnswerJson.write(o)).isEqualTo(JSON.writeValueAsBytes(o));
        }
    }
}
