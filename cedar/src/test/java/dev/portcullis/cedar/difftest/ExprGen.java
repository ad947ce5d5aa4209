package dev.portcullis.cedar.difftest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates Cedar expression TEXT of a requested type, mostly well-typed with respect to the
 * {@link Universe}, sometimes deliberately ill-typed. Every operator, extension function and
 * extension method of Cedar 4 is reachable. Parentheses are only added where Cedar's grammar needs
 * them (plus a few redundant ones), so the operator precedence of both parsers is exercised too.
 */
final class ExprGen {
    // precedence levels of Cedar's grammar, loosest first
    static final int IF = 0, OR = 1, AND = 2, REL = 3, ADD = 4, MUL = 5, UNARY = 6, MEMBER = 7;

    record E(String text, int level) {}

    private final Random r;
    private final Universe u;
    private final DataGen data;
    final String principalType;
    final String resourceType;
    private final double illTyped;
    private final double badLiteral;

    ExprGen(Random r, Universe u, DataGen data, String principalType, String resourceType, double illTyped) {
        this.r = r;
        this.u = u;
        this.data = data;
        this.principalType = principalType;
        this.resourceType = resourceType;
        this.illTyped = illTyped;
        this.badLiteral = illTyped > 0 ? 0.15 : 0.01;
    }

    String text(Ty t, int depth) {
        return gen(t, depth).text();
    }

    static String wrap(E e, int min) {
        return e.level() < min ? "(" + e.text() + ")" : e.text();
    }

    private E paren(E e) {
        return r.nextInt(12) == 0 ? new E("(" + e.text() + ")", MEMBER) : e;
    }

    E gen(Ty t, int depth) {
        if (illTyped > 0 && r.nextDouble() < illTyped) {
            t = u.anyTy();
        }
        if (depth <= 0 || r.nextInt(5) == 0) {
            return leaf(t);
        }
        E e =
                switch (t.kind()) {
                    case BOOL -> genBool(depth);
                    case LONG -> genLong(depth);
                    case STRING -> r.nextInt(3) == 0 ? ite(t, depth) : leaf(t);
                    case ENTITY, SET, RECORD -> r.nextInt(4) == 0 ? ite(t, depth) : composite(t, depth);
                    case DECIMAL, IP -> r.nextInt(5) == 0 ? ite(t, depth) : leaf(t);
                    case DATETIME -> genDatetime(depth);
                    case DURATION -> genDuration(depth);
                };
        return paren(e);
    }

    private E ite(Ty t, int depth) {
        return new E(
                "if " + gen(Ty.BOOL, depth - 1).text() + " then "
                        + gen(t, depth - 1).text() + " else "
                        + gen(t, depth - 1).text(),
                IF);
    }

