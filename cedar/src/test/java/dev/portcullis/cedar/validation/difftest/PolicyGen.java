package dev.portcullis.cedar.validation.difftest;

import dev.portcullis.cedar.schema.ActionDecl;
import dev.portcullis.cedar.schema.EntityTypeDecl;
import dev.portcullis.cedar.schema.Schema;
import dev.portcullis.cedar.schema.SchemaType;
import dev.portcullis.cedar.schema.SchemaType.Attribute;
import dev.portcullis.cedar.schema.SchemaType.RecordType;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates policies against a schema: type-directed, so most are well typed in the request
 * environment their scope selects, with deliberate mistakes mixed in (wrong operand types,
 * unknown attributes, entity types and actions, optional attributes and tags read without a
 * guard, empty and heterogeneous sets, bad extension literals). Loose scopes add mistakes of
 * their own: an attribute may exist for one principal type and not another.
 */
final class PolicyGen {
    /** One generated policy: effect and scope text, then conditions that can be shrunk. */
    record Gen(String head, List<Boolean> when, List<Node> bodies) {
        String text() {
            StringBuilder b = new StringBuilder(head);
            for (int i = 0; i < bodies.size(); i++) {
                b.append(when.get(i) ? " when { " : " unless { ")
                        .append(bodies.get(i))
                        .append(" }");
            }
            return b.append(';').toString();
        }
    }

    /**
     * {@code -Dportcullis.validation.recordLiterals=false} stops generating record literals, to
     * look past the known disagreement on record equality (see the regression cases).
     */
    static final boolean RECORD_LITERALS = !"false".equals(System.getProperty("portcullis.validation.recordLiterals"));

    private record Path(String text, SchemaType type, String guard) {}

    private record Env(EntityType principal, EntityType resource, RecordType context) {}

    private final Random rnd;
    private final Schema schema;
    private final List<EntityType> types;
    private final List<ActionDecl> actions;
    private double mistakeRate;
    private Env env;

    PolicyGen(Random rnd, Schema schema) {
        this.rnd = rnd;
        this.schema = schema;
        this.types = new ArrayList<>(schema.entityTypeNames());
        this.actions = new ArrayList<>(schema.actions());
    }

