package dev.portcullis.cedar.validation;

import static dev.portcullis.cedar.validation.ValidationError.Kind.ATTRIBUTE_NOT_FOUND;
import static dev.portcullis.cedar.validation.ValidationError.Kind.EMPTY_SET;
import static dev.portcullis.cedar.validation.ValidationError.Kind.INCOMPATIBLE_SET_TYPES;
import static dev.portcullis.cedar.validation.ValidationError.Kind.INCOMPATIBLE_TYPES;
import static dev.portcullis.cedar.validation.ValidationError.Kind.UNEXPECTED_TYPE;
import static dev.portcullis.cedar.validation.ValidationError.Kind.UNKNOWN_ENTITY_ATTRIBUTES;
import static dev.portcullis.cedar.validation.ValidationError.Kind.UNRECOGNIZED_ENTITY_TYPE;
import static dev.portcullis.cedar.validation.ValidationError.Kind.UNSAFE_OPTIONAL_ATTRIBUTE_ACCESS;
import static dev.portcullis.cedar.validation.ValidationError.Kind.UNSAFE_TAG_ACCESS;

import dev.portcullis.cedar.ast.BinaryOp;
import dev.portcullis.cedar.ast.Chains;
import dev.portcullis.cedar.ast.Expr;
import dev.portcullis.cedar.ast.SlotId;
import dev.portcullis.cedar.ast.VarName;
import dev.portcullis.cedar.format.PolicyFormatter;
import dev.portcullis.cedar.validation.CedarType.BoolKind;
import dev.portcullis.cedar.validation.CedarType.BoolT;
import dev.portcullis.cedar.validation.CedarType.EntityT;
import dev.portcullis.cedar.validation.CedarType.ExtT;
import dev.portcullis.cedar.validation.CedarType.LongT;
import dev.portcullis.cedar.validation.CedarType.RecordT;
import dev.portcullis.cedar.validation.CedarType.SetT;
import dev.portcullis.cedar.validation.CedarType.StringT;
import dev.portcullis.cedar.value.BoolValue;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The strict type checker for one request environment (principal type, action, resource type,
 * context type, and the entity types of template slots). It follows Cedar's formal typing rules:
 * booleans are refined to {@code True}/{@code False} so that short-circuited code is not checked,
 * and <em>capabilities</em> record which optional attributes and tags are known to be present
 * because a {@code has}/{@code hasTag} test on the same expression guards the access.
 */
final class Typechecker {
    /** The type of an expression and the capabilities its being true grants. */
    record Typed(CedarType type, Set<String> caps) {
        static Typed of(CedarType type) {
            return new Typed(type, Set.of());
        }
    }

    /** A request environment; slot types are absent for static policies. */
    record Env(
            EntityType principal,
            EntityUid action,
            EntityType resource,
            RecordT context,
            Map<SlotId, EntityType> slots) {}

    private final SchemaView schema;
    private final Env env;

    Typechecker(SchemaView schema, Env env) {
        this.schema = schema;
        this.env = env;
    }

    /**
     * The type of {@code x}. A left-deep chain ({@code a || b || …}, {@code a + b - …}, {@code
     * a.b.c}, …; see {@link Chains}) is typed by a loop over its spine: the innermost left operand
     * first, then each node outward with the type of its left operand in hand, so that recursion
     * goes only into right operands and method arguments. Every rule types its left operand in
     * the same capabilities {@code c} as the node itself, so the fold gives exactly what recursion
     * would, error order included.
     */
    Typed typeOf(Expr x, Set<String> c) {
        if (Chains.chainClass(x) == Chains.NONE) {
            return typeOfNode(x, c);
        }
        List<Expr> spine = Chains.spine(x);
        Typed acc = typeOf(Chains.left(spine.get(spine.size() - 1)), c);
        for (int i = spine.size() - 1; i >= 0; i--) {
            acc = typeOfChainNode(spine.get(i), acc, c);
        }
        return acc;
    }

