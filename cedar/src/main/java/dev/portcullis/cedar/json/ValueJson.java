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
import dev.portcullis.cedar.value.Strings;
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
 * escape; any other object is a record. With an expected type (from a schema) parsing is
 * directed by it: an entity may be written as a bare {@code {"type", "id"}}, an extension value
 * as {@code {"fn", "arg"}} or as just the constructor's string (for {@code ipaddr}: {@code
 * "10.0.0.1"}), and any value that does not have the type is an error.
 */
public final class ValueJson {
    // guards the recursion when the tree comes from a caller's own ObjectMapper, whose nesting
    // limit may be larger than ours
    private static final int MAX_DEPTH = 1000;
    private static final Set<String> EXTN_KEYS = Set.of("fn", "arg", "args");

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

    /** Parses {@code {"type": .., "id": ..}} or {@code {"__entity": {"type": .., "id": ..}}}. */
    public static EntityUid parseEntityUid(JsonNode node) {
        return parseEntityUid(node, "uid");
    }

    public static EntityUid parseEntityUid(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw JsonFormatException.at(
                    path, "expected an entity reference {\"type\": .., \"id\": ..}, found " + JsonPaths.describe(node));
        }
        if (node.has("__entity")) {
            if (node.size() != 1) {
                throw JsonFormatException.at(path, "`__entity` escape has other keys besides `__entity`");
            }
            return typeAndId(node.get("__entity"), JsonPaths.key(path, "__entity"));
        }
        return typeAndId(node, path);
    }

    private static EntityUid typeAndId(JsonNode node, String path) {
        if (!node.isObject()) {
            throw JsonFormatException.at(
                    path, "expected {\"type\": .., \"id\": ..}, found " + JsonPaths.describe(node));
        }
        for (var it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("type") && !k.equals("id")) {
                throw JsonFormatException.at(path, "unexpected key `" + k + "` in an entity reference");
            }
        }
        JsonNode type = node.get("type");
        JsonNode id = node.get("id");
        if (type == null || id == null) {
            throw JsonFormatException.at(path, "an entity reference needs both `type` and `id`");
        }
        if (!type.isTextual()) {
            throw JsonFormatException.at(
                    JsonPaths.key(path, "type"), "expected a string, found " + JsonPaths.describe(type));
        }
        if (!id.isTextual()) {
            throw JsonFormatException.at(
                    JsonPaths.key(path, "id"), "expected a string, found " + JsonPaths.describe(id));
        }
        String t = type.textValue();
        if (!isEntityTypeName(t)) {
            throw JsonFormatException.at(JsonPaths.key(path, "type"), "`" + t + "` is not a valid entity type name");
        }
        return new EntityUid(new EntityType(t), id.textValue());
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
                if (node.has("__entity")) {
                    return parseEntityUid(node, path);
                }
                if (node.has("__extn")) {
                    if (node.size() != 1) {
                        throw JsonFormatException.at(path, "`__extn` escape has other keys besides `__extn`");
                    }
                    return extension(node.get("__extn"), JsonPaths.key(path, "__extn"), depth);
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

        private Value typedExtension(JsonNode node, String type, String path, int depth) {
            ExtValue v;
            if (node.isTextual()) {
                // schema-directed: the bare string is the argument of the type's constructor
                String fn = ExtensionLiterals.constructorOf(type);
                try {
                    v = ExtensionLiterals.call(fn, List.of(node.textValue()));
                } catch (ExtensionException e) {
                    throw JsonFormatException.at(
                            path, "`" + node.textValue() + "` is not a valid `" + type + "`: " + e.getMessage());
                }
            } else if (node.isObject() && node.has("__extn")) {
                if (node.size() != 1) {
                    throw JsonFormatException.at(path, "`__extn` escape has other keys besides `__extn`");
                }
                v = extension(node.get("__extn"), JsonPaths.key(path, "__extn"), depth);
            } else if (node.isObject() && node.has("fn")) {
                v = extension(node, path, depth);
            } else {
                throw mismatch(path, "a `" + type + "` value", node);
            }
            if (!v.typeName().equals(type)) {
                throw JsonFormatException.at(
                        path, "expected a `" + type + "` value, found a `" + v.typeName() + "` value");
            }
            return v;
        }

        /** {@code {"fn": f, "arg": a}} or {@code {"fn": f, "args": [..]}}. */
        private ExtValue extension(JsonNode node, String path, int depth) {
            if (!node.isObject()) {
                throw JsonFormatException.at(
                        path, "expected {\"fn\": .., \"arg\": ..}, found " + JsonPaths.describe(node));
            }
            for (var it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!EXTN_KEYS.contains(k)) {
                    throw JsonFormatException.at(path, "unexpected key `" + k + "` in an extension value");
                }
            }
            JsonNode fnNode = node.get("fn");
            if (fnNode == null || !fnNode.isTextual()) {
                throw JsonFormatException.at(path, "an extension value needs a string `fn`");
            }
            String fn = fnNode.textValue();
            if (ExtensionLiterals.resultType(fn) == null) {
                throw JsonFormatException.at(JsonPaths.key(path, "fn"), "unknown extension function `" + fn + "`");
            }
            List<Object> args = new ArrayList<>();
            if (node.has("arg") == node.has("args")) {
                throw JsonFormatException.at(path, "an extension value needs exactly one of `arg` and `args`");
            }
            if (node.has("arg")) {
                args.add(argument(node.get("arg"), JsonPaths.key(path, "arg"), depth));
            } else {
                JsonNode arr = node.get("args");
                String p = JsonPaths.key(path, "args");
                if (!arr.isArray()) {
                    throw JsonFormatException.at(p, "expected an array, found " + JsonPaths.describe(arr));
                }
                for (int i = 0; i < arr.size(); i++) {
                    args.add(argument(arr.get(i), JsonPaths.index(p, i), depth));
                }
            }
            ExtValue v;
            try {
                v = ExtensionLiterals.call(fn, args);
            } catch (ExtensionException e) {
                throw JsonFormatException.at(path, "invalid arguments to `" + fn + "`: " + e.getMessage());
            }
            return v;
        }

        private Object argument(JsonNode node, String path, int depth) {
            return node.isTextual() ? node.textValue() : value(node, null, path, depth + 1);
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

    private static String describeArgs(List<Object> args) {
        List<String> parts = new ArrayList<>();
        for (Object a : args) {
            parts.add(a instanceof String s ? Strings.quote(s) : a.toString());
        }
        return "`" + String.join(", ", parts) + "`";
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
