package dev.portcullis.cedar.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.json.ContextJson;
import dev.portcullis.cedar.json.EntityJson;
import dev.portcullis.cedar.parser.PolicyParser;
import dev.portcullis.cedar.testing.ConformanceData;
import dev.portcullis.cedar.value.EntityUid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Request and entity validation against a schema. The cases are data: each row is an input and
 * either {@code ok} or a fragment the error message must contain. Values are read without the
 * schema so that ill-typed data reaches the validators.
 */
class RequestEntityValidatorTest {
    static final Schema SCHEMA = Schema.parseCedar("""
            namespace App {
              type Meta = { tag: String, level?: Long };
              entity Group;
              entity Color enum ["red", "blue"];
              entity User in [Group] { name: String, age?: Long, boss?: User, color?: Color, meta?: Meta };
              entity Doc { owner: User, labels: Set<String>, ip?: ipaddr } tags Long;
              action read appliesTo { principal: [User], resource: [Doc], context: { ip: ipaddr, n?: Long } };
              action paint appliesTo { principal: [User], resource: [Color] };
              action all;
              action edit in [all] appliesTo { principal: User, resource: Doc };
            }
            """);

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            ok                     | App::User::"a" | App::Action::"read"  | App::Doc::"d"     | {"ip": {"__extn": {"fn": "ip", "arg": "10.0.0.1"}}}
            ok                     | App::User::"a" | App::Action::"read"  | App::Doc::"d"     | {"ip": {"__extn": {"fn": "ip", "arg": "::1"}}, "n": 3}
            ok                     | App::User::"a" | App::Action::"paint" | App::Color::"red" | {}
            ok                     | App::User::"a" | App::Action::"edit"  | App::Doc::"d"     | {}
            not declared           | App::User::"a" | App::Action::"write" | App::Doc::"d"     | {}
            not declared           | App::User::"a" | Action::"read"      | App::Doc::"d"     | {}
            applies only to principals of type `App::User` | App::Group::"g" | App::Action::"read" | App::Doc::"d" | {"ip": {"__extn": {"fn": "ip", "arg": "::1"}}}
            applies only to resources of type `App::Doc`   | App::User::"a" | App::Action::"read" | App::User::"b" | {"ip": {"__extn": {"fn": "ip", "arg": "::1"}}}
            applies only to principals of type (none)      | App::User::"a" | App::Action::"all"  | App::Doc::"d" | {}
            entity type `App::Nope`, which is not declared | App::Nope::"a" | App::Action::"read"  | App::Doc::"d"     | {}
            enumerated entity type `App::Color` | App::User::"a" | App::Action::"paint" | App::Color::"green" | {}
            missing required attribute `ip` | App::User::"a" | App::Action::"read" | App::Doc::"d" | {"n": 3}
            context.ip: expected a value of type `ipaddr`, found string | App::User::"a" | App::Action::"read" | App::Doc::"d" | {"ip": "10.0.0.1"}
            context.ip: expected a value of type `ipaddr`, found decimal | App::User::"a" | App::Action::"read" | App::Doc::"d" | {"ip": {"__extn": {"fn": "decimal", "arg": "1.0"}}}
            context.n: expected a value of type `Long`, found boolean | App::User::"a" | App::Action::"read" | App::Doc::"d" | {"ip": {"__extn": {"fn": "ip", "arg": "::1"}}, "n": true}
            attribute `extra` is not declared | App::User::"a" | App::Action::"read" | App::Doc::"d" | {"ip": {"__extn": {"fn": "ip", "arg": "::1"}}, "extra": 1}
            attribute `ip` is not declared | App::User::"a" | App::Action::"paint" | App::Color::"red" | {"ip": {"__extn": {"fn": "ip", "arg": "::1"}}}
            """)
    void requests(String expected, String principal, String action, String resource, String context) throws Exception {
        EntityUid a = PolicyParser.parseEntityUid(action);
        Request r = new Request(
                PolicyParser.parseEntityUid(principal),
                a,
                PolicyParser.parseEntityUid(resource),
                ContextJson.parse(context, null, a));
        String problem = new RequestValidator(SCHEMA).problem(r);
        if (expected.equals("ok")) {
            assertThat(problem).isNull();
        } else {
            assertThat(problem).contains(expected);
        }
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            ok | {"uid": {"type": "App::User", "id": "a"}, "attrs": {"name": "A"}, "parents": [{"type": "App::Group", "id": "g"}]}
            ok | {"uid": {"type": "App::User", "id": "a"}, "attrs": {"name": "A", "age": 3, "boss": {"__entity": {"type": "App::User", "id": "b"}}, "color": {"__entity": {"type": "App::Color", "id": "blue"}}, "meta": {"tag": "t"}}, "parents": []}
            ok | {"uid": {"type": "App::Doc", "id": "d"}, "attrs": {"owner": {"__entity": {"type": "App::User", "id": "a"}}, "labels": []}, "parents": [], "tags": {"x": 1}}
            ok | {"uid": {"type": "App::Color", "id": "red"}, "attrs": {}, "parents": []}
            ok | {"uid": {"type": "App::Action", "id": "edit"}, "attrs": {}, "parents": [{"type": "App::Action", "id": "all"}]}
            entity type `App::Nope` is not declared | {"uid": {"type": "App::Nope", "id": "a"}, "attrs": {}, "parents": []}
            not one of the values of enumerated entity type `App::Color` | {"uid": {"type": "App::Color", "id": "green"}, "attrs": {}, "parents": []}
            missing required attribute `name` | {"uid": {"type": "App::User", "id": "a"}, "attrs": {}, "parents": []}
            attribute.age: expected a value of type `Long`, found string | {"uid": {"type": "App::User", "id": "a"}, "attrs": {"name": "A", "age": "3"}, "parents": []}
            attribute.boss: expected a value of type `App::User`, found entity of type `App::Group` | {"uid": {"type": "App::User", "id": "a"}, "attrs": {"name": "A", "boss": {"__entity": {"type": "App::Group", "id": "b"}}}, "parents": []}
            attribute.color: `App::Color::"pink"` is not one of the values | {"uid": {"type": "App::User", "id": "a"}, "attrs": {"name": "A", "color": {"__entity": {"type": "App::Color", "id": "pink"}}}, "parents": []}
            attribute.meta: missing required attribute `tag` | {"uid": {"type": "App::User", "id": "a"}, "attrs": {"name": "A", "meta": {"level": 1}}, "parents": []}
            attribute.meta.level: expected a value of type `Long` | {"uid": {"type": "App::User", "id": "a"}, "attrs": {"name": "A", "meta": {"tag": "t", "level": "1"}}, "parents": []}
            attribute `nick` is not declared | {"uid": {"type": "App::User", "id": "a"}, "attrs": {"name": "A", "nick": "x"}, "parents": []}
            labels (set element): expected a value of type `String`, found long | {"uid": {"type": "App::Doc", "id": "d"}, "attrs": {"owner": {"__entity": {"type": "App::User", "id": "a"}}, "labels": ["a", 2]}, "parents": []}
            cannot be a member of `App::User::"b"` | {"uid": {"type": "App::User", "id": "a"}, "attrs": {"name": "A"}, "parents": [{"type": "App::User", "id": "b"}]}
            may only be a member of no entity type | {"uid": {"type": "App::Group", "id": "g"}, "attrs": {}, "parents": [{"type": "App::Group", "id": "h"}]}
            does not allow tags | {"uid": {"type": "App::User", "id": "a"}, "attrs": {"name": "A"}, "parents": [], "tags": {"t": 1}}
            tag `x`: expected a value of type `Long`, found string | {"uid": {"type": "App::Doc", "id": "d"}, "attrs": {"owner": {"__entity": {"type": "App::User", "id": "a"}}, "labels": []}, "parents": [], "tags": {"x": "1"}}
            action is not declared | {"uid": {"type": "App::Action", "id": "delete"}, "attrs": {}, "parents": []}
            parents do not match | {"uid": {"type": "App::Action", "id": "edit"}, "attrs": {}, "parents": []}
            """)
    void entities(String expected, String entityJson) {
        Entities store = EntityJson.parse("[" + entityJson + "]", null);
        List<String> problems = new EntityValidator(SCHEMA).problems(store, 10);
        if (expected.equals("ok")) {
            assertThat(problems).isEmpty();
        } else {
            assertThat(problems).singleElement().asString().contains(expected);
        }
    }

    @Test
    void validateThrowsWithTheMessage() {
        Request r = new Request(
                PolicyParser.parseEntityUid("App::User::\"a\""),
                PolicyParser.parseEntityUid("App::Action::\"nope\""),
                PolicyParser.parseEntityUid("App::Doc::\"d\""),
                dev.portcullis.cedar.value.RecordValue.EMPTY);
        assertThatThrownBy(() -> new RequestValidator(SCHEMA).validate(r))
                .isInstanceOf(ConformanceException.class)
                .hasMessage("request's action `App::Action::\"nope\"` is not declared in the schema");
    }

    /** Every corpus test says its requests and entities are valid: no false rejections. */
    @Test
    void everyCorpusRequestAndEntityStoreConforms() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, String> files = ConformanceData.corpus(n -> n.endsWith(".json") || n.endsWith(".cedarschema"));
        List<String> failures = new ArrayList<>();
        int requests = 0;
        int tests = 0;
        for (var f : files.entrySet()) {
            if (f.getKey().endsWith(".entities.json") || !f.getKey().endsWith(".json")) {
                continue;
            }
            JsonNode test = json.readTree(f.getValue());
            Schema schema = Schema.parseCedar(files.get(test.get("schema").asText()));
            Entities store = EntityJson.parse(files.get(test.get("entities").asText()), schema);
            tests++;
            new EntityValidator(schema).problems(store, 3).forEach(p -> failures.add(f.getKey() + ": " + p));
            RequestValidator validator = new RequestValidator(schema);
            for (JsonNode req : test.get("requests")) {
                assertThat(req.get("validateRequest").asBoolean()).isTrue();
                EntityUid action = dev.portcullis.cedar.json.ValueJson.parseEntityUid(req.get("action"));
                Request r = new Request(
                        dev.portcullis.cedar.json.ValueJson.parseEntityUid(req.get("principal")),
                        action,
                        dev.portcullis.cedar.json.ValueJson.parseEntityUid(req.get("resource")),
                        ContextJson.parse(req.get("context"), schema, action));
                requests++;
                String problem = validator.problem(r);
                if (problem != null) {
                    failures.add(f.getKey() + " " + req.get("description").asText() + ": " + problem);
                }
            }
        }
        assertThat(tests).isGreaterThan(7000);
        assertThat(requests).isGreaterThan(tests);
        assertThat(failures).isEmpty();
    }
}