    /** The type of a chain node whose left operand (or receiver) has type {@code left}. */
    private Typed typeOfChainNode(Expr x, Typed left, Set<String> c) {
        return switch (x) {
            case Expr.And e -> typeOfAnd(e, left, c);
            case Expr.Or e -> typeOfOr(e, left, c);
            case Expr.Binary e -> typeOfBinary(e, left.type(), c);
            case Expr.GetAttr e -> Typed.of(typeOfGetAttr(e, left.type(), c));
            case Expr.Unary e -> Typed.of(typeOfUnary(e, left.type()));
            case Expr.Call e -> Typed.of(typeOfCall(e, left.type(), c));
            default ->
                throw new IllegalArgumentException(
                        "not a chain node: " + x.getClass().getSimpleName());
        };
    }

    private Typed typeOfNode(Expr x, Set<String> c) {
        return switch (x) {
            case Expr.Lit lit -> Typed.of(typeOfLit(lit));
            case Expr.Var v -> Typed.of(typeOfVar(v.name()));
            case Expr.Slot s -> {
                EntityType t = env.slots().get(s.slot());
                if (t == null) {
                    throw new TypeError(
                            UNEXPECTED_TYPE, s.loc(), "slot `" + s.slot().text() + "` is not in the scope");
                }
                yield Typed.of(new EntityT(t));
            }
            case Expr.If e -> typeOfIf(e, c);
            case Expr.And e -> typeOfAnd(e, typeOf(e.left(), c), c);
            case Expr.Or e -> typeOfOr(e, typeOf(e.left(), c), c);
            case Expr.Unary e -> Typed.of(typeOfUnary(e, typeOf(e.arg(), c).type()));
            case Expr.Like e -> {
                CedarType t = typeOf(e.expr(), c).type();
                expect(t instanceof StringT, e.expr(), t, "String", "`like` matches strings only");
                yield Typed.of(CedarType.BOOL);
            }
            case Expr.Is e -> {
                CedarType t = typeOf(e.expr(), c).type();
                if (!(t instanceof EntityT et)) {
                    throw unexpected(e.expr(), t, "an entity", "`is` tests the type of an entity");
                }
                yield Typed.of(et.type().equals(e.type()) ? CedarType.TRUE : CedarType.FALSE);
            }
            case Expr.Binary e -> typeOfBinary(e, typeOf(e.left(), c).type(), c);
            case Expr.HasAttr e -> typeOfHasAttr(e, c);
            case Expr.GetAttr e -> Typed.of(typeOfGetAttr(e, typeOf(e.expr(), c).type(), c));
            case Expr.SetLit e -> Typed.of(typeOfSet(e, c));
            case Expr.RecordLit e -> {
                Map<String, CedarType.Attr> attrs = new LinkedHashMap<>();
                for (Map.Entry<String, Expr> f : e.fields().entrySet()) {
                    attrs.put(
                            f.getKey(),
                            new CedarType.Attr(typeOf(f.getValue(), c).type(), true));
                }
                yield Typed.of(new RecordT(attrs));
            }
            case Expr.Call e -> {
                if (e.args().isEmpty()) {
                    yield Typed.of(ExtensionTypes.typeOfCall(e, List.of()));
                }
                yield Typed.of(typeOfCall(e, typeOf(e.args().get(0), c).type(), c));
            }
        };
    }

    /** A call whose first argument (a method's receiver) has type {@code first}. */
    private CedarType typeOfCall(Expr.Call e, CedarType first, Set<String> c) {
        List<CedarType> args = new ArrayList<>();
        args.add(first);
        for (Expr a : e.args().subList(1, e.args().size())) {
            args.add(typeOf(a, c).type());
        }
        return ExtensionTypes.typeOfCall(e, args);
    }

