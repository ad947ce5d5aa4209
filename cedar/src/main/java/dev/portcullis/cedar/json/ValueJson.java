package dev.portcullis.cedar.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.cedar.schema.EntityTypeDecl;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.cedar.schema.SchemaType;
import dev.portcullis.cedar.value.BoolValue;
import dev.portcullis.cedar.value.DatetimeValue;
import dev.portcullis.cedar.value.DecimalValue;
import dev.portcullis.cedar.value.DurationValue;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.ExtValue;
import dev.portcullis.cedar.value.ExtensionException;
import dev.portcullis.cedar.value.IpAddrValue;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.SetValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cedar's JSON form of values (attribute values, tags, context).
 *
 * <p>Without a type (no schema) values are taken as written: an entity reference must be the
 * {@code {"__entity": {"type", "id"}}} escape and an extension value the {@code {"__extn": ...}}
 * escape. As in Cedar, an object is an escape only when it has that single key and the value has
 * the escape's exact shape; any other object (also {@code {"__entity": "User::\"a\""}} or an
 * {@code __extn} without {@code arg}) is an ordinary record, and {@code {"__expr": "..."}}, the
 * escape Cedar removed, is an error. With an expected type (from a schema) parsing is
 * directed by it: an entity may be written as a bare {@code {"type", "id"}}, an extension value
 * as {@code {"fn", "arg"}} or as just the constructor's string (for {@code ipaddr}: {@code
 * "10.0.0.1"}), and any value that does not have the type is an error.
 */
public final class ValueJson {
    // guards the recursion when the tree comes from a caller's own ObjectMapper, whose nesting
    // limit may be larger than ours
    private static final int MAX_DEPTH = 1000;

    private ValueJson() {}

    /** Parses a value; {@code expected} may be {@code null} (no schema). Errors name the path from {@code value}. */
    public static Value parse(JsonNode node, SchemaType expected) {
        return parse(node, expected, null, "value");
    }

    /**
     * Parses a value at {@code path} (for messages); with a {@code schema}, references to entities
     * of enumerated types are checked against the enumeration.
     */
    public static Value parse(JsonNode node, SchemaType expected, Schema schema, String path) {
        return new ValueJson.Parser(schema).value(node, expected, path, 0);
    }

    /**
     * Parses an entity reference where one is expected (an entity's {@code uid}, its parents, an
     * attribute of entity type under a schema): {@code {"type": .., "id": ..}} or {@code
     * {"__entity": {"type": .., "id": ..}}}. As in Cedar, keys besides these are ignored, at both
     * levels; an object with a string {@code __expr} is the removed expression escape, an error.
     * Cedar reads the bare form as a struct, which its JSON library also accepts written as an
     * array of the fields in order, {@code ["User", "alice"]} (cedar-java accepts that; not the
     * {@code __entity} form as an array); so do we.
     */
    public static EntityUid parseEntityUid(JsonNode node) {
        return parseEntityUid(node, "uid");
    }

    public static EntityUid parseEntityUid(JsonNode node, String path) {
        if (node != null && (node.isObject() || node.isArray())) {
            if (node.isObject() && isExprEscape(node.get("__expr"))) {
                throw exprEscape(path);
            }
            JsonNode inner = node.get("__entity");
            if (isTypeAndId(inner)) {
                return typeAndId(inner, JsonPaths.key(path, "__entity"));
            }
            if (isTypeAndId(node)) {
                return typeAndId(node, path);
            }
        }
        throw JsonFormatException.at(
                path,
                "expected an entity reference {\"type\": .., \"id\": ..} (both strings), found "
                        + JsonPaths.describe(node));
    }

    /** Field {@code name} of a struct written as an object, or field {@code index} of one written as an array. */
    private static JsonNode field(JsonNode struct, String name, int index, int fields) {
        if (struct.isObject()) {
            return struct.get(name);
        }
        return struct.isArray() && struct.size() == fields ? struct.get(index) : null;
    }

