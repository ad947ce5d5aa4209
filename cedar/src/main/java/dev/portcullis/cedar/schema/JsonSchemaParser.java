package dev.portcullis.cedar.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.cedar.json.JsonFormatException;
import dev.portcullis.cedar.json.JsonPaths;
import dev.portcullis.cedar.json.JsonReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the JSON schema format into {@link Raw} declarations. Unknown keys are errors (a typo such
 * as {@code "requred"} must not silently make an attribute required), as in Cedar.
 */
final class JsonSchemaParser {
    private static final Set<String> NAMESPACE_KEYS = Set.of("entityTypes", "actions", "commonTypes", "annotations");
    private static final Set<String> ENTITY_KEYS = Set.of("memberOfTypes", "shape", "tags", "enum", "annotations");
    private static final Set<String> ACTION_KEYS = Set.of("memberOf", "appliesTo", "annotations", "attributes");
    private static final Set<String> APPLIES_TO_KEYS = Set.of("principalTypes", "resourceTypes", "context");
    private static final Set<String> MEMBER_KEYS = Set.of("id", "type");

    private JsonSchemaParser() {}

    static List<Raw.Namespace> parse(String json) {
        JsonNode root;
        try {
            root = JsonReader.read(json, "schema");
        } catch (JsonFormatException e) {
            throw new SchemaException(e.getMessage());
        }
        String path = "schema";
        requireObject(root, path);
        List<Raw.Namespace> out = new ArrayList<>();
        for (var it = root.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            out.add(namespace(e.getKey(), e.getValue(), JsonPaths.key(path, e.getKey())));
        }
        return out;
    }

    private static Raw.Namespace namespace(String name, JsonNode node, String path) {
        if (!name.isEmpty() && !Names.isPath(name)) {
            throw error(path, "`" + name + "` is not a valid namespace name");
        }
        requireObject(node, path);
        checkKeys(node, NAMESPACE_KEYS, path);
        Map<String, String> annotations = annotations(node.get("annotations"), JsonPaths.key(path, "annotations"));
        if (name.isEmpty() && !annotations.isEmpty()) {
            throw error(path, "the empty namespace cannot have annotations");
        }
        Raw.Namespace ns = new Raw.Namespace(name, path, annotations);
        JsonNode commons = node.get("commonTypes");
        if (commons != null) {
            String cpath = JsonPaths.key(path, "commonTypes");
            requireObject(commons, cpath);
            for (var it = commons.properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                String p = JsonPaths.key(cpath, e.getKey());
                requireIdent(e.getKey(), p, "common type");
                requireObject(e.getValue(), p);
                Map<String, String> ann = annotations(e.getValue().get("annotations"), JsonPaths.key(p, "annotations"));
                ns.commonTypes.put(e.getKey(), new Raw.Common(p, type(e.getValue(), p, Set.of("annotations")), ann));
            }
        }
        JsonNode entities = required(node, "entityTypes", path);
        String epath = JsonPaths.key(path, "entityTypes");
        requireObject(entities, epath);
        for (var it = entities.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            String p = JsonPaths.key(epath, e.getKey());
            requireIdent(e.getKey(), p, "entity type");
            ns.entityTypes.put(e.getKey(), entityType(e.getValue(), p));
        }
        JsonNode actions = required(node, "actions", path);
        String apath = JsonPaths.key(path, "actions");
        requireObject(actions, apath);
        for (var it = actions.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            ns.actions.put(e.getKey(), action(e.getValue(), JsonPaths.key(apath, e.getKey())));
        }
        return ns;
    }

