package dev.portcullis.cedar.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.cedar.ast.Locations;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.parser.PolicyParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** EST documents written by hand, in the shapes of Cedar's JSON policy format documentation. */
class PolicyJsonTest {

    private static void assertSame(String json, String cedar) {
        Policy fromJson = PolicyJson.parse("policy0", json);
        Policy fromText = PolicyParser.parse(cedar).get(0);
        assertThat(Locations.erase(fromJson)).isEqualTo(Locations.erase(fromText));
    }

    @Test
    void scopesConditionsAndAnnotations_matchTheTextForm() {
        assertSame("""
                {"effect": "permit",
                 "principal": {"op": "==", "entity": {"type": "User", "id": "12UA45"}},
                 "action": {"op": "==", "entity": {"type": "Action", "id": "view"}},
                 "resource": {"op": "in", "entity": {"type": "Folder", "id": "abc"}},
                 "conditions": [
                   {"kind": "when", "body": {"==": {"left": {".": {"left": {"Var": "context"}, "attr": "tls_version"}},
                                                     "right": {"Value": "1.3"}}}}],
                 "annotations": {"id": "p1", "bare": null}}
                """, """
                @id("p1") @bare
                permit(principal == User::"12UA45", action == Action::"view", resource in Folder::"abc")
                when { context.tls_version == "1.3" };
                """);
        assertSame(
                """
                {"effect": "forbid",
                 "principal": {"op": "is", "entity_type": "User", "in": {"slot": "?principal"}},
                 "action": {"op": "in", "entities": [{"type": "Action", "id": "a"}, {"type": "NS::Action", "id": "b"}]},
                 "resource": {"op": "is", "entity_type": "Photo"},
                 "conditions": []}
                """,
                "forbid(principal is User in ?principal, action in [Action::\"a\", NS::Action::\"b\"], resource is Photo);");
    }

    @Test
    void everyExpressionForm_matchesTheTextForm() {
        String body = """
                {"&&": {"left": {"||": {"left": {"!": {"arg": {"Var": "principal"}}},
                                         "right": {"neg": {"arg": {"Value": 9223372036854775807}}}}},
                         "right": {"if-then-else": {"if": {"has": {"left": {"Var": "resource"}, "attr": "owner"}},
                           "then": {"like": {"left": {"Value": "ab*"}, "pattern": ["Wildcard", {"Literal": "*"}, {"Literal": "xy"}]}},
                           "else": {"is": {"left": {"Var": "resource"}, "entity_type": "A::B", "in": {"Value": {"__entity": {"type": "G", "id": "g"}}}}}}}}}
                """;
        String body2 = """
                {"contains": {"left": {"Set": [{"Value": 1}, {"Value": [2, true]}, {"Record": {"k": {"Slot": "?principal"}}}]},
                              "right": {"lessThan": [{"decimal": [{"Value": "1.5"}]}, {"Value": {"__extn": {"fn": "decimal", "arg": "2.0"}}}]}}}
                """;
        assertSame(
                "{\"effect\": \"permit\", \"principal\": {\"op\": \"All\"}, \"action\": {\"op\": \"All\"},"
                        + " \"resource\": {\"op\": \"All\"}, \"conditions\": [{\"kind\": \"unless\", \"body\": " + body
                        + "}]}",
                "permit(principal, action, resource) unless { (!principal || -(9223372036854775807)) &&"
                        + " (if resource has owner then \"ab*\" like \"*\\*xy\" else resource is A::B in G::\"g\") };");
        assertThatThrownBy(() -> PolicyJson.parse(
                        "p",
                        "{\"effect\": \"permit\", \"principal\": {\"op\": \"All\"}, \"action\": {\"op\": \"All\"},"
                                + " \"resource\": {\"op\": \"All\"}, \"conditions\": [{\"kind\": \"when\", \"body\": "
                                + body2 + "}]}"))
                .isInstanceOf(JsonFormatException.class)
                .hasMessage(
                        "conditions[0].body.contains.left.Set[2].Record.k.Slot: template slots may only appear in the scope");
        String body3 = body2.replace("{\"Slot\": \"?principal\"}", "{\"Var\": \"context\"}");
        assertSame(
                "{\"effect\": \"permit\", \"principal\": {\"op\": \"All\"}, \"action\": {\"op\": \"All\"},"
                        + " \"resource\": {\"op\": \"All\"}, \"conditions\": [{\"kind\": \"when\", \"body\": " + body3
                        + "}]}",
                "permit(principal, action, resource) when { [1, [2, true], {k: context}].contains("
                        + "decimal(\"1.5\").lessThan(decimal(\"2.0\"))) };");
    }