    private static boolean isTypeAndId(JsonNode node) {
        return node != null
                && (node.isObject() || node.isArray())
                && field(node, "type", 0, 2) != null
                && field(node, "type", 0, 2).isTextual()
                && field(node, "id", 1, 2) != null
                && field(node, "id", 1, 2).isTextual();
    }

    /** An object with string {@code type} and {@code id}, the escape's inner shape (objects only). */
    private static boolean hasTypeAndId(JsonNode node) {
        return node != null && node.isObject() && isTypeAndId(node);
    }

    /** The uid of a struct known to have string {@code type} and {@code id}; the type must be a name. */
    private static EntityUid typeAndId(JsonNode node, String path) {
        String t = field(node, "type", 0, 2).textValue();
        if (!isEntityTypeName(t)) {
            String p = node.isObject() ? JsonPaths.key(path, "type") : JsonPaths.index(path, 0);
            throw JsonFormatException.at(p, "`" + t + "` is not a valid entity type name");
        }
        return new EntityUid(EntityType.of(t), field(node, "id", 1, 2).textValue());
    }

    private static boolean isFnAndArgs(JsonNode node) {
        return node != null
                && node.isObject()
                && node.path("fn").isTextual()
                && (node.has("arg") || node.path("args").isArray());
    }

    private static boolean isExprEscape(JsonNode value) {
        return value != null && value.isTextual();
    }

    private static JsonFormatException exprEscape(String path) {
        return JsonFormatException.at(path, "the `__expr` escape is no longer supported");
    }

