package dev.portcullis.cedar.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import java.util.Iterator;
import java.util.Set;

/** Small checked accessors for reading EST JSON; every failure names the JSON path. */
final class EstNodes {
    private EstNodes() {}

    /** The error for the value at {@code path}; the message starts with the path. */
    static JsonFormatException error(String path, String detail) {
        return new JsonFormatException(path.isEmpty() ? detail : path + ": " + detail);
    }

    static void object(JsonNode n, String path) {
        if (n == null || !n.isObject()) {
            throw EstNodes.error(path, "expected an object, found " + kind(n));
        }
    }

    static void array(JsonNode n, String path) {
        if (n == null || !n.isArray()) {
            throw EstNodes.error(path, "expected an array, found " + kind(n));
        }
    }

    static String string(JsonNode n, String path) {
        if (n == null || !n.isTextual()) {
            throw EstNodes.error(path, "expected a string, found " + kind(n));
        }
        return n.textValue();
    }

    static JsonNode required(JsonNode obj, String path, String key) {
        JsonNode v = obj.get(key);
        if (v == null) {
            throw EstNodes.error(path, "missing key `" + key + "`");
        }
        return v;
    }

    static void onlyKeys(JsonNode obj, String path, Set<String> allowed) {
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw EstNodes.error(path, "unexpected key `" + k + "`");
            }
        }
    }

    /** {@code {"type": "User", "id": "alice"}}, optionally wrapped as {@code {"__entity": {...}}}. */
    static EntityUid entityUid(JsonNode n, String path) {
        object(n, path);
        if (n.size() == 1 && n.has("__entity")) {
            return entityUid(n.get("__entity"), path + ".__entity");
        }
        onlyKeys(n, path, Set.of("type", "id"));
        String type = string(required(n, path, "type"), path + ".type");
        String id = string(required(n, path, "id"), path + ".id");
        return new EntityUid(EntityType.of(type), id);
    }

    static ObjectNode uid(EntityUid u) {
        return PolicyJson.NODES.objectNode().put("type", u.type().name()).put("id", u.id());
    }

    static String kind(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        return switch (n.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "an unexpected value";
        };
    }
}
