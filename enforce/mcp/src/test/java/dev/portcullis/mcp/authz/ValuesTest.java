package dev.portcullis.mcp.authz;

import static dev.portcullis.mcp.authz.Harness.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.cedar.value.DecimalValue;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.SetValue;
import dev.portcullis.cedar.value.StringValue;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CEL templates, JSON → Cedar values, redaction. */
class ValuesTest {
    final CelExpressions cel = new CelExpressions();

    Map<String, Object> vars(String params, Map<String, Object> token) {
        java.util.Map<String, Object> t = new java.util.LinkedHashMap<>();
        token.forEach((k, v) -> t.put(k, CelExpressions.claimToCel(v)));
        return Map.of("params", CelExpressions.toCel(json(params)), "token", t);
    }

    @Test
    void templatesResolveLiteralsExpressionsAndEscapes() {
        JsonNode t = json("""
                {"a": "plain", "b": "$$5", "c": "$params.n + 1", "d": "$token.?missing", "e": 10, "f": true,
                 "g": ["$params.s", "$params.?nope", "x"], "h": "$params.m", "i": "$token.groups",
                 "j": "$params.f * 2.0", "k": "$params.?m.?k.orValue('none')"}
                """);
        JsonNode r = cel.resolve(
                t,
                vars(
                        "{\"n\": 41, \"s\": \"str\", \"m\": {\"k\": null}, \"f\": 1.25}",
                        Map.of("groups", List.of("a", 2))));
        assertThat(r.get("a").asText()).isEqualTo("plain");
        assertThat(r.get("b").asText()).isEqualTo("$5");
        assertThat(r.get("c").asLong()).isEqualTo(42);
        assertThat(r.has("d")).isFalse();
        assertThat(r.get("e").asInt()).isEqualTo(10);
        assertThat(r.get("f").asBoolean()).isTrue();
        assertThat(r.get("g")).hasSize(2);
        assertThat(r.get("g").get(1).asText()).isEqualTo("x");
        assertThat(r.get("h").get("k").isNull()).isTrue();
        assertThat(r.get("i").get(1).asLong()).isEqualTo(2);
        assertThat(r.get("j").asDouble()).isEqualTo(2.5);
        assertThat(r.get("k").isNull()).isTrue();
    }

    @Test
    void eachExpressionIsCompiledOnce() {
        int before = cel.cached();
        for (int i = 0; i < 5; i++) {
            cel.resolve(json("{\"x\": \"$params.a\", \"y\": \"$params.a\"}"), vars("{\"a\": 1}", Map.of()));
        }
        assertThat(cel.cached()).isEqualTo(before + 1);
    }

    @Test
    void errorsAreMappingErrors() {
        assertThatThrownBy(() -> cel.resolve(json("\"$params.missing\""), vars("{}", Map.of())))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("'$params.missing' failed");
        assertThatThrownBy(() -> cel.resolve(json("\"$params.(\""), vars("{}", Map.of())))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("does not compile");
        assertThatThrownBy(() -> cel.resolve(json("\"$timestamp('2020-01-01T00:00:00Z')\""), vars("{}", Map.of())))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("not a JSON value");
        assertThatThrownBy(() -> cel.resolve(json("\"$1 / 0\""), vars("{}", Map.of())))
                .isInstanceOf(MappingException.class);
    }

    @Test
    void argumentsBecomeCedarValuesLiterally() {
        RecordValue r = JsonCedar.record(json("""
                        {"n": 5, "f": 2.5, "whole": 3.0, "tiny": 0.00001, "huge": 123456789012345678901234567890,
                         "s": "x", "b": false, "l": [1, 1, 2, null], "o": {"__entity": {"type": "T", "id": "i"}},
                         "gone": null}
                        """), "arguments");
        assertThat(r.get("n")).isEqualTo(LongValue.of(5));
        assertThat(r.get("f")).isEqualTo(DecimalValue.parse("2.5"));
        assertThat(r.get("whole")).isEqualTo(LongValue.of(3));
        assertThat(r.get("tiny")).isEqualTo(new StringValue("0.00001"));
        assertThat(r.get("huge")).isInstanceOf(StringValue.class);
        assertThat(r.get("s")).isEqualTo(new StringValue("x"));
        assertThat(((SetValue) r.get("l")).elements()).containsExactlyInAnyOrder(LongValue.of(1), LongValue.of(2));
        assertThat(((RecordValue) r.get("o")).attrs()).containsKey("__entity");
        assertThat(r.attrs()).doesNotContainKey("gone");

        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            deep.append("{\"a\": ");
        }
        deep.append("1").append("}".repeat(40));
        assertThatThrownBy(() -> JsonCedar.record(json(deep.toString()), "arguments"))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("deeper");
    }

    @Test
    void redactionByNameAndPointer() {
        Redactor r = new Redactor(List.of("secret", "/arguments/list/1", "/arguments/a~1b"));
        JsonNode out = r.params(json("""
                {"name": "t", "arguments": {"secret": "s", "list": ["keep", "drop"], "a/b": "x",
                 "deep": [{"secret": "s2"}]}}
                """));
        assertThat(out.at("/arguments/secret").asText()).isEqualTo("[redacted]");
        assertThat(out.at("/arguments/list/0").asText()).isEqualTo("keep");
        assertThat(out.at("/arguments/list/1").asText()).isEqualTo("[redacted]");
        assertThat(out.at("/arguments/a~1b").asText()).isEqualTo("[redacted]");
        assertThat(out.at("/arguments/deep/0/secret").asText()).isEqualTo("[redacted]");
        assertThat(out.at("/name").asText()).isEqualTo("t");
    }
}