    /** {@code A::B::C}: identifiers joined by {@code ::}, without spaces and without {@code __cedar}. */
    static boolean isEntityTypeName(String s) {
        for (String part : s.split("::", -1)) {
            if (part.isEmpty() || part.equals("__cedar")) {
                return false;
            }
            char c0 = part.charAt(0);
            if (!(c0 == '_' || (c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z'))) {
                return false;
            }
            for (int i = 1; i < part.length(); i++) {
                char c = part.charAt(i);
                if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
                    return false;
                }
            }
        }
        return true;
    }

    private record Parser(Schema schema) {
        Value value(JsonNode node, SchemaType expected, String path, int depth) {
            if (depth > MAX_DEPTH) {
                throw JsonFormatException.at(path, "value is nested more than " + MAX_DEPTH + " levels deep");
            }
            if (node == null || node.isNull() || node.isMissingNode()) {
                throw JsonFormatException.at(path, "null is not a cedar value");
            }
            if (expected == null) {
                return untyped(node, path, depth);
            }
            return switch (expected) {
                case SchemaType.LongType t -> longValue(node, path);
                case SchemaType.StringType t -> {
                    if (!node.isTextual()) {
                        throw mismatch(path, "a string", node);
                    }
                    yield new StringValue(node.textValue());
                }
                case SchemaType.BoolType t -> {
                    if (!node.isBoolean()) {
                        throw mismatch(path, "a boolean", node);
                    }
                    yield BoolValue.of(node.booleanValue());
                }
                case SchemaType.SetType t -> {
                    if (!node.isArray()) {
                        throw mismatch(path, "a set (json array)", node);
                    }
                    List<Value> elems = new ArrayList<>(node.size());
                    for (int i = 0; i < node.size(); i++) {
                        elems.add(value(node.get(i), t.element(), JsonPaths.index(path, i), depth + 1));
                    }
                    yield SetValue.of(elems);
                }
                case SchemaType.RecordType t -> record(node, t, path, depth);
                case SchemaType.EntityRefType t -> {
                    EntityUid uid = parseEntityUid(node, path);
                    if (!uid.type().equals(t.entityType())) {
                        throw JsonFormatException.at(
                                path, "expected an entity of type `" + t.entityType() + "`, found `" + uid + "`");
                    }
                    checkEnum(uid, path);
                    yield uid;
                }
                case SchemaType.ExtensionType t -> typedExtension(node, t.name(), path, depth);
            };
        }

        RecordValue record(JsonNode node, SchemaType.RecordType type, String path, int depth) {
            if (!node.isObject()) {
                throw mismatch(path, "a record (json object)", node);
            }
            Map<String, Value> attrs = new LinkedHashMap<>();
            for (var it = node.properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                String p = JsonPaths.key(path, e.getKey());
                SchemaType.Attribute attr = type.attribute(e.getKey());
                if (attr == null) {
                    if (type.open()) {
                        attrs.put(e.getKey(), value(e.getValue(), null, p, depth + 1));
                        continue;
                    }
                    throw JsonFormatException.at(p, "attribute `" + e.getKey() + "` is not declared in the schema");
                }
                attrs.put(e.getKey(), value(e.getValue(), attr.type(), p, depth + 1));
            }
            type.attributes().forEach((name, attr) -> {
                if (attr.required() && !attrs.containsKey(name)) {
                    throw JsonFormatException.at(path, "missing required attribute `" + name + "`");
                }
            });
            return new RecordValue(attrs);
        }

        private Value untyped(JsonNode node, String path, int depth) {
            if (node.isBoolean()) {
                return BoolValue.of(node.booleanValue());
            }
            if (node.isNumber()) {
                return longValue(node, path);
            }
            if (node.isTextual()) {
                return new StringValue(node.textValue());
            }
            if (node.isArray()) {
                List<Value> elems = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    elems.add(value(node.get(i), null, JsonPaths.index(path, i), depth + 1));
                }
                return SetValue.of(elems);
            }
            if (node.isObject()) {
                Value escaped = escape(node, path, depth);
                if (escaped != null) {
                    return escaped;
                }
                Map<String, Value> attrs = new LinkedHashMap<>();
                for (var it = node.properties().iterator(); it.hasNext(); ) {
                    var e = it.next();
                    attrs.put(e.getKey(), value(e.getValue(), null, JsonPaths.key(path, e.getKey()), depth + 1));
                }
                return new RecordValue(attrs);
            }
            throw JsonFormatException.at(path, "unsupported json value " + JsonPaths.describe(node));
        }

        /**
         * Cedar's rule for an object read without a type: it is an escape only when it has exactly
         * one key and that key's value has the escape's exact shape; any other object, including
         * a malformed escape, is an ordinary record. Shapes: {@code __extn} holding an object with
         * a string {@code fn} and an {@code arg} (or else an array {@code args}); {@code __entity}
         * holding an object with string {@code type} and {@code id}; {@code __expr} holding a
         * string (the removed expression escape: an error). Other keys inside an escape are
         * ignored, but they must still be valid Cedar JSON (no floats, no out-of-range integers).
         * Returns {@code null} when the object is a record.
         */
        private Value escape(JsonNode node, String path, int depth) {
            if (node.size() != 1) {
                return null;
            }
            var only = node.properties().iterator().next();
            String key = only.getKey();
            JsonNode v = only.getValue();
            String p = JsonPaths.key(path, key);
            switch (key) {
                case "__expr" -> {
                    if (isExprEscape(v)) {
                        throw exprEscape(path);
                    }
                }
                case "__entity" -> {
                    if (hasTypeAndId(v)) {
                        ignoredKeys(v, Set.of("type", "id"), p, depth);
                        return typeAndId(v, p);
                    }
                }
                case "__extn" -> {
                    if (isFnAndArgs(v)) {
                        ignoredKeys(v, v.has("arg") ? Set.of("fn", "arg") : Set.of("fn", "args"), p, depth);
                        return extension(v, p, false, depth);
                    }
                }
                default -> {}
            }
            return null;
        }

        /** Keys of an escape that Cedar skips still have to be valid Cedar JSON values. */
        private void ignoredKeys(JsonNode escape, Set<String> used, String path, int depth) {
            for (var it = escape.properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (!used.contains(e.getKey())) {
                    checkRaw(e.getValue(), JsonPaths.key(path, e.getKey()), depth + 1);
                }
            }
        }

        private void checkRaw(JsonNode node, String path, int depth) {
            if (depth > MAX_DEPTH) {
                throw JsonFormatException.at(path, "value is nested more than " + MAX_DEPTH + " levels deep");
            }
            if (node.isNumber()) {
                longValue(node, path);
            }
            for (int i = 0; node.isArray() && i < node.size(); i++) {
                checkRaw(node.get(i), JsonPaths.index(path, i), depth + 1);
            }
            for (var it = node.properties().iterator(); node.isObject() && it.hasNext(); ) {
                var e = it.next();
                checkRaw(e.getValue(), JsonPaths.key(path, e.getKey()), depth + 1);
            }
        }

        private Value typedExtension(JsonNode node, String type, String path, int depth) {
            Value v;
            if (node.isTextual()) {
                // schema-directed: the bare string is the argument of the type's constructor
                String fn = ExtensionLiterals.constructorOf(type);
                try {
                    v = ExtensionLiterals.call(fn, List.of(new StringValue(node.textValue())));
                } catch (ExtensionException e) {
                    throw JsonFormatException.at(
                            path, "`" + node.textValue() + "` is not a valid `" + type + "`: " + e.getMessage());
                }
            } else if (node.isObject() && isExprEscape(node.get("__expr"))) {
                throw exprEscape(path);
            } else if (node.isObject() && isFnAndArgs(node.get("__extn"))) {
                // as in Cedar, keys beside `__extn` (and inside it, beside fn/arg/args) are ignored
                v = extension(node.get("__extn"), JsonPaths.key(path, "__extn"), true, depth);
            } else if (isFnAndArgs(node)) {
                v = extension(node, path, true, depth);
            } else {
                throw mismatch(path, "a `" + type + "` value", node);
            }
            if (!(v instanceof ExtValue x) || !x.typeName().equals(type)) {
                throw JsonFormatException.at(path, "expected a `" + type + "` value, found " + kind(v));
            }
            return v;
        }

        /**
         * {@code {"fn": f, "arg": a}} or {@code {"fn": f, "args": [..]}}; {@code arg} wins when
         * both are present, and other keys are ignored, as in Cedar. With {@code typed} (under a
         * schema) an argument of extension type may be written as its constructor's bare string.
         */
        private Value extension(JsonNode node, String path, boolean typed, int depth) {
            String fn = node.get("fn").textValue();
            if (!ExtensionLiterals.exists(fn)) {
                throw JsonFormatException.at(JsonPaths.key(path, "fn"), "unknown extension function `" + fn + "`");
            }
            List<JsonNode> argNodes = new ArrayList<>();
            List<String> argPaths = new ArrayList<>();
            if (node.has("arg")) {
                argNodes.add(node.get("arg"));
                argPaths.add(JsonPaths.key(path, "arg"));
            } else {
                JsonNode arr = node.get("args");
                for (int i = 0; i < arr.size(); i++) {
                    argNodes.add(arr.get(i));
                    argPaths.add(JsonPaths.index(JsonPaths.key(path, "args"), i));
                }
            }
            List<String> types = ExtensionLiterals.argumentTypes(fn);
            if (typed && types != null && types.size() != argNodes.size()) {
                throw JsonFormatException.at(
                        path, "`" + fn + "` takes " + types.size() + " argument(s), not " + argNodes.size());
            }
            List<Value> args = new ArrayList<>(argNodes.size());
            for (int i = 0; i < argNodes.size(); i++) {
                SchemaType t = typed && types != null && !types.get(i).equals("String")
                        ? new SchemaType.ExtensionType(types.get(i))
                        : null;
                args.add(value(argNodes.get(i), t, argPaths.get(i), depth + 1));
            }
            try {
                return ExtensionLiterals.call(fn, args);
            } catch (ExtensionException e) {
                throw JsonFormatException.at(path, e.getMessage());
            }
        }

        private void checkEnum(EntityUid uid, String path) {
            if (schema == null) {
                return;
            }
            EntityTypeDecl decl = schema.entityType(uid.type());
            if (decl != null && !decl.allowsId(uid.id())) {
                throw JsonFormatException.at(
                        path, "`" + uid + "` is not one of the values of enumerated entity type `" + uid.type() + "`");
            }
        }
    }

