package dev.portcullis.cedar.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.cedar.ast.BinaryOp;
import dev.portcullis.cedar.ast.Expr;
import dev.portcullis.cedar.ast.Loc;
import dev.portcullis.cedar.ast.Pattern;
import dev.portcullis.cedar.ast.SlotId;
import dev.portcullis.cedar.ast.UnaryOp;
import dev.portcullis.cedar.ast.VarName;
import dev.portcullis.cedar.parser.Names;
import dev.portcullis.cedar.value.BoolValue;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * EST expressions. Each is an object with one key naming the construct: {@code Value}, {@code Var},
 * {@code Slot}, {@code !}, {@code neg}, {@code isEmpty} (with {@code arg}), the binary operators and
 * built-in methods (with {@code left} and {@code right}), {@code .} and {@code has} (with {@code left}
 * and {@code attr}), {@code like} (with {@code left} and {@code pattern}), {@code is} (with {@code
 * left}, {@code entity_type} and optionally {@code in}), {@code if-then-else}, {@code Set}, {@code
 * Record}, and any extension function or method name with an array of arguments (a method's
 * receiver first).
 */
final class ExprJson {
    private ExprJson() {}

    private static final Loc N = Loc.NONE;

    static Expr parse(JsonNode node, String path, boolean slotsAllowed) {
        EstNodes.object(node, path);
        if (node.size() != 1) {
            throw EstNodes.error(
                    path, "expected an expression object with exactly one key, found " + node.size() + " keys");
        }
        Map.Entry<String, JsonNode> entry = node.properties().iterator().next();
        String key = entry.getKey();
        JsonNode v = entry.getValue();
        String at = path + "." + key;
        switch (key) {
            case "Value" -> {
                return value(v, at);
            }
            case "Var" -> {
                String name = EstNodes.string(v, at);
                for (VarName var : VarName.values()) {
                    if (var.text().equals(name)) {
                        return new Expr.Var(var, N);
                    }
                }
                throw EstNodes.error(at, "unknown variable `" + name + "`");
            }
            case "Slot" -> {
                String name = EstNodes.string(v, at);
                SlotId slot =
                        switch (name) {
                            case "?principal" -> SlotId.PRINCIPAL;
                            case "?resource" -> SlotId.RESOURCE;
                            default -> throw EstNodes.error(at, "`" + name + "` is not a valid template slot");
                        };
                if (!slotsAllowed) {
                    throw EstNodes.error(at, "template slots may only appear in the scope");
                }
                return new Expr.Slot(slot, N);
            }
            case "!", "neg", "isEmpty" -> {
                EstNodes.object(v, at);
                EstNodes.onlyKeys(v, at, Set.of("arg"));
                Expr arg = parse(EstNodes.required(v, at, "arg"), at + ".arg", slotsAllowed);
                UnaryOp op = key.equals("!") ? UnaryOp.NOT : key.equals("neg") ? UnaryOp.NEG : UnaryOp.IS_EMPTY;
                return new Expr.Unary(op, arg, N);
            }
            case "&&", "||" -> {
                Expr[] lr = leftRight(v, at, slotsAllowed);
                return key.equals("&&") ? new Expr.And(lr[0], lr[1], N) : new Expr.Or(lr[0], lr[1], N);
            }
            case ".", "has" -> {
                EstNodes.object(v, at);
                EstNodes.onlyKeys(v, at, Set.of("left", "attr"));
                Expr left = parse(EstNodes.required(v, at, "left"), at + ".left", slotsAllowed);
                String attr = EstNodes.string(EstNodes.required(v, at, "attr"), at + ".attr");
                return key.equals(".") ? new Expr.GetAttr(left, attr, N) : new Expr.HasAttr(left, attr, N);
            }
            case "like" -> {
                EstNodes.object(v, at);
                EstNodes.onlyKeys(v, at, Set.of("left", "pattern"));
                Expr left = parse(EstNodes.required(v, at, "left"), at + ".left", slotsAllowed);
                return new Expr.Like(left, pattern(EstNodes.required(v, at, "pattern"), at + ".pattern"), N);
            }
            case "is" -> {
                EstNodes.object(v, at);
                EstNodes.onlyKeys(v, at, Set.of("left", "entity_type", "in"));
                Expr left = parse(EstNodes.required(v, at, "left"), at + ".left", slotsAllowed);
                String type = EstNodes.string(EstNodes.required(v, at, "entity_type"), at + ".entity_type");
                Expr is = new Expr.Is(left, EntityType.of(type), N);
                JsonNode in = v.get("in");
                if (in == null) {
                    return is;
                }
                Expr inExpr = parse(in, at + ".in", slotsAllowed);
                return new Expr.And(is, new Expr.Binary(BinaryOp.IN, left, inExpr, N), N);
            }
            case "if-then-else" -> {
                EstNodes.object(v, at);
                EstNodes.onlyKeys(v, at, Set.of("if", "then", "else"));
                return new Expr.If(
                        parse(EstNodes.required(v, at, "if"), at + ".if", slotsAllowed),
                        parse(EstNodes.required(v, at, "then"), at + ".then", slotsAllowed),
                        parse(EstNodes.required(v, at, "else"), at + ".else", slotsAllowed),
                        N);
            }
            case "Set" -> {
                return new Expr.SetLit(list(v, at, slotsAllowed), N);
            }
            case "Record" -> {
                EstNodes.object(v, at);
                Map<String, Expr> fields = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> f : v.properties()) {
                    fields.put(f.getKey(), parse(f.getValue(), at + "." + f.getKey(), slotsAllowed));
                }
                return new Expr.RecordLit(fields, N);
            }
            default -> {
                BinaryOp op = PolicyJson.binaryOp(key);
                if (op != null) {
                    Expr[] lr = leftRight(v, at, slotsAllowed);
                    return new Expr.Binary(op, lr[0], lr[1], N);
                }
                if (Names.isExtensionFunction(key)) {
                    return new Expr.Call(key, list(v, at, slotsAllowed), false, N);
                }
                if (Names.isExtensionMethod(key)) {
                    List<Expr> args = list(v, at, slotsAllowed);
                    if (args.isEmpty()) {
                        throw EstNodes.error(at, "method `" + key + "` needs its receiver as the first argument");
                    }
                    return new Expr.Call(key, args, true, N);
                }
                throw EstNodes.error(path, "unknown expression kind `" + key + "`");
            }
        }
    }

    private static Expr[] leftRight(JsonNode v, String at, boolean slotsAllowed) {
        EstNodes.object(v, at);
        EstNodes.onlyKeys(v, at, Set.of("left", "right"));
        return new Expr[] {
            parse(EstNodes.required(v, at, "left"), at + ".left", slotsAllowed),
            parse(EstNodes.required(v, at, "right"), at + ".right", slotsAllowed)
        };
    }

    private static List<Expr> list(JsonNode v, String at, boolean slotsAllowed) {
        EstNodes.array(v, at);
        List<Expr> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            out.add(parse(v.get(i), at + "[" + i + "]", slotsAllowed));
        }
        return out;
    }

    private static Pattern pattern(JsonNode v, String at) {
        EstNodes.array(v, at);
        List<Pattern.Elem> elems = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            String p = at + "[" + i + "]";
            if (e.isTextual() && e.textValue().equals("Wildcard")) {
                elems.add(Pattern.Elem.WILDCARD);
            } else if (e.isObject() && e.size() == 1 && e.has("Literal")) {
                EstNodes.string(e.get("Literal"), p + ".Literal")
                        .codePoints()
                        .forEach(cp -> elems.add(Pattern.Elem.literal(cp)));
            } else {
                throw EstNodes.error(p, "expected `\"Wildcard\"` or `{\"Literal\": \"...\"}`");
            }
        }
        return new Pattern(elems);
    }

    /** A JSON value as an expression; sets and records become set and record literals. */
    private static Expr value(JsonNode v, String at) {
        switch (v.getNodeType()) {
            case BOOLEAN -> {
                return new Expr.Lit(BoolValue.of(v.booleanValue()), N);
            }
            case NUMBER -> {
                if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                    throw EstNodes.error(at, "expected an integer in the range of a Long, found `" + v + "`");
                }
                return new Expr.Lit(LongValue.of(v.longValue()), N);
            }
            case STRING -> {
                return new Expr.Lit(new StringValue(v.textValue()), N);
            }
            case ARRAY -> {
                List<Expr> elems = new ArrayList<>(v.size());
                for (int i = 0; i < v.size(); i++) {
                    elems.add(value(v.get(i), at + "[" + i + "]"));
                }
                return new Expr.SetLit(elems, N);
            }
            case OBJECT -> {
                if (v.size() == 1 && v.has("__entity")) {
                    return new Expr.Lit(EstNodes.entityUid(v.get("__entity"), at + ".__entity"), N);
                }
                if (v.size() == 1 && v.has("__extn")) {
                    JsonNode x = v.get("__extn");
                    String xp = at + ".__extn";
                    EstNodes.object(x, xp);
                    EstNodes.onlyKeys(x, xp, Set.of("fn", "arg"));
                    String fn = EstNodes.string(EstNodes.required(x, xp, "fn"), xp + ".fn");
                    if (!Names.isExtensionFunction(fn)) {
                        throw EstNodes.error(xp + ".fn", "unknown extension function `" + fn + "`");
                    }
                    return new Expr.Call(fn, List.of(value(EstNodes.required(x, xp, "arg"), xp + ".arg")), false, N);
                }
                Map<String, Expr> fields = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> f : v.properties()) {
                    fields.put(f.getKey(), value(f.getValue(), at + "." + f.getKey()));
                }
                return new Expr.RecordLit(fields, N);
            }
            default -> throw EstNodes.error(at, "expected a Cedar value, found " + EstNodes.kind(v));
        }
    }

    // ---- writing

    static ObjectNode write(Expr e) {
        ObjectNode o = PolicyJson.NODES.objectNode();
        switch (e) {
            case Expr.Lit lit -> o.set("Value", literal(lit.value()));
            case Expr.Var v -> o.put("Var", v.name().text());
            case Expr.Slot s -> o.put("Slot", s.slot().text());
            case Expr.If i -> {
                ObjectNode b = o.putObject("if-then-else");
                b.set("if", write(i.cond()));
                b.set("then", write(i.then()));
                b.set("else", write(i.otherwise()));
            }
            case Expr.And a -> leftRight(o.putObject("&&"), a.left(), a.right());
            case Expr.Or or -> leftRight(o.putObject("||"), or.left(), or.right());
            case Expr.Unary u ->
                o.putObject(
                                switch (u.op()) {
                                    case NOT -> "!";
                                    case NEG -> "neg";
                                    case IS_EMPTY -> "isEmpty";
                                })
                        .set("arg", write(u.arg()));
            case Expr.Binary b -> leftRight(o.putObject(b.op().text()), b.left(), b.right());
            case Expr.Call c -> {
                ArrayNode args = o.putArray(c.fn());
                c.args().forEach(a -> args.add(write(a)));
            }
            case Expr.GetAttr g ->
                o.putObject(".").<ObjectNode>set("left", write(g.expr())).put("attr", g.attr());
            case Expr.HasAttr h ->
                o.putObject("has").<ObjectNode>set("left", write(h.expr())).put("attr", h.attr());
            case Expr.Like l ->
                o.putObject("like")
                        .<ObjectNode>set("left", write(l.expr()))
                        .set("pattern", PolicyJson.patternJson(l.pattern()));
            case Expr.Is i ->
                o.putObject("is")
                        .<ObjectNode>set("left", write(i.expr()))
                        .put("entity_type", i.type().name());
            case Expr.SetLit s -> {
                ArrayNode arr = o.putArray("Set");
                s.elements().forEach(x -> arr.add(write(x)));
            }
            case Expr.RecordLit r -> {
                ObjectNode rec = o.putObject("Record");
                r.fields().forEach((k, x) -> rec.set(k, write(x)));
            }
        }
        return o;
    }

    private static void leftRight(ObjectNode o, Expr left, Expr right) {
        o.set("left", write(left));
        o.set("right", write(right));
    }

    private static JsonNode literal(Value v) {
        return switch (v) {
            case BoolValue b -> PolicyJson.NODES.booleanNode(b.value());
            case LongValue l -> PolicyJson.NODES.numberNode(l.value());
            case StringValue s -> PolicyJson.NODES.textNode(s.value());
            case EntityUid u -> PolicyJson.NODES.objectNode().set("__entity", EstNodes.uid(u));
            // sets, records and extension values only occur in trees built in code
            default -> ValueJson.toJson(v);
        };
    }
}