    private CedarType typeOfLit(Expr.Lit lit) {
        Value v = lit.value();
        return switch (v) {
            case BoolValue b -> b.value() ? CedarType.TRUE : CedarType.FALSE;
            case LongValue l -> CedarType.LONG;
            case StringValue s -> CedarType.STRING;
            case EntityUid uid -> {
                if (!schema.isValidEntityUid(uid)) {
                    throw new TypeError(
                            UNRECOGNIZED_ENTITY_TYPE, lit.loc(), "entity `" + uid + "` is not allowed by the schema");
                }
                yield new EntityT(uid.type());
            }
            default -> throw new TypeError(UNEXPECTED_TYPE, lit.loc(), "unexpected literal `" + v + "`");
        };
    }

    private CedarType typeOfVar(VarName v) {
        return switch (v) {
            case PRINCIPAL -> new EntityT(env.principal());
            case ACTION -> new EntityT(env.action().type());
            case RESOURCE -> new EntityT(env.resource());
            case CONTEXT -> env.context();
        };
    }

    private Typed typeOfIf(Expr.If e, Set<String> c) {
        Typed r1 = typeOf(e.cond(), c);
        if (!(r1.type() instanceof BoolT b)) {
            throw unexpected(e.cond(), r1.type(), "Bool", "the condition of `if` must be a boolean");
        }
        switch (b.kind()) {
            case TRUE -> {
                Typed r2 = typeOf(e.then(), union(c, r1.caps()));
                return new Typed(r2.type(), union(r1.caps(), r2.caps()));
            }
            case FALSE -> {
                return typeOf(e.otherwise(), c);
            }
            default -> {
                Typed r2 = typeOf(e.then(), union(c, r1.caps()));
                Typed r3 = typeOf(e.otherwise(), c);
                CedarType t = CedarType.lub(r2.type(), r3.type());
                if (t == null) {
                    throw new TypeError(
                            INCOMPATIBLE_TYPES,
                            e.loc(),
                            "the branches of `if` have incompatible types " + r2.type() + " and " + r3.type()
                                    + "; make both branches the same type");
                }
                return new Typed(t, intersect(union(r1.caps(), r2.caps()), r3.caps()));
            }
        }
    }

    private Typed typeOfAnd(Expr.And e, Typed r1, Set<String> c) {
        if (!(r1.type() instanceof BoolT b1)) {
            throw unexpected(e.left(), r1.type(), "Bool", "the operands of `&&` must be booleans");
        }
        if (b1.kind() == BoolKind.FALSE) {
            return Typed.of(CedarType.FALSE);
        }
        Typed r2 = typeOf(e.right(), union(c, r1.caps()));
        if (!(r2.type() instanceof BoolT b2)) {
            throw unexpected(e.right(), r2.type(), "Bool", "the operands of `&&` must be booleans");
        }
        return switch (b2.kind()) {
            case FALSE -> Typed.of(CedarType.FALSE);
            case TRUE -> new Typed(b1, union(r1.caps(), r2.caps()));
            case ANY -> new Typed(CedarType.BOOL, union(r1.caps(), r2.caps()));
        };
    }

    private Typed typeOfOr(Expr.Or e, Typed r1, Set<String> c) {
        if (!(r1.type() instanceof BoolT b1)) {
            throw unexpected(e.left(), r1.type(), "Bool", "the operands of `||` must be booleans");
        }
        if (b1.kind() == BoolKind.TRUE) {
            return Typed.of(CedarType.TRUE);
        }
        Typed r2 = typeOf(e.right(), c);
        if (!(r2.type() instanceof BoolT b2)) {
            throw unexpected(e.right(), r2.type(), "Bool", "the operands of `||` must be booleans");
        }
        if (b1.kind() == BoolKind.FALSE) {
            return r2;
        }
        return switch (b2.kind()) {
            case TRUE -> Typed.of(CedarType.TRUE);
            case FALSE -> new Typed(CedarType.BOOL, r1.caps());
            case ANY -> new Typed(CedarType.BOOL, intersect(r1.caps(), r2.caps()));
        };
    }