    private static LongValue longValue(JsonNode node, String path) {
        if (!node.isNumber()) {
            throw mismatch(path, "a long", node);
        }
        if (!node.isIntegralNumber()) {
            throw JsonFormatException.at(path, "expected a long, found the non-integer " + node);
        }
        if (!node.canConvertToLong()) {
            throw JsonFormatException.at(path, "integer " + node + " is out of the range of a long");
        }
        return LongValue.of(node.longValue());
    }

    private static String kind(Value v) {
        return switch (v) {
            case ExtValue x -> "a `" + x.typeName() + "` value";
            case BoolValue b -> "a boolean";
            case LongValue l -> "a long";
            case StringValue str -> "a string";
            case EntityUid u -> "an entity";
            case SetValue set -> "a set";
            case RecordValue r -> "a record";
        };
    }

    private static JsonFormatException mismatch(String path, String expected, JsonNode found) {
        return JsonFormatException.at(path, "expected " + expected + ", found " + JsonPaths.describe(found));
    }

    // ---- writing ----

    /** The JSON form of a value, using the explicit {@code __entity} and {@code __extn} escapes. */
    public static JsonNode toJson(Value value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (value) {
            case BoolValue b -> f.booleanNode(b.value());
            case LongValue l -> f.numberNode(l.value());
            case StringValue s -> f.textNode(s.value());
            case EntityUid uid -> {
                ObjectNode o = f.objectNode();
                o.putObject("__entity").put("type", uid.type().name()).put("id", uid.id());
                yield o;
            }
            case SetValue s -> {
                ArrayNode a = f.arrayNode();
                s.elements().forEach(e -> a.add(toJson(e)));
                yield a;
            }
            case RecordValue r -> {
                ObjectNode o = f.objectNode();
                r.attrs().forEach((k, v) -> o.set(k, toJson(v)));
                yield o;
            }
            case ExtValue x -> extensionJson(x);
        };
    }

