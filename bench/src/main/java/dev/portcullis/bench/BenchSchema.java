package dev.portcullis.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough of a Cedar JSON schema to generate data from it: entity types with their {@code
 * memberOfTypes} and attribute shapes, actions with {@code appliesTo} and {@code memberOf}.
 *
 * <p>Deliberately independent of the engine's own {@code Schema}: the benchmark's workload must not
 * change when the engine under test changes, and it reads only the empty namespace the OOPSLA
 * schemas use.
 */
record BenchSchema(Map<String, EntityTypeDef> entityTypes, Map<String, ActionDef> actions) {

    /** An attribute type, as far as the generator cares. */
    sealed interface AttrType {}

    record BoolType() implements AttrType {}

    record LongType() implements AttrType {}

    record StringType() implements AttrType {}

    record EntityRefType(String entityType) implements AttrType {}

    record SetType(AttrType element) implements AttrType {}

    record RecordType(Map<String, AttrType> attrs) implements AttrType {}

    record EntityTypeDef(String name, List<String> memberOfTypes, Map<String, AttrType> attrs) {}

    record ActionDef(String id, List<String> principalTypes, List<String> resourceTypes, List<String> memberOf) {}

    static BenchSchema parse(String json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("schema is not json: " + e.getOriginalMessage());
        }
        JsonNode ns = root.get("");
        if (ns == null) {
            throw new IllegalArgumentException("schema has no empty namespace; only `\"\"` is supported");
        }
        Map<String, EntityTypeDef> types = new LinkedHashMap<>();
        ns.path("entityTypes").properties().forEach(e -> {
            JsonNode def = e.getValue();
            Map<String, AttrType> attrs = def.has("shape") ? recordAttrs(def.get("shape")) : Map.of();
            types.put(e.getKey(), new EntityTypeDef(e.getKey(), strings(def.path("memberOfTypes")), attrs));
        });
        Map<String, ActionDef> actions = new LinkedHashMap<>();
        ns.path("actions").properties().forEach(e -> {
            JsonNode def = e.getValue();
            JsonNode applies = def.path("appliesTo");
            List<String> parents = new ArrayList<>();
            def.path("memberOf").forEach(m -> parents.add(m.path("id").asText()));
            actions.put(
                    e.getKey(),
                    new ActionDef(
                            e.getKey(),
                            strings(applies.path("principalTypes")),
                            strings(applies.path("resourceTypes")),
                            parents));
        });
        return new BenchSchema(types, actions);
    }

    private static Map<String, AttrType> recordAttrs(JsonNode shape) {
        Map<String, AttrType> attrs = new LinkedHashMap<>();
        shape.path("attributes").properties().forEach(a -> attrs.put(a.getKey(), type(a.getValue())));
        return attrs;
    }

    private static AttrType type(JsonNode t) {
        String kind = t.path("type").asText();
        return switch (kind) {
            case "Boolean" -> new BoolType();
            case "Long" -> new LongType();
            case "String" -> new StringType();
            case "Entity" -> new EntityRefType(t.path("name").asText());
            case "Set" -> new SetType(type(t.path("element")));
            case "Record" -> new RecordType(recordAttrs(t));
            default -> throw new IllegalArgumentException("unsupported attribute type `" + kind + "`");
        };
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }
}
