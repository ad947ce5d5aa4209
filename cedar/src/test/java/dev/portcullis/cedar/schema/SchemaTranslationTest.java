package dev.portcullis.cedar.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.cedar.testing.ConformanceData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Translation between the two schema formats preserves meaning: the resolved {@link Schema} of the
 * translation equals the resolved schema of the original, for every schema in the conformance data.
 */
class SchemaTranslationTest {

    @Test
    void everyHandWrittenCedarSchemaTranslatesBothWays() {
        Map<String, String> files = ConformanceData.files(".cedarschema");
        assertThat(files).hasSizeGreaterThanOrEqualTo(12);
        assertThat(roundTripFailures(files)).isEmpty();
    }

    @Test
    void everyCorpusSchemaTranslatesBothWays() {
        Map<String, String> files = ConformanceData.corpus(n -> n.endsWith(".cedarschema"));
        assertThat(files).hasSizeGreaterThan(7000);
        assertThat(roundTripFailures(files)).isEmpty();
    }

    @Test
    void everyJsonSchemaTranslatesBothWays() {
        Map<String, String> files = ConformanceData.files(".cedarschema.json");
        assertThat(files).hasSizeGreaterThanOrEqualTo(5);
        List<String> failures = new ArrayList<>();
        files.forEach((name, json) -> {
            Schema original = Schema.parseJson(json);
            String cedar = SchemaPrinter.jsonToCedar(json);
            if (!Schema.parseCedar(cedar).equals(original)) {
                failures.add(name + ": json -> cedar changed the meaning:\n" + cedar);
            }
            if (!Schema.parseJson(SchemaPrinter.cedarToJson(cedar)).equals(original)) {
                failures.add(name + ": json -> cedar -> json changed the meaning");
            }
        });
        assertThat(failures).isEmpty();
    }

    private static List<String> roundTripFailures(Map<String, String> files) {
        List<String> failures = new ArrayList<>();
        files.forEach((name, text) -> {
            Schema original = Schema.parseCedar(text);
            String json = SchemaPrinter.cedarToJson(text);
            if (!Schema.parseJson(json).equals(original)) {
                failures.add(name + ": cedar -> json changed the meaning:\n" + json);
                return;
            }
            String cedar = SchemaPrinter.jsonToCedar(json);
            if (!Schema.parseCedar(cedar).equals(original)) {
                failures.add(name + ": cedar -> json -> cedar changed the meaning:\n" + cedar);
            }
            // printing is canonical: a second round gives the same text
            if (!SchemaPrinter.formatCedar(cedar).equals(cedar)) {
                failures.add(name + ": the Cedar output is not stable");
            }
        });
        return failures;
    }

    /** Cedar itself (cedar-java 4.10.0) accepts what we print, in both formats. */
    @Test
    void cedarAcceptsTheTranslations() {
        Map<String, String> files = new java.util.LinkedHashMap<>(ConformanceData.files(".cedarschema"));
        files.putAll(ConformanceData.corpus(n -> n.endsWith(".cedarschema")));
        List<String> failures = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        files.forEach((name, text) -> {
            if (!seen.add(text)) {
                return; // the corpus repeats schemas
            }
            String json = SchemaPrinter.cedarToJson(text);
            String cedar = SchemaPrinter.jsonToCedar(json);
            for (var attempt : List.of(
                    Map.entry(com.cedarpolicy.model.schema.Schema.JsonOrCedar.Json, json),
                    Map.entry(com.cedarpolicy.model.schema.Schema.JsonOrCedar.Cedar, cedar))) {
                try {
                    com.cedarpolicy.model.schema.Schema.parse(attempt.getKey(), attempt.getValue());
                } catch (Exception e) {
                    failures.add(name + " (" + attempt.getKey() + "): " + e.getMessage() + "\n" + attempt.getValue());
                }
            }
        });
        assertThat(seen).hasSizeGreaterThan(100);
        assertThat(failures).isEmpty();
    }

    @Test
    void commonTypesStayCommonTypes() {
        String text = "namespace App { type Addr = { street: String }; entity User { home: Addr }; }";
        String json = SchemaPrinter.cedarToJson(text);
        assertThat(json).contains("\"commonTypes\"").contains("\"type\": \"Addr\"");
        assertThat(SchemaPrinter.jsonToCedar(json)).contains("type Addr = {").contains("home: Addr");
    }