    @Test
    void writtenJson_usesCedarShapes() {
        Policy p = PolicyParser.parse(
                        "@a permit(principal in ?principal, action in [Action::\"x\"], resource) when { context has a.b && ip(\"1.2.3.4\").isIpv4() };")
                .get(0);
        String json = PolicyJson.toJson(p);
        assertThat(json)
                .contains("\"principal\":{\"op\":\"in\",\"slot\":\"?principal\"}")
                .contains("\"action\":{\"op\":\"in\",\"entities\":[{\"type\":\"Action\",\"id\":\"x\"}]}")
                .contains("{\"isIpv4\":[{\"ip\":[{\"Value\":\"1.2.3.4\"}]}]}")
                .contains("{\"has\":{\"left\":{\".\":{\"left\":{\"Var\":\"context\"},\"attr\":\"a\"}},\"attr\":\"b\"}}")
                .contains("\"annotations\":{\"a\":\"\"}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            not json                                                            | invalid JSON
            []                                                                  | expected an object, found an array
            {"effect": "allow"}                                                 | effect: expected `permit` or `forbid`, found `allow`
            {"effect": "permit"}                                                | missing key `principal`
            {"effect": "permit", "principal": {"op": "=="}, "action": {"op": "All"}, "resource": {"op": "All"}} | principal: expected exactly one of `entity` and `slot`
            {"effect": "permit", "principal": {"op": "like"}, "action": {"op": "All"}, "resource": {"op": "All"}} | principal.op: expected `All`, `==`, `in` or `is`, found `like`
            {"effect": "permit", "principal": {"op": "All"}, "action": {"op": "==", "entity": {"type": "User", "id": "x"}}, "resource": {"op": "All"}} | action.entity: expected an entity uid with type `Action`
            {"effect": "permit", "principal": {"op": "All"}, "action": {"op": "All"}, "resource": {"op": "==", "slot": "?principal"}} | resource.slot: expected `?resource`, found `?principal`
            {"effect": "permit", "principal": {"op": "All"}, "action": {"op": "All"}, "resource": {"op": "All"}, "extra": 1} | unexpected key `extra`
            {"effect": "permit", "principal": {"op": "All"}, "action": {"op": "All"}, "resource": {"op": "All"}, "conditions": [{"kind": "if", "body": {"Value": true}}]} | conditions[0].kind: expected `when` or `unless`, found `if`
            {"effect": "permit", "principal": {"op": "All"}, "action": {"op": "All"}, "resource": {"op": "All"}, "conditions": [{"kind": "when", "body": {"==": {"left": {"Var": "user"}, "right": {"Value": 1}}}}]} | conditions[0].body.==.left.Var: unknown variable `user`
            {"effect": "permit", "principal": {"op": "All"}, "action": {"op": "All"}, "resource": {"op": "All"}, "conditions": [{"kind": "when", "body": {"Value": 1.5}}]} | conditions[0].body.Value: expected an integer in the range of a Long
            {"effect": "permit", "principal": {"op": "All"}, "action": {"op": "All"}, "resource": {"op": "All"}, "conditions": [{"kind": "when", "body": {"frobnicate": []}}]} | conditions[0].body: unknown expression kind `frobnicate`
            {"effect": "permit", "principal": {"op": "All"}, "action": {"op": "All"}, "resource": {"op": "All"}, "conditions": [{"kind": "when", "body": {"like": {"left": {"Value": "a"}, "pattern": ["Star"]}}}]} | conditions[0].body.like.pattern[0]: expected
            {"effect": "permit", "principal": {"op": "All"}, "action": {"op": "All"}, "resource": {"op": "All"}, "conditions": [{"kind": "when", "body": {"Value": true, "Var": "principal"}}]} | conditions[0].body: expected an expression object with exactly one key
            """)
    void malformedDocuments_nameTheJsonPath(String json, String message) {
        assertThatThrownBy(() -> PolicyJson.parse("p", json))
                .isInstanceOf(JsonFormatException.class)
                .hasMessageContaining(message);
    }

    @Test
    void deeplyNestedJson_isAClearError() {
        String head = "{\"effect\": \"permit\", \"principal\": {\"op\": \"All\"}, \"action\": {\"op\": \"All\"},"
                + " \"resource\": {\"op\": \"All\"}, \"conditions\": [{\"kind\": \"when\", \"body\": ";
        for (int depth : new int[] {100_000, 600}) {
            String body = "{\"!\": {\"arg\": ".repeat(depth) + "{\"Value\": true}" + "}}".repeat(depth);
            assertThatThrownBy(() -> PolicyJson.parse("p", head + body + "}]}"))
                    .as("depth %d", depth)
                    .isInstanceOf(JsonFormatException.class)
                    .hasMessageContaining("nest");
        }
        String ok = "{\"!\": {\"arg\": ".repeat(300) + "{\"Value\": true}" + "}}".repeat(300);
        assertThat(PolicyJson.parse("p", head + ok + "}]}").conditions()).hasSize(1);
    }
}
