package dev.portcullis.pdp.authzen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.json.ContextJson;
import dev.portcullis.cedar.json.JsonFormatException;
import dev.portcullis.cedar.json.ValueJson;
import dev.portcullis.cedar.schema.ActionDecl;
import dev.portcullis.cedar.schema.EntityTypeDecl;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.cedar.schema.SchemaType;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.Value;
import dev.portcullis.pdp.DecisionRequest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AuthZEN → Cedar: subject/resource {@code type} → entity type (through {@code mapping.types}, else
 * as given), {@code id} → entity id, {@code properties} → attributes laid over what the entity
 * store knows (for this decision only), action {@code name} → {@code Action::"name"} (of {@code
 * mapping.action_type}), {@code context} → the Cedar context. With a schema, properties and context
 * are read schema-directed (so {@code "10.0.0.1"} becomes an ip address where the schema says so);
 * top-level properties and context attributes the schema does not declare are dropped (no policy
 * that validated against the schema can read them). Action {@code properties} become the context
 * record {@code context.action}.
 *
 * <p>The context key {@code portcullis} is ours, not the policies': {@code "portcullis":
 * {"explain": true}} asks for the reasons and errors in the response; it is removed before the
 * context reaches Cedar. So is {@code session_token}, the agent session the request is made in
 * (see {@code docs/agent-sessions-guide.md}). With sessions enabled, {@code context.session} is
 * Portcullis's too (the session's facts): a caller may not send one.
 */
public final class AuthZenMapping {
    private final Map<String, String> types;
    private final Map<String, String> reverse = new HashMap<>();
    private final EntityType actionType;
    private final boolean sessions;

    public AuthZenMapping(Mapping mapping) {
        this(mapping, false);
    }

    /** {@code sessions}: agent sessions are enabled, and {@code context.session} is reserved for them. */
    public AuthZenMapping(Mapping mapping, boolean sessions) {
        this.sessions = sessions;
        this.types = Map.copyOf(mapping.types());
        mapping.types().forEach((authzen, cedar) -> reverse.putIfAbsent(cedar, authzen));
        this.actionType = EntityType.of(mapping.actionType());
    }

    public EntityType entityType(String authzenType) {
        return EntityType.of(types.getOrDefault(authzenType, authzenType));
    }

    /** The AuthZEN type for a Cedar type: the first mapping to it, else the Cedar name. */
    public String authzenType(EntityType cedar) {
        return reverse.getOrDefault(cedar.name(), cedar.name());
    }

    public EntityType actionType() {
        return actionType;
    }

    /**
     * A parsed evaluation: the request for the decision service, whether reasons were asked for, and
     * the session token from {@code context.session_token} ({@code null} when none).
     */
    public record Evaluation(DecisionRequest request, boolean explain, String sessionToken) {}

    /**
     * Maps one evaluation (a request object with subject, action, resource and optional context);
     * {@code path} prefixes field names in messages (e.g. {@code evaluations[2].}).
     */
    public Evaluation evaluation(
            JsonNode subject,
            JsonNode action,
            JsonNode resource,
            JsonNode context,
            String path,
            Schema schema,
            String kind,
            String caller) {
        EntityUid principal = entity(subject, path + "subject", true);
        EntityUid act = action(action, path + "action");
        ActionDecl decl = schema == null ? null : schema.action(act);
        if (decl != null) {
            act = decl.uid(); // the same uid, long-lived: its text (for the log) is made once
        }
        EntityUid res = entity(resource, path + "resource", true);
        ContextParts ctx = context(withActionProperties(action, context, path), path + "context", schema, act, decl);
        DecisionRequest dr = new DecisionRequest(
                new Request(principal, act, res, ctx.context), java.util.List.of(), kind, caller, null);
        dr = dr.withProperties(principal, properties(subject, path + "subject", principal, schema));
        dr = dr.withProperties(res, properties(resource, path + "resource", res, schema));
        return new Evaluation(dr, ctx.explain, ctx.sessionToken);
    }

    /**
     * A Cedar action has no per-request attributes, so an AuthZEN action's {@code properties} go
     * into the context as the record {@code context.action} (e.g. {@code context.action.soft}).
     */
    private static JsonNode withActionProperties(JsonNode action, JsonNode context, String path) {
        JsonNode props = action.get("properties");
        if (props == null || props.isNull()) {
            return context;
        }
        if (!props.isObject()) {
            throw new BadRequestException(
                    "`" + path + "action.properties`: expected an object, got " + describe(props));
        }
        if (props.isEmpty()) {
            return context;
        }
        if (context != null && !context.isNull() && !context.isMissingNode() && !context.isObject()) {
            return context; // reported as a bad context by the caller
        }
        ObjectNode c = context instanceof ObjectNode o
                ? o.deepCopy()
                : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        if (c.has("action")) {
            throw new BadRequestException(
                    "`" + path + "context.action` is where `" + path + "action.properties` go: send only one of them");
        }
        c.set("action", props);
        return c;
    }

