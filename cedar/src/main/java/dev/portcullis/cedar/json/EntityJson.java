package dev.portcullis.cedar.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.entities.Entity;
import dev.portcullis.cedar.entities.EntityHierarchyException;
import dev.portcullis.cedar.schema.ActionDecl;
import dev.portcullis.cedar.schema.EntityTypeDecl;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.cedar.schema.SchemaType;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cedar's JSON entity format: an array of {@code {"uid", "attrs", "parents", "tags"}}.
 *
 * <p>Keys of an entity object besides these four are ignored, as Cedar ignores them. An entity
 * may be listed twice only with the same content; the hierarchy must have no cycle.
 *
 * <p>With a schema every entity must conform to it, as in Cedar: its type is declared (and its id
 * is allowed, for an enumerated type), its attributes and tags have the declared types, its
 * parents have types it may be a member of; and the schema's action entities are added to the
 * store. An action entity written in the data must agree with the schema's declaration.
 */
public final class EntityJson {
    private EntityJson() {}

    /** Parses an entities document; {@code schemaOrNull} {@code null} means "values as written". */
    public static Entities parse(String json, Schema schemaOrNull) {
        return parse(JsonReader.read(json, "entities"), schemaOrNull);
    }

    public static Entities parse(JsonNode root, Schema schemaOrNull) {
        String path = "entities";
        if (!root.isArray()) {
            throw JsonFormatException.at(path, "expected an array of entities, found " + JsonPaths.describe(root));
        }
        Map<EntityUid, Entity> out = new LinkedHashMap<>();
        for (int i = 0; i < root.size(); i++) {
            String p = JsonPaths.index(path, i);
            Entity e = entity(root.get(i), schemaOrNull, p);
            if (e == null) {
                continue; // an action entity that repeats the schema's declaration
            }
            Entity earlier = out.putIfAbsent(e.uid(), e);
            // as in Cedar, repeating an entity word for word is harmless; a different one is not
            if (earlier != null && !earlier.equals(e)) {
                throw JsonFormatException.at(p, "duplicate entity `" + e.uid() + "` with different content");
            }
        }
        if (schemaOrNull != null) {
            for (Entity a : schemaOrNull.actionEntities()) {
                out.put(a.uid(), a);
            }
        }
        try {
            return Entities.of(new ArrayList<>(out.values()));
        } catch (EntityHierarchyException e) {
            throw JsonFormatException.at(path, e.getMessage());
        }
    }

    private static Entity entity(JsonNode node, Schema schema, String path) {
        if (!node.isObject()) {
            throw JsonFormatException.at(path, "expected an entity object, found " + JsonPaths.describe(node));
        }
        JsonNode uidNode = node.get("uid");
        if (uidNode == null) {
            throw JsonFormatException.at(path, "entity has no `uid`");
        }
        EntityUid uid = ValueJson.parseEntityUid(uidNode, JsonPaths.key(path, "uid"));
        try {
            return schema == null ? untyped(node, uid, path) : typed(node, uid, schema, path);
        } catch (JsonFormatException e) {
            throw new JsonFormatException(e.getMessage() + " (entity `" + uid + "`)");
        }
    }

    private static Entity untyped(JsonNode node, EntityUid uid, String path) {
        Map<String, Value> attrs = new LinkedHashMap<>();
        JsonNode a = node.get("attrs");
        if (a != null) {
            String p = JsonPaths.key(path, "attrs");
            requireObject(a, p);
            for (var it = a.properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                attrs.put(e.getKey(), ValueJson.parse(e.getValue(), null, null, JsonPaths.key(p, e.getKey())));
            }
        }
        Map<String, Value> tags = new LinkedHashMap<>();
        JsonNode t = node.get("tags");
        if (t != null) {
            String p = JsonPaths.key(path, "tags");
            requireObject(t, p);
            for (var it = t.properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                tags.put(e.getKey(), ValueJson.parse(e.getValue(), null, null, JsonPaths.key(p, e.getKey())));
            }
        }
        return new Entity(uid, attrs, parents(node, path), tags);
    }