    Gen generate() {
        mistakeRate = rnd.nextInt(3) == 0 ? 0.08 : 0.0;
        ActionDecl a = actions.get(rnd.nextInt(actions.size()));
        EntityType p = pick(a.principalTypes());
        EntityType r = pick(a.resourceTypes());
        env = new Env(p, r, a.context());
        String head = (rnd.nextBoolean() ? "permit(" : "forbid(") + scope("principal", p) + ", " + actionScope(a) + ", "
                + scope("resource", r) + ")";
        int n = rnd.nextInt(3);
        List<Boolean> when = new ArrayList<>();
        List<Node> bodies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            when.add(rnd.nextInt(4) != 0);
            bodies.add(bool(0));
        }
        return new Gen(head, when, bodies);
    }

    private EntityType pick(java.util.Set<EntityType> allowed) {
        if (allowed.isEmpty() || rnd.nextInt(12) == 0) {
            return types.get(rnd.nextInt(types.size()));
        }
        List<EntityType> l = new ArrayList<>(allowed);
        return l.get(rnd.nextInt(l.size()));
    }

    private String scope(String var, EntityType t) {
        int k = rnd.nextInt(20);
        if (k < 9) {
            return var + " is " + t.name();
        } else if (k < 12) {
            return var + " == " + uid(t);
        } else if (k < 14) {
            return var;
        } else if (k < 16) {
            return var + " in " + uid(types.get(rnd.nextInt(types.size())));
        } else if (k < 18) {
            return var + " is " + t.name() + " in " + uid(types.get(rnd.nextInt(types.size())));
        } else if (k < 19) {
            return var + " == ?" + var;
        }
        return var + " is Nope";
    }

    private String actionScope(ActionDecl a) {
        int k = rnd.nextInt(20);
        if (k < 12) {
            return "action == " + a.uid();
        } else if (k < 15) {
            ActionDecl other = actions.get(rnd.nextInt(actions.size()));
            return "action in [" + a.uid() + ", " + other.uid() + "]";
        } else if (k < 17) {
            return "action";
        } else if (k < 19) {
            for (ActionDecl g : actions) {
                if (a.memberOf().contains(g.uid())) {
                    return "action in " + g.uid();
                }
            }
            return "action in " + a.uid();
        }
        return "action == " + new EntityUid(a.uid().type(), "nope");
    }

    private String uid(EntityType t) {
        EntityTypeDecl d = schema.entityType(t);
        String id = d != null && d.isEnum()
                ? d.enumIds().get(rnd.nextInt(d.enumIds().size()))
                : "u" + rnd.nextInt(2);
        return new EntityUid(t, id).toString();
    }

    private boolean mistake() {
        return mistakeRate > 0 && rnd.nextDouble() < mistakeRate;
    }

    // ------------------------------------------------------------------ expressions

    Node bool(int d) {
        if (mistake()) {
            return wrongType(SchemaType.BOOL, d);
        }
        int k = rnd.nextInt(d >= 3 ? 4 : 22);
        switch (k) {
            case 0 -> {
                return Node.leaf(rnd.nextBoolean() ? "true" : "false");
            }
            case 1 -> {
                Path p = path(SchemaType.BOOL, true);
                if (p != null) {
                    return Node.leaf(p.text());
                }
                return Node.leaf("true");
            }
            case 2, 3 -> {
                String op = List.of("<", "<=", ">", ">=").get(rnd.nextInt(4));
                return Node.of("(", value(SchemaType.LONG, d + 1), " " + op + " ", value(SchemaType.LONG, d + 1), ")");
            }
            case 4, 5 -> {
                SchemaType t = randomType();
                return Node.of("(", value(t, d + 1), rnd.nextInt(4) == 0 ? " != " : " == ", value(t, d + 1), ")");
            }
            case 6 -> {
                return Node.of("!", bool(d + 1));
            }
            case 7, 8 -> {
                return Node.of("(", bool(d + 1), rnd.nextBoolean() ? " && " : " || ", bool(d + 1), ")");
            }
            case 9 -> {
                return hasAttr(d);
            }
            case 10 -> {
                SchemaType.EntityRefType t = new SchemaType.EntityRefType(randomEntityType());
                Object rhs = rnd.nextInt(3) == 0
                        ? Node.of("[", value(t, d + 1), "]")
                        : value(new SchemaType.EntityRefType(randomEntityType()), d + 1);
                return Node.of("(", value(t, d + 1), " in ", rhs, ")");
            }
            case 11 -> {
                return Node.of(
                        "(",
                        value(new SchemaType.EntityRefType(randomEntityType()), d + 1),
                        " is ",
                        randomEntityType().name(),
                        ")");
            }
            case 12 -> {
                return Node.of("(", value(SchemaType.STRING, d + 1), " like \"*a*\")");
            }
            case 13, 14 -> {
                SchemaType el = randomScalarType();
                SchemaType.SetType st = new SchemaType.SetType(el);
                return switch (rnd.nextInt(4)) {
                    case 0 -> Node.of(value(st, d + 1), ".containsAll(", value(st, d + 1), ")");
                    case 1 -> Node.of(value(st, d + 1), ".containsAny(", value(st, d + 1), ")");
                    case 2 -> Node.of(value(st, d + 1), ".isEmpty()");
                    default -> Node.of(value(st, d + 1), ".contains(", value(el, d + 1), ")");
                };
            }
            case 15 -> {
                return tags(d);
            }
            case 16, 17 -> {
                return guarded(d);
            }
            case 18 -> {
                return extension(d);
            }
            case 19 -> {
                return Node.of("(if ", bool(d + 1), " then ", bool(d + 1), " else ", bool(d + 1), ")");
            }
            default -> {
                return Node.of("(", value(SchemaType.LONG, d + 1), " == ", value(SchemaType.LONG, d + 1), ")");
            }
        }
    }

    private Node hasAttr(int d) {
        Path p = pathWhere(t -> t instanceof RecordType || t instanceof SchemaType.EntityRefType, true);
        if (p == null) {
            return Node.leaf("(principal has n)");
        }
        String attr = List.of("n", "s", "b", "r", "x", "y", "p", "q", "c0", "c1", "zz")
                .get(rnd.nextInt(11));
        return Node.leaf("(" + p.text() + " has " + attr + ")");
    }

    private Node tags(int d) {
        for (EntityType t : List.of(env.principal(), env.resource())) {
            EntityTypeDecl decl = schema.entityType(t);
            if (decl != null && decl.tags() != null && rnd.nextBoolean()) {
                String var = t.equals(env.principal()) ? "principal" : "resource";
                String key = rnd.nextBoolean() ? "\"k\"" : "\"j\"";
                if (mistake()) {
                    return Node.of("(", var, ".getTag(" + key + ") == ", value(decl.tags(), d + 1), ")");
                }
                return Node.of(
                        "(" + var + ".hasTag(" + key + ") && " + var + ".getTag(" + key + ") == ",
                        value(decl.tags(), d + 1),
                        ")");
            }
        }
        String var = rnd.nextBoolean() ? "principal" : "resource";
        return Node.of(var + ".hasTag(", value(SchemaType.STRING, d + 1), ")");
    }

    /** An optional attribute used behind its {@code has} guard (without it, when a mistake is due). */
    private Node guarded(int d) {
        Path p = pathWhere(t -> !(t instanceof SchemaType.BoolType), false);
        if (p == null || p.guard().isEmpty()) {
            return Node.of("(", value(SchemaType.LONG, d + 1), " > 0)");
        }
        Node use = Node.of("(", Node.leaf(p.text()), " == ", value(p.type(), d + 1), ")");
        if (mistake()) {
            return use;
        }
        return Node.of("(" + p.guard() + " && ", use, ")");
    }

    private Node extension(int d) {
        SchemaType.ExtensionType ip = new SchemaType.ExtensionType("ipaddr");
        SchemaType.ExtensionType dec = new SchemaType.ExtensionType("decimal");
        SchemaType.ExtensionType dt = new SchemaType.ExtensionType("datetime");
        SchemaType.ExtensionType dur = new SchemaType.ExtensionType("duration");
        return switch (rnd.nextInt(8)) {
            case 0 -> Node.of(value(ip, d + 1), ".isInRange(", value(ip, d + 1), ")");
            case 1 -> Node.of(value(ip, d + 1), rnd.nextBoolean() ? ".isIpv4()" : ".isLoopback()");
            case 2 -> Node.of(value(dec, d + 1), ".lessThan(", value(dec, d + 1), ")");
            case 3 -> Node.of("(", value(dec, d + 1), " < ", value(dec, d + 1), ")");
            case 4 -> Node.of("(", value(dt, d + 1), " <= ", value(dt, d + 1), ")");
            case 5 -> Node.of("(", value(dt, d + 1), ".offset(", value(dur, d + 1), ") > ", value(dt, d + 1), ")");
            case 6 -> Node.of("(", value(dur, d + 1), ".toHours() > 1)");
            default -> Node.of("(", value(dur, d + 1), " < ", value(dur, d + 1), ")");
        };
    }

    /** An expression of type {@code t} (or, when a mistake is due, of another type). */
    Node value(SchemaType t, int d) {
        if (mistake()) {
            return wrongType(t, d);
        }
        if (rnd.nextInt(3) == 0) {
            Path p = path(t, true);
            if (p != null) {
                return Node.leaf(p.text());
            }
        }
        boolean deep = d >= 3;
        return switch (t) {
            case SchemaType.LongType l -> {
                int k = deep ? 0 : rnd.nextInt(7);
                yield switch (k) {
                    case 1 -> Node.of("(", value(t, d + 1), " + ", value(t, d + 1), ")");
                    case 2 -> Node.of("(", value(t, d + 1), " - ", value(t, d + 1), ")");
                    case 3 -> Node.of("(", Node.leaf(Integer.toString(rnd.nextInt(5))), " * ", value(t, d + 1), ")");
                    case 4 -> Node.of("(if ", bool(d + 1), " then ", value(t, d + 1), " else ", value(t, d + 1), ")");
                    default -> Node.leaf(Integer.toString(rnd.nextInt(20) - 5));
                };
            }
            case SchemaType.StringType s ->
                Node.leaf(List.of("\"a\"", "\"bab\"", "\"\"").get(rnd.nextInt(3)));
            case SchemaType.BoolType b -> bool(d + 1);
            case SchemaType.EntityRefType e -> {
                if (e.entityType().equals(env.principal()) && rnd.nextBoolean()) {
                    yield Node.leaf("principal");
                }
                if (e.entityType().equals(env.resource()) && rnd.nextBoolean()) {
                    yield Node.leaf("resource");
                }
                yield Node.leaf(uid(e.entityType()));
            }
            case SchemaType.SetType s -> {
                int n = 1 + rnd.nextInt(2);
                List<Object> pieces = new ArrayList<>();
                pieces.add("[");
                for (int i = 0; i < n; i++) {
                    pieces.add(i == 0 ? "" : ", ");
                    pieces.add(value(s.element(), d + 1));
                }
                pieces.add("]");
                yield Node.of(pieces.toArray());
            }
            case RecordType r when !RECORD_LITERALS -> Node.leaf("context");
            case RecordType r -> {
                List<Object> pieces = new ArrayList<>();
                pieces.add("{");
                int i = 0;
                for (Map.Entry<String, Attribute> a : r.attributes().entrySet()) {
                    if (a.getValue().required() || rnd.nextBoolean()) {
                        pieces.add((i++ == 0 ? "" : ", ") + "\"" + a.getKey() + "\": ");
                        pieces.add(value(a.getValue().type(), d + 1));
                    }
                }
                pieces.add("}");
                yield Node.of(pieces.toArray());
            }
            case SchemaType.ExtensionType x ->
                Node.leaf(
                        switch (x.name()) {
                            case "ipaddr" ->
                                List.of("ip(\"10.0.0.1\")", "ip(\"192.168.0.0/16\")", "ip(\"::1\")")
                                        .get(rnd.nextInt(3));
                            case "decimal" ->
                                List.of("decimal(\"1.5\")", "decimal(\"-0.0001\")")
                                        .get(rnd.nextInt(2));
                            case "datetime" ->
                                List.of("datetime(\"2024-01-01\")", "datetime(\"2024-10-15T11:35:00Z\")")
                                        .get(rnd.nextInt(2));
                            default ->
                                List.of("duration(\"1h\")", "duration(\"-2d3m\")")
                                        .get(rnd.nextInt(2));
                        });
        };
    }

    /** A deliberate mistake standing where a {@code t} belongs. */
    private Node wrongType(SchemaType t, int d) {
        return switch (rnd.nextInt(10)) {
            case 0 -> Node.leaf("[]");
            case 1 -> Node.leaf("[1, \"a\"]");
            case 2 -> Node.leaf("principal.nope");
            case 3 -> Node.leaf("Nope::\"x\"");
            case 4 -> Node.leaf("ip(\"300.1.1.1\")");
            case 5 -> Node.of("decimal(", value(SchemaType.STRING, d + 1), ")");
            case 6 -> Node.leaf("context.nope");
            case 7 -> {
                Path p = pathWhere(x -> true, false);
                yield Node.leaf(p == null ? "resource.nope" : p.text());
            }
            default -> {
                SchemaType other = randomType();
                yield value(other.equals(t) ? SchemaType.STRING : other, d + 1);
            }
        };
    }

    private SchemaType randomType() {
        return switch (rnd.nextInt(8)) {
            case 0, 1 -> SchemaType.LONG;
            case 2 -> SchemaType.STRING;
            case 3 -> SchemaType.BOOL;
            case 4, 5 -> new SchemaType.EntityRefType(randomEntityType());
            case 6 -> new SchemaType.SetType(randomScalarType());
            default -> {
                Path p = pathWhere(x -> true, true);
                yield p == null ? SchemaType.LONG : p.type();
            }
        };
    }

    private SchemaType randomScalarType() {
        return switch (rnd.nextInt(4)) {
            case 0 -> SchemaType.LONG;
            case 1 -> SchemaType.STRING;
            case 2 -> new SchemaType.EntityRefType(randomEntityType());
            default -> SchemaType.BOOL;
        };
    }

    private EntityType randomEntityType() {
        if (rnd.nextInt(3) == 0) {
            return rnd.nextBoolean() ? env.principal() : env.resource();
        }
        return types.get(rnd.nextInt(types.size()));
    }

    // ------------------------------------------------------------------ attribute paths

    private Path path(SchemaType t, boolean requiredOnly) {
        return pathWhere(x -> x.equals(t), requiredOnly);
    }

    private Path pathWhere(java.util.function.Predicate<SchemaType> want, boolean requiredOnly) {
        List<Path> all = new ArrayList<>();
        collect(new Path("principal", new SchemaType.EntityRefType(env.principal()), ""), 0, all);
        collect(new Path("resource", new SchemaType.EntityRefType(env.resource()), ""), 0, all);
        collect(new Path("context", env.context(), ""), 0, all);
        List<Path> ok = new ArrayList<>();
        for (Path p : all) {
            if (want.test(p.type()) && (!requiredOnly || p.guard().isEmpty())) {
                ok.add(p);
            }
        }
        return ok.isEmpty() ? null : ok.get(rnd.nextInt(ok.size()));
    }

    private void collect(Path p, int depth, List<Path> out) {
        out.add(p);
        if (depth >= 2) {
            return;
        }
        RecordType shape =
                switch (p.type()) {
                    case RecordType r -> r;
                    case SchemaType.EntityRefType e -> {
                        EntityTypeDecl decl = schema.entityType(e.entityType());
                        yield decl == null ? null : decl.shape();
                    }
                    default -> null;
                };
        if (shape == null) {
            return;
        }
        for (Map.Entry<String, Attribute> a : shape.attributes().entrySet()) {
            String guard = p.guard();
            if (!a.getValue().required()) {
                String g = p.text() + " has " + a.getKey();
                guard = guard.isEmpty() ? g : guard + " && " + g;
            }
            collect(new Path(p.text() + "." + a.getKey(), a.getValue().type(), guard), depth + 1, out);
        }
    }
}
