package dev.portcullis.cedar.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.cedar.schema.SchemaType.RecordType;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.Value;

/**
 * The JSON form of a request context: an object whose values are in {@link ValueJson}'s format.
 * With a schema the context must have the type the schema declares for the action.
 */
public final class ContextJson {
    private ContextJson() {}

    public static RecordValue parse(JsonNode node, Schema schemaOrNull, EntityUid action) {
        String path = "context";
        if (node == null || node.isNull() || node.isMissingNode()) {
            node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            throw JsonFormatException.at(
                    path, "the context must be a record (json object), found " + JsonPaths.describe(node));
        }
        if (schemaOrNull == null) {
            // an object of the exact shape of an entity or extension escape is such a value, not
            // a record; any other object (even one with an `__entity` key) is a record
            Value v = ValueJson.parse(node, null, null, path);
            if (!(v instanceof RecordValue r)) {
                throw JsonFormatException.at(
                        path, "the context must be a record, found an escaped entity or extension value");
            }
            return r;
        }
        RecordType type = schemaOrNull.contextType(action);
        if (type == null) {
            throw JsonFormatException.at(path, "action `" + action + "` is not declared in the schema");
        }
        Value v = ValueJson.parse(node, type, schemaOrNull, path);
        return (RecordValue) v;
    }

    /** Parses a context document given as text. */
    public static RecordValue parse(String json, Schema schemaOrNull, EntityUid action) {
        return parse(JsonReader.read(json, "context"), schemaOrNull, action);
    }
}