    private CedarType typeOfUnary(Expr.Unary e, CedarType t) {
        return switch (e.op()) {
            case NOT -> {
                if (!(t instanceof BoolT b)) {
                    throw unexpected(e.arg(), t, "Bool", "`!` negates booleans only");
                }
                yield new BoolT(b.kind().not());
            }
            case NEG -> {
                expect(t instanceof LongT, e.arg(), t, "Long", "`-` negates numbers only");
                yield CedarType.LONG;
            }
            case IS_EMPTY -> {
                expect(t instanceof SetT, e.arg(), t, "a set", "`isEmpty` applies to sets only");
                yield CedarType.BOOL;
            }
        };
    }

    /** The entity an expression certainly denotes: an entity literal, or {@code action}. */
    private EntityUid entityLiteral(Expr x) {
        if (x instanceof Expr.Lit lit && lit.value() instanceof EntityUid uid) {
            return uid;
        }
        if (x instanceof Expr.Var v && v.name() == VarName.ACTION) {
            return env.action();
        }
        return null;
    }

    /**
     * The value of a literal, for {@code ==}; {@code action} counts, since the environment fixes
     * it, and so do {@code &&} and {@code ||} of boolean literals (see {@link #foldedBool}).
     */
    private Value literal(Expr x) {
        if (x instanceof Expr.Lit lit) {
            return lit.value();
        }
        if (x instanceof Expr.And || x instanceof Expr.Or) {
            return foldedBool(x);
        }
        return entityLiteral(x);
    }

    /**
     * The boolean literal Cedar's AST holds for {@code x}, or {@code null}. Cedar's expression
     * builder replaces {@code a && b} and {@code a || b} by a literal when both operands are boolean
     * literals (after that same replacement in them), so {@code (false && true) == E::"a"} compares
     * two literals there, while {@code (false && principal.flag) == E::"a"} does not (verified with
     * cedar-java; see {@code ValidatorLiteralEqualityTest}). It is a rule about syntax, not types:
     * {@code !false} or {@code if true then true else false} are not literals.
     */
    private static BoolValue foldedBool(Expr x) {
        int k = Chains.chainClass(x);
        if (k != Chains.AND && k != Chains.OR) {
            return x instanceof Expr.Lit lit && lit.value() instanceof BoolValue b ? b : null;
        }
        List<Expr> spine = Chains.spine(x);
        BoolValue acc = foldedBool(Chains.left(spine.get(spine.size() - 1)));
        for (int i = spine.size() - 1; i >= 0 && acc != null; i--) {
            Expr node = spine.get(i);
            Expr right = node instanceof Expr.And a ? a.right() : ((Expr.Or) node).right();
            BoolValue r = foldedBool(right);
            if (r == null) {
                return null;
            }
            acc = BoolValue.of(k == Chains.AND ? acc.value() && r.value() : acc.value() || r.value());
        }
        return acc;
    }

    private Typed typeOfBinary(Expr.Binary e, CedarType t1, Set<String> c) {
        CedarType t2 = typeOf(e.right(), c).type();
        BinaryOp op = e.op();
        return switch (op) {
            case EQ -> Typed.of(typeOfEq(e, t1, t2));
            case NEQ -> Typed.of(new BoolT(((BoolT) typeOfEq(e, t1, t2)).kind().not()));
            case LT, LE, GT, GE -> {
                boolean ok = (t1 instanceof LongT && t2 instanceof LongT)
                        || (t1 instanceof ExtT x1
                                && t1.equals(t2)
                                && (x1.name().equals("datetime") || x1.name().equals("duration")));
                if (!ok) {
                    throw new TypeError(
                            UNEXPECTED_TYPE,
                            e.loc(),
                            "`" + opText(op) + "` compares two Longs (or two datetimes, or two durations), but `"
                                    + text(e.left()) + "` is " + t1 + " and `" + text(e.right()) + "` is " + t2);
                }
                yield Typed.of(CedarType.BOOL);
            }
            case ADD, SUB, MUL -> {
                expect(t1 instanceof LongT, e.left(), t1, "Long", "`" + opText(op) + "` needs numbers");
                expect(t2 instanceof LongT, e.right(), t2, "Long", "`" + opText(op) + "` needs numbers");
                yield Typed.of(CedarType.LONG);
            }
            case IN -> Typed.of(typeOfIn(e, t1, t2));
            case CONTAINS -> {
                if (!(t1 instanceof SetT s)) {
                    throw unexpected(e.left(), t1, "a set", "`contains` applies to sets");
                }
                requireLub(
                        e,
                        s.element(),
                        t2,
                        "the set's elements are " + s.element() + " but `" + text(e.right()) + "` is " + t2);
                yield Typed.of(CedarType.BOOL);
            }
            case CONTAINS_ALL, CONTAINS_ANY -> {
                String name = op == BinaryOp.CONTAINS_ALL ? "containsAll" : "containsAny";
                if (!(t1 instanceof SetT s1)) {
                    throw unexpected(e.left(), t1, "a set", "`" + name + "` applies to sets");
                }
                if (!(t2 instanceof SetT s2)) {
                    throw unexpected(e.right(), t2, "a set", "the argument of `" + name + "` must be a set");
                }
                requireLub(
                        e,
                        s1.element(),
                        s2.element(),
                        "the sets have incompatible element types " + s1.element() + " and " + s2.element());
                yield Typed.of(CedarType.BOOL);
            }
            case HAS_TAG, GET_TAG -> typeOfTag(e, t1, t2, c);
        };
    }

