package dev.portcullis.cedar.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.cedar.ast.ActionConstraint;
import dev.portcullis.cedar.ast.BinaryOp;
import dev.portcullis.cedar.ast.Condition;
import dev.portcullis.cedar.ast.Effect;
import dev.portcullis.cedar.ast.EntityRef;
import dev.portcullis.cedar.ast.Expr;
import dev.portcullis.cedar.ast.Loc;
import dev.portcullis.cedar.ast.Pattern;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.ast.ScopeConstraint;
import dev.portcullis.cedar.ast.SlotId;
import dev.portcullis.cedar.parser.Depth;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cedar's JSON policy format (the "EST"): one policy or template as a JSON object with {@code
 * effect}, {@code principal}, {@code action}, {@code resource}, {@code conditions} and {@code
 * annotations}. Expressions are single-key objects named by their operator; see {@link ExprJson}.
 *
 * <p>Reading is strict: unknown keys, missing keys and ill-typed values are errors naming the JSON
 * path. Sugar is removed as by the text parser: an {@code is} with {@code in} becomes a conjunction.
 */
public final class PolicyJson {
    private PolicyJson() {}

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final Set<String> POLICY_KEYS =
            Set.of("effect", "principal", "action", "resource", "conditions", "annotations");

    /** Reads one policy or template; {@code id} becomes its policy id. */
    public static Policy parse(String id, String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw EstNodes.error("", "invalid JSON: " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw EstNodes.error("", "expected a policy object, found nothing");
        }
        return parse(id, root);
    }

