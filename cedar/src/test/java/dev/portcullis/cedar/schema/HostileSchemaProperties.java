package dev.portcullis.cedar.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.cedar.json.EntityJson;
import dev.portcullis.cedar.json.JsonFormatException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Damaged input never escapes as anything but the formats' own exceptions: no {@code
 * NullPointerException}, {@code ClassCastException} or index error from a half-parsed schema or
 * entity document. Inputs are valid documents with random edits, so they get deep into the parsers.
 */
class HostileSchemaProperties {
    private static final String CEDAR = """
            @doc("n") namespace N {
              type Ctx = { ip: ipaddr, "x y"?: Set<Long> };
              entity G enum ["a", "b"];
              entity U in [G, U] = { name: String, boss?: U, when: __cedar::datetime } tags Bool;
              action read, "write" in [all] appliesTo { principal: [U], resource: G, context: Ctx };
              action all;
            }
            entity E in [N::U] { n: N::Ctx };
            """;

    private static final String JSON = """
            {"N": {"commonTypes": {"C": {"type": "Record", "attributes": {"a": {"type": "Long", "required": false}}}},
                   "entityTypes": {"U": {"memberOfTypes": ["U"], "shape": {"type": "C"}, "tags": {"type": "Set", "element": {"type": "Extension", "name": "decimal"}}},
                                   "E": {"enum": ["x"]}},
                   "actions": {"a": {"memberOf": [{"id": "b", "type": "N::Action"}], "appliesTo": {"principalTypes": ["U"], "resourceTypes": ["E"], "context": {"type": "EntityOrCommon", "name": "C"}}},
                               "b": {}}}}
            """;

    private static final String ENTITIES = """
            [{"uid": {"type": "N::U", "id": "u"}, "attrs": {"name": "x", "when": "2024-01-01", "boss": {"type": "N::U", "id": "v"}},
              "parents": [{"__entity": {"type": "N::G", "id": "a"}}], "tags": {"t": true}},
             {"uid": {"type": "E", "id": "e"}, "attrs": {"n": {"ip": {"__extn": {"fn": "ip", "arg": "::1/64"}}, "x y": [1, 2]}}}]
            """;

    private static final Schema SCHEMA = Schema.parseCedar(CEDAR);

    @Provide
    Arbitrary<String> damagedCedar() {
        return damaged(CEDAR);
    }

    @Provide
    Arbitrary<String> damagedJson() {
        return damaged(JSON);
    }

    @Provide
    Arbitrary<String> damagedEntities() {
        return damaged(ENTITIES);
    }

    /** The text with a few characters deleted, replaced or inserted at random places. */
    private static Arbitrary<String> damaged(String text) {
        Arbitrary<Tuple.Tuple3<Integer, Integer, String>> edit = Arbitraries.integers()
                .between(0, text.length())
                .flatMap(at -> Arbitraries.integers().between(0, 3).flatMap(del -> Arbitraries.strings()
                        .withChars("{}[]<>\",:;?@=\\ aZ0_-.")
                        .ofMaxLength(3)
                        .map(ins -> Tuple.of(at, del, ins))));
        return edit.list().ofMinSize(1).ofMaxSize(4).map(edits -> apply(text, edits));
    }

    private static String apply(String text, List<Tuple.Tuple3<Integer, Integer, String>> edits) {
        StringBuilder b = new StringBuilder(text);
        for (var e : edits) {
            int at = Math.min(e.get1(), b.length());
            int end = Math.min(at + e.get2(), b.length());
            b.replace(at, end, e.get3());
        }
        return b.toString();
    }

    @Property(tries = 200)
    void cedarFormatFailsOnlyWithSchemaException(@ForAll("damagedCedar") String text) {
        assertThat(outcome(() -> Schema.parseCedar(text))).isIn("ok", "SchemaException");
    }

    @Property(tries = 200)
    void jsonFormatFailsOnlyWithSchemaException(@ForAll("damagedJson") String text) {
        assertThat(outcome(() -> Schema.parseJson(text))).isIn("ok", "SchemaException");
    }

    @Property(tries = 200)
    void entitiesFailOnlyWithJsonFormatException(@ForAll("damagedEntities") String text) {
        assertThat(outcome(() -> EntityJson.parse(text, SCHEMA))).isIn("ok", "JsonFormatException");
        assertThat(outcome(() -> EntityJson.parse(text, null))).isIn("ok", "JsonFormatException");
    }

    private static String outcome(Runnable r) {
        try {
            r.run();
            return "ok";
        } catch (SchemaException | JsonFormatException e) {
            return e.getClass().getSimpleName();
        } catch (RuntimeException e) {
            return e.toString();
        }
    }
}