    private void requireLub(Expr.Binary e, CedarType a, CedarType b, String detail) {
        if (CedarType.lub(a, b) == null) {
            throw new TypeError(INCOMPATIBLE_TYPES, e.loc(), "`" + text(e) + "` can never be true: " + detail);
        }
    }

    private CedarType typeOfEq(Expr.Binary e, CedarType t1, CedarType t2) {
        Value l1 = literal(e.left());
        Value l2 = literal(e.right());
        if (l1 != null && l2 != null) {
            return l1.equals(l2) ? CedarType.TRUE : CedarType.FALSE;
        }
        if (CedarType.lub(t1, t2) != null) {
            return CedarType.BOOL;
        }
        if (t1 instanceof EntityT && t2 instanceof EntityT) {
            return CedarType.FALSE;
        }
        throw new TypeError(
                INCOMPATIBLE_TYPES,
                e.loc(),
                "`" + text(e.left()) + "` (" + t1 + ") and `" + text(e.right()) + "` (" + t2
                        + ") have incompatible types, so `" + opText(e.op()) + "` is "
                        + (e.op() == BinaryOp.EQ ? "always false" : "always true")
                        + "; compare values of the same type");
    }

    private CedarType typeOfIn(Expr.Binary e, CedarType t1, CedarType t2) {
        if (!(t1 instanceof EntityT e1)) {
            throw unexpected(e.left(), t1, "an entity", "the left operand of `in` must be an entity");
        }
        EntityUid lhsAction = entityLiteral(e.left());
        if (lhsAction != null && !schema.isAction(lhsAction)) {
            lhsAction = null;
        }
        if (t2 instanceof EntityT e2) {
            EntityUid rhs = entityLiteral(e.right());
            if (lhsAction != null && rhs != null) {
                return schema.actionDescendantOf(lhsAction, rhs) ? CedarType.TRUE : CedarType.FALSE;
            }
            return schema.typeDescendantOf(e1.type(), e2.type()) ? CedarType.BOOL : CedarType.FALSE;
        }
        if (t2 instanceof SetT s && s.element() instanceof EntityT e2) {
            List<EntityUid> rhs = entityLiterals(e.right());
            if (lhsAction != null && rhs != null) {
                for (EntityUid u : rhs) {
                    if (schema.actionDescendantOf(lhsAction, u)) {
                        return CedarType.TRUE;
                    }
                }
                return CedarType.FALSE;
            }
            return schema.typeDescendantOf(e1.type(), e2.type()) ? CedarType.BOOL : CedarType.FALSE;
        }
        throw unexpected(e.right(), t2, "an entity or a set of entities", "the right operand of `in` must be entities");
    }