    private E composite(Ty t, int depth) {
        return switch (t.kind()) {
            case SET -> {
                List<String> items = new ArrayList<>();
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    items.add(gen(t.elem(), depth - 1).text());
                }
                yield new E("[" + String.join(", ", items) + "]", MEMBER);
            }
            case RECORD -> {
                List<String> items = new ArrayList<>();
                if (r.nextInt(200) == 0) {
                    items.add("dup: 1, dup: 2"); // duplicate record key
                }
                for (Map.Entry<String, Ty> f : t.fields().entrySet()) {
                    String key = Lits.isIdent(f.getKey()) && r.nextBoolean() ? f.getKey() : Lits.quote(f.getKey(), r);
                    items.add(key + ": " + gen(f.getValue(), depth - 1).text());
                }
                yield new E("{" + String.join(", ", items) + "}", MEMBER);
            }
            default -> leaf(t);
        };
    }

    private E genBool(int depth) {
        int d = depth - 1;
        return switch (r.nextInt(24)) {
            case 0, 1 -> {
                Ty t = r.nextInt(3) == 0 ? Ty.LONG : u.anyTy();
                yield new E(wrap(gen(t, d), ADD) + (r.nextBoolean() ? " == " : " != ") + wrap(gen(t, d), ADD), REL);
            }
            case 2, 3 -> {
                Ty t =
                        switch (r.nextInt(6)) {
                            case 0 -> Ty.DATETIME;
                            case 1 -> Ty.DURATION;
                            case 2 -> Ty.DECIMAL;
                            default -> Ty.LONG;
                        };
                String op = List.of(" < ", " <= ", " > ", " >= ").get(r.nextInt(4));
                yield new E(wrap(gen(t, d), ADD) + op + wrap(gen(t, d), ADD), REL);
            }
            case 4, 5 -> {
                Ty left = Ty.entity(pickType());
                String right = r.nextBoolean()
                        ? wrap(gen(Ty.entity(pickType()), d), ADD)
                        : wrap(gen(Ty.set(Ty.entity(pickType())), d), ADD);
                yield new E(wrap(gen(left, d), ADD) + " in " + right, REL);
            }
            case 6, 7 -> {
                Ty t = r.nextInt(3) == 0 ? Ty.record(Map.of()) : Ty.entity(pickType());
                E base = gen(t, d);
                String attr = attrFor(t);
                String a = Lits.isIdent(attr) && r.nextBoolean() ? attr : Lits.quote(attr, r);
                if (Lits.isIdent(attr) && r.nextInt(4) == 0) {
                    a = attr + "." + Universe.ATTR_POOL.get(r.nextInt(4)); // `has a.b` sugar
                }
                yield new E(wrap(base, ADD) + " has " + a, REL);
            }
            case 8 -> new E(wrap(gen(Ty.STRING, d), ADD) + " like " + Lits.pattern(r), REL);
            case 9 -> {
                String t = r.nextInt(5) == 0 ? "Nope::T" : pickType();
                String tail = r.nextBoolean() ? "" : " in " + wrap(gen(Ty.entity(pickType()), d), ADD);
                yield new E(wrap(gen(Ty.entity(pickType()), d), ADD) + " is " + t + tail, REL);
            }
            case 10 -> new E((r.nextInt(8) == 0 ? "!!" : "!") + wrap(gen(Ty.BOOL, d), UNARY), UNARY);
            case 11 -> new E(wrap(gen(Ty.BOOL, d), AND) + " && " + wrap(gen(Ty.BOOL, d), REL), AND);
            case 12 -> new E(wrap(gen(Ty.BOOL, d), OR) + " || " + wrap(gen(Ty.BOOL, d), AND), OR);
            case 13 -> ite(Ty.BOOL, depth);
            case 14 -> {
                Ty el = u.anyTy();
                yield method(gen(Ty.set(el), d), "contains", gen(el, d));
            }
            case 15 -> {
                Ty el = u.anyTy();
                yield method(gen(Ty.set(el), d), r.nextBoolean() ? "containsAll" : "containsAny", gen(Ty.set(el), d));
            }
            case 16 -> method(gen(Ty.set(u.anyTy()), d), "isEmpty");
            case 17 -> method(gen(Ty.entity(pickTaggedType()), d), "hasTag", gen(Ty.STRING, d));
            case 18 ->
                method(
                        gen(Ty.DECIMAL, d),
                        List.of("lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual")
                                .get(r.nextInt(4)),
                        gen(Ty.DECIMAL, d));
            case 19 ->
                r.nextInt(4) == 0
                        ? method(gen(Ty.IP, d), "isInRange", gen(Ty.IP, d))
                        : method(
                                gen(Ty.IP, d),
                                List.of("isIpv4", "isIpv6", "isLoopback", "isMulticast")
                                        .get(r.nextInt(4)));
            case 20 -> getTag(Ty.BOOL, d);
            default -> leaf(Ty.BOOL);
        };
    }

    private E genLong(int depth) {
        int d = depth - 1;
        return switch (r.nextInt(12)) {
            case 0, 1 ->
                new E(wrap(gen(Ty.LONG, d), ADD) + (r.nextBoolean() ? " + " : " - ") + wrap(gen(Ty.LONG, d), MUL), ADD);
            case 2 -> new E(wrap(gen(Ty.LONG, d), MUL) + " * " + wrap(gen(Ty.LONG, d), UNARY), MUL);
            case 3 -> new E("-" + wrap(gen(Ty.LONG, d), UNARY), UNARY);
            case 4 -> ite(Ty.LONG, depth);
            case 5, 6 ->
                method(
                        gen(Ty.DURATION, d),
                        List.of("toMilliseconds", "toSeconds", "toMinutes", "toHours", "toDays")
                                .get(r.nextInt(5)));
            case 7 -> getTag(Ty.LONG, d);
            default -> leaf(Ty.LONG);
        };
    }

    private E genDatetime(int depth) {
        int d = depth - 1;
        return switch (r.nextInt(6)) {
            case 0 -> method(gen(Ty.DATETIME, d), "offset", gen(Ty.DURATION, d));
            case 1 -> method(gen(Ty.DATETIME, d), "toDate");
            case 2 -> ite(Ty.DATETIME, depth);
            default -> leaf(Ty.DATETIME);
        };
    }

    private E genDuration(int depth) {
        int d = depth - 1;
        return switch (r.nextInt(6)) {
            case 0 -> method(gen(Ty.DATETIME, d), "durationSince", gen(Ty.DATETIME, d));
            case 1 -> method(gen(Ty.DATETIME, d), "toTime");
            case 2 -> ite(Ty.DURATION, depth);
            default -> leaf(Ty.DURATION);
        };
    }

    private E getTag(Ty want, int d) {
        String type = pickTaggedType();
        Universe.TypeDef def = u.def(type);
        E base = gen(Ty.entity(type), d);
        E key = r.nextBoolean() ? new E(Lits.quote(tagKey(), r), MEMBER) : gen(Ty.STRING, d);
        E call = method(base, "getTag", key);
        // the tag's own type may differ from the one wanted: compare it to a fresh value of its type
        if (def != null && def.tagType() != null && !def.tagType().equals(want) && want == Ty.BOOL) {
            return new E(wrap(call, ADD) + " == " + wrap(gen(def.tagType(), d), ADD), REL);
        }
        return call;
    }

    String tagKey() {
        return List.of("k", "color", "level", "", "missing").get(r.nextInt(5));
    }

    private E method(E base, String name, E... args) {
        List<String> a = new ArrayList<>();
        for (E e : args) {
            a.add(e.text());
        }
        return new E(wrap(base, MEMBER) + "." + name + "(" + String.join(", ", a) + ")", MEMBER);
    }

    /** A variable, an attribute path or a literal of the type. */
    E leaf(Ty t) {
        List<E> paths = new ArrayList<>();
        collectPaths(t, paths);
        if (!paths.isEmpty() && r.nextInt(3) != 0) {
            return paths.get(r.nextInt(paths.size()));
        }
        return literal(t);
    }

    private void collectPaths(Ty want, List<E> out) {
        walk(new E("principal", MEMBER), Ty.entity(principalType), want, 2, out);
        walk(new E("resource", MEMBER), Ty.entity(resourceType), want, 2, out);
        walk(new E("context", MEMBER), Ty.record(u.contextFields), want, 2, out);
        if (want.kind() == Ty.Kind.ENTITY && want.entityType().equals(u.actionType)) {
            out.add(new E("action", MEMBER));
        }
    }

    private void walk(E base, Ty have, Ty want, int depth, List<E> out) {
        if (have.equals(want)) {
            out.add(base);
        }
        if (depth == 0) {
            return;
        }
        Map<String, Ty> fields = null;
        if (have.kind() == Ty.Kind.ENTITY) {
            Universe.TypeDef def = u.def(have.entityType());
            fields = def == null ? null : def.attrs();
        } else if (have.kind() == Ty.Kind.RECORD) {
            fields = have.fields();
        }
        if (fields == null) {
            return;
        }
        for (Map.Entry<String, Ty> f : fields.entrySet()) {
            walk(access(base, f.getKey()), f.getValue(), want, depth - 1, out);
        }
    }

    private E access(E base, String attr) {
        String b = wrap(base, MEMBER);
        if (Lits.isIdent(attr) && r.nextInt(5) != 0) {
            return new E(b + "." + attr, MEMBER);
        }
        return new E(b + "[" + Lits.quote(attr, r) + "]", MEMBER);
    }

    E literal(Ty t) {
        return switch (t.kind()) {
            case BOOL -> new E(r.nextBoolean() ? "true" : "false", MEMBER);
            case LONG -> {
                long v = Lits.randomLong(r);
                yield new E(Long.toString(v), v < 0 ? UNARY : MEMBER);
            }
            case STRING -> new E(Lits.quote(Lits.STRINGS.get(r.nextInt(Lits.STRINGS.size())), r), MEMBER);
            case ENTITY -> {
                if (t.entityType().equals(principalType) && r.nextInt(3) == 0) {
                    yield new E("principal", MEMBER);
                }
                if (t.entityType().equals(resourceType) && r.nextInt(3) == 0) {
                    yield new E("resource", MEMBER);
                }
                yield new E(data.uidOf(t.entityType()).cedar(), MEMBER);
            }
            case SET, RECORD -> composite(t, 1);
            case DECIMAL -> ext("decimal", Lits.pick(r, Lits.DECIMALS, Lits.BAD_DECIMALS, badLiteral));
            case IP -> ext("ip", Lits.pick(r, Lits.IPS, Lits.BAD_IPS, badLiteral));
            case DATETIME -> ext("datetime", Lits.pick(r, Lits.DATETIMES, Lits.BAD_DATETIMES, badLiteral));
            case DURATION -> ext("duration", Lits.pick(r, Lits.DURATIONS, Lits.BAD_DURATIONS, badLiteral));
        };
    }

    private E ext(String fn, String arg) {
        return new E(fn + "(" + Lits.quote(arg, r) + ")", MEMBER);
    }

    private String attrFor(Ty t) {
        if (t.kind() == Ty.Kind.ENTITY && r.nextInt(4) != 0) {
            Universe.TypeDef def = u.def(t.entityType());
            if (def != null && !def.attrs().isEmpty()) {
                List<String> names = new ArrayList<>(def.attrs().keySet());
                return names.get(r.nextInt(names.size()));
            }
        }
        return Universe.ATTR_POOL.get(r.nextInt(Universe.ATTR_POOL.size()));
    }

    String pickType() {
        return r.nextInt(10) == 0 ? u.actionType : u.randomType().name();
    }

    private String pickTaggedType() {
        for (int i = 0; i < 3; i++) {
            Universe.TypeDef t = u.randomType();
            if (t.tagType() != null) {
                return t.name();
            }
        }
        return u.randomType().name();
    }
}