    /** {@code {"type": .., "id": ..}} → uid; {@code needId == false}: only the type is read (search). */
    public EntityUid entity(JsonNode node, String path, boolean needId) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            throw new BadRequestException("missing `" + path + "`");
        }
        if (!node.isObject()) {
            throw new BadRequestException("`" + path + "`: expected an object, got " + describe(node));
        }
        String type = string(node, "type", path);
        if (type.isEmpty()) {
            throw new BadRequestException("`" + path + ".type`: must not be empty");
        }
        String id = needId ? string(node, "id", path) : "";
        return new EntityUid(entityType(type), id);
    }

    /** {@code {"name": ..}} → {@code Action::"name"}. */
    public EntityUid action(JsonNode node, String path) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            throw new BadRequestException("missing `" + path + "`");
        }
        if (!node.isObject()) {
            throw new BadRequestException("`" + path + "`: expected an object, got " + describe(node));
        }
        return new EntityUid(actionType, string(node, "name", path));
    }

    /** The {@code properties} of a subject or resource as Cedar attributes (schema-directed when possible). */
    public Map<String, Value> properties(JsonNode node, String path, EntityUid uid, Schema schema) {
        JsonNode props = node.get("properties");
        if (props == null || props.isNull()) {
            return Map.of();
        }
        if (!props.isObject()) {
            throw new BadRequestException("`" + path + ".properties`: expected an object, got " + describe(props));
        }
        EntityTypeDecl decl = schema == null ? null : schema.entityType(uid.type());
        Map<String, Value> attrs = new LinkedHashMap<>();
        var it = props.fields();
        while (it.hasNext()) {
            var e = it.next();
            SchemaType expected = null;
            if (decl != null) {
                var a = decl.shape().attributes().get(e.getKey());
                if (a == null && !decl.shape().open()) {
                    // AuthZEN PEPs send what they know; an attribute the schema does not declare
                    // cannot be read by a policy that validated against it, so it is dropped
                    continue;
                }
                expected = a == null ? null : a.type();
            }
            String p = path + ".properties." + e.getKey();
            try {
                attrs.put(e.getKey(), ValueJson.parse(e.getValue(), expected, schema, p));
            } catch (JsonFormatException | IllegalArgumentException x) {
                throw new BadRequestException(x.getMessage());
            }
        }
        return attrs;
    }

    /** The context key naming the agent session a request is made in (removed before Cedar). */
    public static final String SESSION_TOKEN = "session_token";

    private record ContextParts(RecordValue context, boolean explain, String sessionToken) {}

    /** {@code decl}: the action's declaration in {@code schema} ({@code null}: none, or no schema). */
    private ContextParts context(JsonNode node, String path, Schema schema, EntityUid action, ActionDecl decl) {
        boolean explain = false;
        if (node == null || node.isNull() || node.isMissingNode()) {
            node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            throw new BadRequestException("`" + path + "`: expected an object, got " + describe(node));
        }
        if (node.has("portcullis")) {
            JsonNode ours = node.get("portcullis");
            if (!ours.isObject()) {
                throw new BadRequestException("`" + path + ".portcullis`: expected an object like {\"explain\": true}");
            }
            JsonNode ex = ours.get("explain");
            if (ex != null && !ex.isBoolean()) {
                throw new BadRequestException(
                        "`" + path + ".portcullis.explain`: expected true or false, got " + describe(ex));
            }
            explain = ex != null && ex.booleanValue();
            ObjectNode copy = ((ObjectNode) node).deepCopy();
            copy.remove("portcullis");
            node = copy;
        }
        String sessionToken = null;
        if (node.has(SESSION_TOKEN)) {
            JsonNode t = node.get(SESSION_TOKEN);
            if (!t.isTextual() || t.asText().isEmpty()) {
                throw new BadRequestException(
                        "`" + path + "." + SESSION_TOKEN + "`: expected the session token (a string)");
            }
            sessionToken = t.asText();
            ObjectNode copy = ((ObjectNode) node).deepCopy();
            copy.remove(SESSION_TOKEN);
            node = copy;
        }
        if (sessions && node.has("session")) {
            throw new BadRequestException("`" + path + ".session` is set by Portcullis from the agent session; send the"
                    + " session's token in `" + path + "." + SESSION_TOKEN + "` or the `X-Portcullis-Session` header");
        }
        // an action the schema does not know is not a malformed request: it is decided (denied)
        Schema s = decl != null ? schema : null;
        if (decl != null
                && !decl.context().open()
                && !declaresAll(decl.context().attributes(), node)) {
            // as with properties: attributes the action's context does not declare are dropped
            ObjectNode kept = ((ObjectNode) node).deepCopy();
            kept.retain(decl.context().attributes().keySet());
            node = kept;
        }
        try {
            return new ContextParts(ContextJson.parse(node, s, action), explain, sessionToken);
        } catch (JsonFormatException | IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
    }

    private static boolean declaresAll(Map<String, ?> declared, JsonNode node) {
        for (var names = node.fieldNames(); names.hasNext(); ) {
            if (!declared.containsKey(names.next())) {
                return false;
            }
        }
        return true;
    }

    private static String string(JsonNode node, String field, String path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new BadRequestException("missing `" + path + "." + field + "`");
        }
        if (!v.isTextual()) {
            throw new BadRequestException("`" + path + "." + field + "`: expected a string, got " + describe(v));
        }
        return v.asText();
    }

    public static String describe(JsonNode n) {
        return switch (n.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