    private List<EntityUid> entityLiterals(Expr x) {
        if (!(x instanceof Expr.SetLit s)) {
            return null;
        }
        List<EntityUid> out = new ArrayList<>();
        for (Expr el : s.elements()) {
            EntityUid u = entityLiteral(el);
            if (u == null) {
                return null;
            }
            out.add(u);
        }
        return out;
    }

    private Typed typeOfTag(Expr.Binary e, CedarType t1, CedarType t2, Set<String> c) {
        boolean has = e.op() == BinaryOp.HAS_TAG;
        String name = has ? "hasTag" : "getTag";
        if (!(t1 instanceof EntityT et)) {
            throw unexpected(e.left(), t1, "an entity", "`" + name + "` applies to entities");
        }
        if (!(t2 instanceof StringT)) {
            throw unexpected(e.right(), t2, "String", "tag names are strings");
        }
        EntityType ety = et.type();
        String cap = "tag\u0000" + key(e.left()) + "\u0000" + key(e.right());
        if (schema.isDeclaredType(ety)) {
            CedarType tagType = schema.tagType(ety);
            if (tagType == null) {
                if (has) {
                    return Typed.of(CedarType.FALSE);
                }
                throw new TypeError(
                        UNSAFE_TAG_ACCESS,
                        e.loc(),
                        "entity type `" + ety + "` has no tags, so `" + text(e) + "` always fails; declare `tags` for `"
                                + ety + "` in the schema");
            }
            if (c.contains(cap)) {
                return has ? Typed.of(CedarType.TRUE) : Typed.of(tagType);
            }
            if (has) {
                return new Typed(CedarType.BOOL, Set.of(cap));
            }
            throw new TypeError(
                    UNSAFE_TAG_ACCESS,
                    e.loc(),
                    "tag `" + text(e.right()) + "` may be missing from `" + text(e.left()) + "`; guard it with `"
                            + text(e.left()) + ".hasTag(" + text(e.right()) + ")`");
        }
        if (has && schema.isActionType(ety)) {
            return Typed.of(CedarType.FALSE);
        }
        throw new TypeError(
                UNKNOWN_ENTITY_ATTRIBUTES, e.loc(), "entities of type `" + ety + "` have no tags in the schema");
    }

    private Typed typeOfHasAttr(Expr.HasAttr e, Set<String> c) {
        CedarType t = typeOf(e.expr(), c).type();
        if (t instanceof RecordT r) {
            return hasAttrIn(r, e, c, true);
        }
        if (t instanceof EntityT et) {
            RecordT r = schema.attributes(et.type());
            if (r != null) {
                return hasAttrIn(r, e, c, false);
            }
            if (schema.isActionType(et.type())) {
                return Typed.of(CedarType.FALSE);
            }
            throw new TypeError(
                    UNKNOWN_ENTITY_ATTRIBUTES,
                    e.loc(),
                    "entity type `" + et.type() + "` is not declared in the schema");
        }
        throw unexpected(e.expr(), t, "an entity or a record", "`has` tests attributes of entities and records");
    }

    private Typed hasAttrIn(RecordT r, Expr.HasAttr e, Set<String> c, boolean knownToExist) {
        CedarType.Attr a = r.attrs().get(e.attr());
        if (a == null) {
            return Typed.of(CedarType.FALSE);
        }
        String cap = attrCap(e.expr(), e.attr());
        // An entity's required attribute is present only if the entity exists, which the type
        // checker cannot know; a record's required attribute is always present.
        if (c.contains(cap) || (a.required() && knownToExist)) {
            return Typed.of(CedarType.TRUE);
        }
        return new Typed(CedarType.BOOL, Set.of(cap));
    }