    @Test
    void namesBecomeWhatTheyResolveTo() {
        String text = "entity User; type T = Long; entity Doc { owner: User, n: T, ip: ipaddr, b: Bool };";
        String json = SchemaPrinter.cedarToJson(text);
        assertThat(json)
                .contains("\"type\": \"Entity\",\n")
                .contains("\"type\": \"T\"")
                .contains("\"type\": \"Extension\"")
                .contains("\"type\": \"Boolean\"")
                .doesNotContain("EntityOrCommon");
    }

    @Test
    void shadowedBuiltinsAreQualified() {
        // an entity type named `Long` shadows the primitive in the Cedar format, not in JSON
        String json = """
                {"": {"entityTypes": {"Long": {}, "ipaddr": {},
                  "E": {"shape": {"type": "Record", "attributes": {
                     "n": {"type": "Long"}, "i": {"type": "Extension", "name": "ipaddr"},
                     "e": {"type": "Entity", "name": "Long"}}}}},
                  "actions": {}}}
                """;
        String cedar = SchemaPrinter.jsonToCedar(json);
        assertThat(cedar).contains("n: __cedar::Long").contains("i: __cedar::ipaddr");
        assertThat(Schema.parseCedar(cedar)).isEqualTo(Schema.parseJson(json));
    }

    @Test
    void anEntityTheCedarFormatCannotNameIsAnError() {
        // inside NS the Cedar-format name `User` finds the common type NS::User first, and the
        // format has no way to name the root namespace's entity type User from there
        String json = """
                {"": {"entityTypes": {"User": {}}, "actions": {}},
                 "NS": {"commonTypes": {"User": {"type": "Long"}},
                        "entityTypes": {"Doc": {"shape": {"type": "Record", "attributes": {
                           "o": {"type": "Entity", "name": "User"}}}}},
                        "actions": {}}}
                """;
        assertThatThrownBy(() -> SchemaPrinter.jsonToCedar(json))
                .isInstanceOf(SchemaException.class)
                .hasMessageContaining("`User`");
    }

    @Test
    void anActionForNoPrincipalLosesItsAppliesTo() throws Exception {
        String json = """
                {"": {"entityTypes": {"U": {}}, "actions": {
                  "a": {"appliesTo": {"principalTypes": [], "resourceTypes": ["U"],
                        "context": {"type": "Record", "attributes": {"x": {"type": "Long"}}}}},
                  "b": {"appliesTo": {"principalTypes": ["U"], "resourceTypes": ["U"]}}}}}
                """;
        String cedar = SchemaPrinter.jsonToCedar(json);
        assertThat(cedar).contains("action \"a\";").contains("action \"b\" appliesTo");
        // cedar accepts it, and no request may use `a` either way
        com.cedarpolicy.model.schema.Schema.parse(com.cedarpolicy.model.schema.Schema.JsonOrCedar.Cedar, cedar);
        ActionDecl a = Schema.parseCedar(cedar).actions().iterator().next();
        assertThat(a.principalTypes()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"entity A { b: Nope };", "entity A in [B];", "type T = T; entity A { t: T };"})
    void invalidSchemasAreNotTranslated(String text) {
        assertThatThrownBy(() -> SchemaPrinter.cedarToJson(text)).isInstanceOf(SchemaException.class);
    }

    @Test
    void annotationsAndQuotedNamesSurvive() {
        String text = """
                @doc("the app")
                namespace App {
                  @doc("a user")
                  entity User {
                    @doc("years") "the age"?: Long,
                    "in": String
                  } tags Set<String>;
                  entity Color enum ["red", "gr\\"een"];
                  action "read", "write" in ["all"] appliesTo { principal: User, resource: [User, Color],
                    context: { ip: ipaddr } };
                  action all;
                }
                """;
        Schema original = Schema.parseCedar(text);
        String json = SchemaPrinter.cedarToJson(text);
        assertThat(Schema.parseJson(json)).isEqualTo(original);
        String cedar = SchemaPrinter.jsonToCedar(json);
        assertThat(Schema.parseCedar(cedar)).isEqualTo(original);
        assertThat(cedar)
                .contains("\"the age\"?: Long")
                .contains("\"in\": String")
                .contains("@doc(\"a user\")");
    }
}
