package dev.portcullis.pdp.authzen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.pdp.DecisionRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AuthZEN → Cedar, without a schema (the server's and the MCP gateway's shared mapping). */
class AuthZenMappingTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    final AuthZenMapping mapping = new AuthZenMapping(new Mapping(Map.of("user", "User"), "App::Action"), true);

    @Test
    void typesAreMappedAndPropertiesBecomeFacts() throws Exception {
        AuthZenMapping.Evaluation e = mapping.evaluation(
                json("{\"type\": \"user\", \"id\": \"alice\", \"properties\": {\"level\": 3}}"),
                json("{\"name\": \"read\"}"),
                json("{\"type\": \"Doc\", \"id\": \"d1\"}"),
                json("{\"ip\": \"10.0.0.1\", \"session_token\": \"tok\", \"portcullis\": {\"explain\": true}}"),
                "",
                null,
                "evaluation",
                "pep");
        DecisionRequest r = e.request();
        assertThat(r.request().principal()).isEqualTo(EntityUid.of("User", "alice"));
        assertThat(r.request().action()).isEqualTo(new EntityUid(EntityType.of("App::Action"), "read"));
        assertThat(r.request().resource()).isEqualTo(EntityUid.of("Doc", "d1"));
        assertThat(r.request().context().attrs()).containsOnlyKeys("ip");
        assertThat(r.request().context().get("ip")).isEqualTo(new StringValue("10.0.0.1"));
        assertThat(r.facts()).hasSize(1);
        assertThat(r.facts().get(0).attrs()).containsEntry("level", LongValue.of(3));
        assertThat(e.explain()).isTrue();
        assertThat(e.sessionToken()).isEqualTo("tok");
        assertThat(mapping.authzenType(EntityType.of("User"))).isEqualTo("user");
    }

    @Test
    void badInputNamesTheField() throws Exception {
        assertThatThrownBy(() -> mapping.evaluation(
                        json("{\"type\": \"user\"}"),
                        json("{\"name\": \"read\"}"),
                        json("{\"type\": \"Doc\", \"id\": \"d\"}"),
                        null,
                        "evaluations[1].",
                        null,
                        "evaluations",
                        "pep"))
                .isInstanceOf(BadRequestException.class)
                .hasMessage("missing `evaluations[1].subject.id`");
        assertThatThrownBy(() -> mapping.evaluation(
                        json("{\"type\": \"user\", \"id\": \"a\"}"),
                        json("{\"name\": \"read\"}"),
                        json("{\"type\": \"Doc\", \"id\": \"d\"}"),
                        json("{\"session\": {}}"),
                        "",
                        null,
                        "evaluation",
                        "pep"))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("set by Portcullis");
    }

    @Test
    void withASchema_undeclaredContextAttributesAreDropped_andTheBodyIsLeftAsSent() throws Exception {
        Schema schema = Schema.parseCedar("namespace App { entity User; entity Doc;"
                + " action read appliesTo { principal: User, resource: Doc, context: { ip: String } }; }");
        JsonNode both = json("{\"ip\": \"10.0.0.1\", \"extra\": 1}");
        JsonNode declaredOnly = json("{\"ip\": \"10.0.0.2\"}");
        for (JsonNode context : new JsonNode[] {both, declaredOnly}) {
            String sent = context.toString();
            DecisionRequest r = mapping.evaluation(
                            json("{\"type\": \"user\", \"id\": \"alice\"}"),
                            json("{\"name\": \"read\"}"),
                            json("{\"type\": \"App::Doc\", \"id\": \"d1\"}"),
                            context,
                            "",
                            schema,
                            "evaluation",
                            "pep")
                    .request();
            assertThat(r.request().context().attrs()).containsOnlyKeys("ip");
            assertThat(r.request().context().get("ip"))
                    .isEqualTo(new StringValue(context.get("ip").asText()));
            assertThat(r.request().action()).isEqualTo(new EntityUid(EntityType.of("App::Action"), "read"));
            assertThat(context.toString()).isEqualTo(sent);
        }
    }
}