    private CedarType typeOfGetAttr(Expr.GetAttr e, CedarType t, Set<String> c) {
        RecordT r;
        String owner;
        if (t instanceof RecordT rt) {
            r = rt;
            owner = "record `" + text(e.expr()) + "`";
        } else if (t instanceof EntityT et) {
            r = schema.attributes(et.type());
            owner = "entity type `" + et.type() + "`";
            if (r == null) {
                throw new TypeError(
                        UNKNOWN_ENTITY_ATTRIBUTES,
                        e.loc(),
                        "entities of type `" + et.type() + "` have no attributes in the schema, so `" + text(e)
                                + "` always fails");
            }
        } else {
            throw unexpected(e.expr(), t, "an entity or a record", "only entities and records have attributes");
        }
        CedarType.Attr a = r.attrs().get(e.attr());
        if (a == null) {
            throw new TypeError(
                    ATTRIBUTE_NOT_FOUND,
                    e.loc(),
                    "attribute `" + e.attr() + "` not found on " + owner
                            + Suggestions.didYouMean(e.attr(), r.attrs().keySet()));
        }
        if (!a.required() && !c.contains(attrCap(e.expr(), e.attr()))) {
            throw new TypeError(
                    UNSAFE_OPTIONAL_ATTRIBUTE_ACCESS,
                    e.loc(),
                    "`" + text(e) + "` is optional; guard it with `" + text(e.expr()) + " has " + attrName(e.attr())
                            + "`");
        }
        return a.type();
    }

    private CedarType typeOfSet(Expr.SetLit e, Set<String> c) {
        if (e.elements().isEmpty()) {
            throw new TypeError(
                    EMPTY_SET,
                    e.loc(),
                    "the type of the empty set `[]` cannot be known; use a non-empty set, or `.isEmpty()` to test"
                            + " for emptiness");
        }
        List<CedarType> types = new ArrayList<>();
        for (Expr x : e.elements()) {
            types.add(typeOf(x, c).type());
        }
        CedarType acc = types.get(0);
        for (int i = 1; i < types.size(); i++) {
            CedarType next = CedarType.lub(acc, types.get(i));
            if (next == null) {
                throw new TypeError(
                        INCOMPATIBLE_SET_TYPES,
                        e.loc(),
                        "set elements must all have the same type, but `"
                                + text(e.elements().get(0)) + "` is " + types.get(0) + " and `"
                                + text(e.elements().get(i)) + "` is " + types.get(i));
            }
            acc = next;
        }
        return new SetT(acc);
    }

    private static String attrCap(Expr x, String attr) {
        return "attr\u0000" + key(x) + "\u0000" + attr;
    }

    private static String attrName(String attr) {
        return attr.matches("[A-Za-z_][A-Za-z0-9_]*") ? attr : dev.portcullis.cedar.value.Strings.quote(attr);
    }

    private static void expect(boolean ok, Expr x, CedarType actual, String expected, String why) {
        if (!ok) {
            throw unexpected(x, actual, expected, why);
        }
    }

    static TypeError unexpected(Expr x, CedarType actual, String expected, String why) {
        return new TypeError(
                UNEXPECTED_TYPE, x.loc(), "`" + text(x) + "` is " + actual + " but " + expected + " is needed: " + why);
    }

    /** An expression as a capability names it: its full text. */
    private static String key(Expr x) {
        return PolicyFormatter.format(x);
    }

    /**
     * An expression as a message quotes it: its text, with the middle of a long one (a chain of
     * thousands of terms, say) left out so that the message stays one readable line.
     */
    static String text(Expr x) {
        String s = PolicyFormatter.format(x);
        return s.length() <= MAX_QUOTE ? s : s.substring(0, MAX_QUOTE - 60) + " ... " + s.substring(s.length() - 40);
    }

    private static final int MAX_QUOTE = 240;

    private static String opText(BinaryOp op) {
        return switch (op) {
            case EQ -> "==";
            case NEQ -> "!=";
            case LT -> "<";
            case LE -> "<=";
            case GT -> ">";
            case GE -> ">=";
            case ADD -> "+";
            case SUB -> "-";
            case MUL -> "*";
            default -> op.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return out;
    }

    private static Set<String> intersect(Set<String> a, Set<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return Set.of();
        }
        Set<String> out = new HashSet<>(a);
        out.retainAll(b);
        return out;
    }
}