    private static JsonNode extensionJson(ExtValue x) {
        return switch (x) {
            case DecimalValue d -> extn("decimal", d.toDecimalString());
            case IpAddrValue ip -> extn("ip", ip.toAddressString());
            case DurationValue d -> extn("duration", d.toDurationString());
            case DatetimeValue d -> {
                String literal = d.toString(); // datetime("...") when a literal can write it
                if (!literal.contains(".offset(")) {
                    yield extn("datetime", literal.substring("datetime(\"".length(), literal.length() - 2));
                }
                // outside the years a literal can write: the epoch plus an offset
                ObjectNode o = JsonNodeFactory.instance.objectNode();
                ObjectNode inner = o.putObject("__extn");
                inner.put("fn", "offset");
                ArrayNode args = inner.putArray("args");
                args.add(extn("datetime", "1970-01-01"));
                args.add(extn("duration", new DurationValue(d.epochMillis()).toDurationString()));
                yield o;
            }
        };
    }

    private static JsonNode extn(String fn, String arg) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.putObject("__extn").put("fn", fn).put("arg", arg);
        return o;
    }

    /** Sets of entity uids, as in {@code parents}. */
    static Set<EntityUid> uids(JsonNode node, String path) {
        if (!node.isArray()) {
            throw JsonFormatException.at(path, "expected an array, found " + JsonPaths.describe(node));
        }
        Set<EntityUid> out = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(parseEntityUid(node.get(i), JsonPaths.index(path, i)));
        }
        return out;
    }
}