    private static Entity typed(JsonNode node, EntityUid uid, Schema schema, String path) {
        ActionDecl action = schema.action(uid);
        if (action != null || schema.isActionType(uid.type())) {
            checkActionEntity(node, uid, action, schema, path);
            return null;
        }
        EntityTypeDecl decl = schema.entityType(uid.type());
        if (decl == null) {
            throw JsonFormatException.at(
                    JsonPaths.key(path, "uid"), "entity type `" + uid.type() + "` is not declared in the schema");
        }
        if (!decl.allowsId(uid.id())) {
            throw JsonFormatException.at(
                    JsonPaths.key(path, "uid"),
                    "`" + uid + "` is not one of the values of enumerated entity type `" + uid.type() + "`");
        }
        JsonNode a = node.get("attrs");
        Map<String, Value> attrs = Map.of();
        if (a != null) {
            RecordValue r = (RecordValue) ValueJson.parse(a, decl.shape(), schema, JsonPaths.key(path, "attrs"));
            attrs = r.attrs();
        } else if (decl.shape().attributes().values().stream().anyMatch(SchemaType.Attribute::required)) {
            ValueJson.parse(
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
                    decl.shape(),
                    schema,
                    JsonPaths.key(path, "attrs"));
        }
        Set<EntityUid> parents = parents(node, path);
        int i = 0;
        for (EntityUid parent : parents) {
            String p = JsonPaths.index(JsonPaths.key(path, "parents"), i++);
            if (!schema.allowedAncestorTypes(uid.type()).contains(parent.type())) {
                throw JsonFormatException.at(
                        p,
                        "`" + uid + "` cannot be a member of `" + parent + "`: entity type `" + uid.type()
                                + "` may only be a member of " + typeList(schema.allowedAncestorTypes(uid.type())));
            }
            EntityTypeDecl pd = schema.entityType(parent.type());
            if (pd != null && !pd.allowsId(parent.id())) {
                throw JsonFormatException.at(
                        p,
                        "`" + parent + "` is not one of the values of enumerated entity type `" + parent.type() + "`");
            }
        }
        Map<String, Value> tags = new LinkedHashMap<>();
        JsonNode t = node.get("tags");
        if (t != null) {
            String p = JsonPaths.key(path, "tags");
            requireObject(t, p);
            if (decl.tags() == null && !t.isEmpty()) {
                throw JsonFormatException.at(p, "entity type `" + uid.type() + "` does not allow tags");
            }
            for (var it = t.properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                tags.put(e.getKey(), ValueJson.parse(e.getValue(), decl.tags(), schema, JsonPaths.key(p, e.getKey())));
            }
        }
        return new Entity(uid, attrs, parents, tags);
    }

    /**
     * An action entity in the data must say what the schema says: no attributes, no tags, and
     * the declared groups as parents (directly, or with their ancestors spelled out).
     */
    private static void checkActionEntity(JsonNode node, EntityUid uid, ActionDecl action, Schema schema, String path) {
        if (action == null) {
            throw JsonFormatException.at(
                    JsonPaths.key(path, "uid"), "action `" + uid + "` is not declared in the schema");
        }
        JsonNode a = node.get("attrs");
        JsonNode t = node.get("tags");
        if ((a != null && !a.isEmpty()) || (t != null && !t.isEmpty())) {
            throw JsonFormatException.at(path, "action `" + uid + "` cannot have attributes or tags");
        }
        Set<EntityUid> parents = parents(node, path);
        if (!parents.equals(action.memberOf()) && !parents.equals(ancestors(action, schema))) {
            throw JsonFormatException.at(
                    JsonPaths.key(path, "parents"),
                    "the parents of action `" + uid + "` do not match its declaration in the schema");
        }
    }

    private static Set<EntityUid> ancestors(ActionDecl action, Schema schema) {
        Set<EntityUid> seen = new HashSet<>();
        List<EntityUid> work = new ArrayList<>(action.memberOf());
        while (!work.isEmpty()) {
            EntityUid u = work.remove(work.size() - 1);
            if (seen.add(u)) {
                ActionDecl d = schema.action(u);
                if (d != null) {
                    work.addAll(d.memberOf());
                }
            }
        }
        return seen;
    }

    private static Set<EntityUid> parents(JsonNode node, String path) {
        JsonNode p = node.get("parents");
        return p == null ? Set.of() : ValueJson.uids(p, JsonPaths.key(path, "parents"));
    }

    private static String typeList(Set<EntityType> allowed) {
        if (allowed.isEmpty()) {
            return "nothing";
        }
        List<String> names = new ArrayList<>();
        allowed.forEach(t -> names.add("`" + t + "`"));
        return String.join(", ", names);
    }

    private static void requireObject(JsonNode node, String path) {
        if (!node.isObject()) {
            throw JsonFormatException.at(path, "expected an object, found " + JsonPaths.describe(node));
        }
    }
}