    private static Raw.Entity entityType(JsonNode node, String path) {
        requireObject(node, path);
        checkKeys(node, ENTITY_KEYS, path);
        Map<String, String> annotations = annotations(node.get("annotations"), JsonPaths.key(path, "annotations"));
        List<Raw.TypeRef> memberOf = new ArrayList<>();
        JsonNode m = node.get("memberOfTypes");
        if (m != null) {
            String mpath = JsonPaths.key(path, "memberOfTypes");
            requireArray(m, mpath);
            for (int i = 0; i < m.size(); i++) {
                String p = JsonPaths.index(mpath, i);
                memberOf.add(new Raw.TypeRef(typeName(m.get(i), p), p));
            }
        }
        JsonNode enumNode = node.get("enum");
        if (enumNode != null) {
            String p = JsonPaths.key(path, "enum");
            for (String k : List.of("shape", "tags", "memberOfTypes")) {
                if (node.has(k)) {
                    throw error(JsonPaths.key(path, k), "an enumerated entity type cannot have `" + k + "`");
                }
            }
            requireArray(enumNode, p);
            if (enumNode.isEmpty()) {
                throw error(p, "an enumerated entity type needs at least one value");
            }
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < enumNode.size(); i++) {
                ids.add(string(enumNode.get(i), JsonPaths.index(p, i)));
            }
            return new Raw.Entity(path, memberOf, null, null, ids, annotations);
        }
        JsonNode shape = node.get("shape");
        JsonNode tags = node.get("tags");
        return new Raw.Entity(
                path,
                memberOf,
                shape == null ? null : type(shape, JsonPaths.key(path, "shape"), Set.of()),
                tags == null ? null : type(tags, JsonPaths.key(path, "tags"), Set.of()),
                null,
                annotations);
    }

    private static Raw.Action action(JsonNode node, String path) {
        requireObject(node, path);
        checkKeys(node, ACTION_KEYS, path);
        if (node.has("attributes")) {
            throw error(JsonPaths.key(path, "attributes"), "action attributes are not supported");
        }
        Map<String, String> annotations = annotations(node.get("annotations"), JsonPaths.key(path, "annotations"));
        List<Raw.ActionRef> memberOf = new ArrayList<>();
        JsonNode m = node.get("memberOf");
        if (m != null) {
            String mpath = JsonPaths.key(path, "memberOf");
            requireArray(m, mpath);
            for (int i = 0; i < m.size(); i++) {
                String p = JsonPaths.index(mpath, i);
                JsonNode ref = m.get(i);
                requireObject(ref, p);
                checkKeys(ref, MEMBER_KEYS, p);
                String id = string(required(ref, "id", p), JsonPaths.key(p, "id"));
                String type = ref.has("type") ? typeName(ref.get("type"), JsonPaths.key(p, "type")) : null;
                memberOf.add(new Raw.ActionRef(type, id, p));
            }
        }
        Raw.AppliesTo appliesTo = null;
        JsonNode a = node.get("appliesTo");
        if (a != null && !a.isNull()) {
            String p = JsonPaths.key(path, "appliesTo");
            requireObject(a, p);
            checkKeys(a, APPLIES_TO_KEYS, p);
            JsonNode ctx = a.get("context");
            appliesTo = new Raw.AppliesTo(
                    typeRefs(required(a, "principalTypes", p), JsonPaths.key(p, "principalTypes")),
                    typeRefs(required(a, "resourceTypes", p), JsonPaths.key(p, "resourceTypes")),
                    ctx == null ? null : type(ctx, JsonPaths.key(p, "context"), Set.of()));
        }
        return new Raw.Action(path, memberOf, appliesTo, annotations);
    }

    private static List<Raw.TypeRef> typeRefs(JsonNode node, String path) {
        requireArray(node, path);
        List<Raw.TypeRef> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String p = JsonPaths.index(path, i);
            out.add(new Raw.TypeRef(typeName(node.get(i), p), p));
        }
        return out;
    }

    /**
     * A type object. {@code extraKeys} are the keys the context allows besides the type's own
     * ({@code required} and {@code annotations} for attributes).
     */
    private static Raw.Type type(JsonNode node, String path, Set<String> extraKeys) {
        requireObject(node, path);
        String kind = string(required(node, "type", path), JsonPaths.key(path, "type"));
        Set<String> own =
                switch (kind) {
                    case "Set" -> Set.of("type", "element");
                    case "Record" -> Set.of("type", "attributes", "additionalAttributes");
                    case "Entity", "Extension", "EntityOrCommon" -> Set.of("type", "name");
                    default -> Set.of("type");
                };
        for (var it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!own.contains(k) && !extraKeys.contains(k)) {
                throw error(JsonPaths.key(path, k), "unexpected key `" + k + "` in a `" + kind + "` type");
            }
        }
        return switch (kind) {
            case "Long" -> new Raw.Prim(Raw.PrimKind.LONG, path);
            case "String" -> new Raw.Prim(Raw.PrimKind.STRING, path);
            case "Boolean" -> new Raw.Prim(Raw.PrimKind.BOOL, path);
            case "Set" ->
                new Raw.SetOf(type(required(node, "element", path), JsonPaths.key(path, "element"), Set.of()), path);
            case "Record" -> record(node, path);
            case "Entity" ->
                new Raw.EntityRef(typeName(required(node, "name", path), JsonPaths.key(path, "name")), path);
            case "Extension" -> {
                String name = string(required(node, "name", path), JsonPaths.key(path, "name"));
                yield new Raw.Extension(name, JsonPaths.key(path, "name"));
            }
            case "EntityOrCommon" ->
                new Raw.Name(typeName(required(node, "name", path), JsonPaths.key(path, "name")), path);
            default -> {
                if (!Names.isPath(kind)) {
                    throw error(JsonPaths.key(path, "type"), "`" + kind + "` is not a type");
                }
                yield new Raw.CommonRef(kind, JsonPaths.key(path, "type"));
            }
        };
    }

    private static Raw.Rec record(JsonNode node, String path) {
        JsonNode additional = node.get("additionalAttributes");
        if (additional != null) {
            if (!additional.isBoolean()) {
                throw error(
                        JsonPaths.key(path, "additionalAttributes"),
                        "expected a boolean, found " + JsonPaths.describe(additional));
            }
            if (additional.booleanValue()) {
                throw error(
                        JsonPaths.key(path, "additionalAttributes"),
                        "records with additional attributes are not supported");
            }
        }
        Map<String, Raw.Attr> attrs = new LinkedHashMap<>();
        JsonNode a = required(node, "attributes", path);
        {
            String apath = JsonPaths.key(path, "attributes");
            requireObject(a, apath);
            for (var it = a.properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                String p = JsonPaths.key(apath, e.getKey());
                JsonNode attr = e.getValue();
                requireObject(attr, p);
                boolean req = true;
                JsonNode r = attr.get("required");
                if (r != null) {
                    if (!r.isBoolean()) {
                        throw error(JsonPaths.key(p, "required"), "expected a boolean, found " + JsonPaths.describe(r));
                    }
                    req = r.booleanValue();
                }
                Map<String, String> ann = annotations(attr.get("annotations"), JsonPaths.key(p, "annotations"));
                attrs.put(e.getKey(), new Raw.Attr(type(attr, p, Set.of("required", "annotations")), req, ann));
            }
        }
        return new Raw.Rec(attrs, false, path);
    }

    private static Map<String, String> annotations(JsonNode node, String path) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        requireObject(node, path);
        for (var it = node.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            String p = JsonPaths.key(path, e.getKey());
            if (!Names.isAnyIdent(e.getKey())) {
                throw error(p, "`" + e.getKey() + "` is not a valid annotation name");
            }
            // Cedar writes a value-less annotation `@a` as `"a": null` or `"a": ""`
            out.put(e.getKey(), e.getValue().isNull() ? "" : string(e.getValue(), p));
        }
        return out;
    }

    private static String typeName(JsonNode node, String path) {
        String s = string(node, path);
        if (!Names.isPath(s)) {
            throw error(path, "`" + s + "` is not a valid type name");
        }
        return s;
    }

    private static void checkKeys(JsonNode node, Set<String> allowed, String path) {
        for (var it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw error(JsonPaths.key(path, k), "unexpected key `" + k + "`");
            }
        }
    }

    private static void requireIdent(String name, String path, String what) {
        if (!Names.isIdent(name)) {
            throw error(path, "`" + name + "` is not a valid " + what + " name");
        }
    }

    private static JsonNode required(JsonNode node, String key, String path) {
        JsonNode v = node.get(key);
        if (v == null) {
            throw error(path, "missing `" + key + "`");
        }
        return v;
    }

    private static String string(JsonNode node, String path) {
        if (!node.isTextual()) {
            throw error(path, "expected a string, found " + JsonPaths.describe(node));
        }
        return node.textValue();
    }

    private static void requireObject(JsonNode node, String path) {
        if (!node.isObject()) {
            throw error(path, "expected an object, found " + JsonPaths.describe(node));
        }
    }

    private static void requireArray(JsonNode node, String path) {
        if (!node.isArray()) {
            throw error(path, "expected an array, found " + JsonPaths.describe(node));
        }
    }

    private static SchemaException error(String path, String message) {
        return new SchemaException(path + ": " + message);
    }
}