    /** Reads one policy or template from a parsed JSON tree. */
    public static Policy parse(String id, JsonNode root) {
        EstNodes.object(root, "");
        EstNodes.onlyKeys(root, "", POLICY_KEYS);
        String effectText = EstNodes.string(EstNodes.required(root, "", "effect"), "effect");
        Effect effect =
                switch (effectText) {
                    case "permit" -> Effect.PERMIT;
                    case "forbid" -> Effect.FORBID;
                    default ->
                        throw EstNodes.error("effect", "expected `permit` or `forbid`, found `" + effectText + "`");
                };
        ScopeConstraint principal = scope(EstNodes.required(root, "", "principal"), "principal", SlotId.PRINCIPAL);
        ActionConstraint action = action(EstNodes.required(root, "", "action"));
        ScopeConstraint resource = scope(EstNodes.required(root, "", "resource"), "resource", SlotId.RESOURCE);
        List<Condition> conditions = new ArrayList<>();
        JsonNode conds = root.get("conditions");
        if (conds != null) {
            EstNodes.array(conds, "conditions");
            for (int i = 0; i < conds.size(); i++) {
                conditions.add(condition(conds.get(i), "conditions[" + i + "]"));
            }
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        JsonNode annos = root.get("annotations");
        if (annos != null && !annos.isNull()) {
            EstNodes.object(annos, "annotations");
            for (Map.Entry<String, JsonNode> a : annos.properties()) {
                String path = "annotations." + a.getKey();
                JsonNode v = a.getValue();
                annotations.put(a.getKey(), v.isNull() ? "" : EstNodes.string(v, path));
            }
        }
        return new Policy(id, effect, principal, action, resource, conditions, annotations, null, Loc.NONE);
    }

    private static Condition condition(JsonNode node, String path) {
        EstNodes.object(node, path);
        EstNodes.onlyKeys(node, path, Set.of("kind", "body"));
        String kind = EstNodes.string(EstNodes.required(node, path, "kind"), path + ".kind");
        boolean when =
                switch (kind) {
                    case "when" -> true;
                    case "unless" -> false;
                    default ->
                        throw EstNodes.error(path + ".kind", "expected `when` or `unless`, found `" + kind + "`");
                };
        Expr body = ExprJson.parse(EstNodes.required(node, path, "body"), path + ".body", false);
        if (Depth.exceedsLimit(body)) {
            throw EstNodes.error(
                    path + ".body", "expression is nested too deeply (more than " + Depth.MAX_HEIGHT + " levels)");
        }
        return new Condition(when, body, Loc.NONE);
    }

    private static ScopeConstraint scope(JsonNode node, String path, SlotId slot) {
        EstNodes.object(node, path);
        String op = EstNodes.string(EstNodes.required(node, path, "op"), path + ".op");
        switch (op) {
            case "All" -> {
                EstNodes.onlyKeys(node, path, Set.of("op"));
                return ScopeConstraint.ANY;
            }
            case "==", "in" -> {
                EstNodes.onlyKeys(node, path, Set.of("op", "entity", "slot"));
                EntityRef ref = ref(node, path, slot);
                return op.equals("==") ? new ScopeConstraint.Eq(ref) : new ScopeConstraint.In(ref);
            }
            case "is" -> {
                EstNodes.onlyKeys(node, path, Set.of("op", "entity_type", "in"));
                EntityType type = EntityType.of(
                        EstNodes.string(EstNodes.required(node, path, "entity_type"), path + ".entity_type"));
                JsonNode in = node.get("in");
                if (in == null) {
                    return new ScopeConstraint.Is(type);
                }
                EstNodes.object(in, path + ".in");
                EstNodes.onlyKeys(in, path + ".in", Set.of("entity", "slot"));
                return new ScopeConstraint.IsIn(type, ref(in, path + ".in", slot));
            }
            default -> throw EstNodes.error(path + ".op", "expected `All`, `==`, `in` or `is`, found `" + op + "`");
        }
    }

    private static EntityRef ref(JsonNode node, String path, SlotId slot) {
        JsonNode entity = node.get("entity");
        JsonNode slotNode = node.get("slot");
        if ((entity == null) == (slotNode == null)) {
            throw EstNodes.error(path, "expected exactly one of `entity` and `slot`");
        }
        if (entity != null) {
            return EntityRef.of(EstNodes.entityUid(entity, path + ".entity"));
        }
        String s = EstNodes.string(slotNode, path + ".slot");
        if (!s.equals(slot.text())) {
            throw EstNodes.error(path + ".slot", "expected `" + slot.text() + "`, found `" + s + "`");
        }
        return EntityRef.of(slot);
    }

    private static ActionConstraint action(JsonNode node) {
        String path = "action";
        EstNodes.object(node, path);
        String op = EstNodes.string(EstNodes.required(node, path, "op"), path + ".op");
        switch (op) {
            case "All" -> {
                EstNodes.onlyKeys(node, path, Set.of("op"));
                return ActionConstraint.ANY;
            }
            case "==" -> {
                EstNodes.onlyKeys(node, path, Set.of("op", "entity"));
                return new ActionConstraint.Eq(actionUid(EstNodes.required(node, path, "entity"), path + ".entity"));
            }
            case "in" -> {
                EstNodes.onlyKeys(node, path, Set.of("op", "entity", "entities"));
                JsonNode one = node.get("entity");
                JsonNode many = node.get("entities");
                if ((one == null) == (many == null)) {
                    throw EstNodes.error(path, "expected exactly one of `entity` and `entities`");
                }
                if (one != null) {
                    return new ActionConstraint.In(List.of(actionUid(one, path + ".entity")), false);
                }
                EstNodes.array(many, path + ".entities");
                List<EntityUid> uids = new ArrayList<>();
                for (int i = 0; i < many.size(); i++) {
                    uids.add(actionUid(many.get(i), path + ".entities[" + i + "]"));
                }
                return new ActionConstraint.In(uids, true);
            }
            default -> throw EstNodes.error(path + ".op", "expected `All`, `==` or `in`, found `" + op + "`");
        }
    }

    private static EntityUid actionUid(JsonNode node, String path) {
        EntityUid uid = EstNodes.entityUid(node, path);
        if (!uid.type().isAction()) {
            throw EstNodes.error(path, "expected an entity uid with type `Action` but got `" + uid + "`");
        }
        return uid;
    }

    // ---- writing

    /** The policy as a compact EST JSON document. */
    public static String toJson(Policy p) {
        return toJsonNode(p).toString();
    }

    public static ObjectNode toJsonNode(Policy p) {
        ObjectNode root = NODES.objectNode();
        root.put("effect", p.effect().text());
        root.set("principal", scopeJson(p.principal()));
        root.set("action", actionJson(p.action()));
        root.set("resource", scopeJson(p.resource()));
        ArrayNode conds = root.putArray("conditions");
        for (Condition c : p.conditions()) {
            ObjectNode cj = conds.addObject();
            cj.put("kind", c.when() ? "when" : "unless");
            cj.set("body", ExprJson.write(c.body()));
        }
        if (!p.annotations().isEmpty()) {
            ObjectNode annos = root.putObject("annotations");
            p.annotations().forEach(annos::put);
        }
        return root;
    }

    private static ObjectNode scopeJson(ScopeConstraint c) {
        ObjectNode o = NODES.objectNode();
        switch (c) {
            case ScopeConstraint.Any any -> o.put("op", "All");
            case ScopeConstraint.Eq eq -> refJson(o.put("op", "=="), eq.ref());
            case ScopeConstraint.In in -> refJson(o.put("op", "in"), in.ref());
            case ScopeConstraint.Is is ->
                o.put("op", "is").put("entity_type", is.type().name());
            case ScopeConstraint.IsIn isIn ->
                refJson(o.put("op", "is").put("entity_type", isIn.type().name()).putObject("in"), isIn.ref());
        }
        return o;
    }

    private static void refJson(ObjectNode o, EntityRef ref) {
        if (ref.isSlot()) {
            o.put("slot", ref.slot().text());
        } else {
            o.set("entity", EstNodes.uid(ref.uid()));
        }
    }

    private static ObjectNode actionJson(ActionConstraint c) {
        ObjectNode o = NODES.objectNode();
        switch (c) {
            case ActionConstraint.Any any -> o.put("op", "All");
            case ActionConstraint.Eq eq -> o.put("op", "==").set("entity", EstNodes.uid(eq.action()));
            case ActionConstraint.In in -> {
                o.put("op", "in");
                if (!in.set() && in.actions().size() == 1) {
                    o.set("entity", EstNodes.uid(in.actions().get(0)));
                } else {
                    ArrayNode arr = o.putArray("entities");
                    in.actions().forEach(u -> arr.add(EstNodes.uid(u)));
                }
            }
        }
        return o;
    }

    /** Pattern elements as the EST writes them: {@code "Wildcard"} or {@code {"Literal": "c"}}. */
    static ArrayNode patternJson(Pattern p) {
        ArrayNode arr = NODES.arrayNode();
        for (Pattern.Elem e : p.elems()) {
            if (e.wildcard()) {
                arr.add("Wildcard");
            } else {
                arr.addObject().put("Literal", new String(Character.toChars(e.codePoint())));
            }
        }
        return arr;
    }

    static BinaryOp binaryOp(String key) {
        for (BinaryOp op : BinaryOp.values()) {
            if (op.text().equals(key)) {
                return op;
            }
        }
        return null;
    }
}
