package dev.portcullis.cedar.eval;

import dev.portcullis.cedar.Request;
import dev.portcullis.cedar.ast.ActionConstraint;
import dev.portcullis.cedar.ast.BinaryOp;
import dev.portcullis.cedar.ast.Chains;
import dev.portcullis.cedar.ast.Condition;
import dev.portcullis.cedar.ast.EntityRef;
import dev.portcullis.cedar.ast.Expr;
import dev.portcullis.cedar.ast.Pattern;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.ast.ScopeConstraint;
import dev.portcullis.cedar.ast.UnaryOp;
import dev.portcullis.cedar.ast.VarName;
import dev.portcullis.cedar.entities.Entities;
import dev.portcullis.cedar.entities.Entity;
import dev.portcullis.cedar.eval.EvaluationException.ErrorKind;
import dev.portcullis.cedar.value.BoolValue;
import dev.portcullis.cedar.value.DatetimeValue;
import dev.portcullis.cedar.value.DurationValue;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.SetValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Value;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates Cedar expressions and policies for one request against one entity store, with Cedar's
 * semantics: {@code &&}, {@code ||} and {@code if} short-circuit and demand Bools, {@code ==} never
 * fails, arithmetic is overflow-checked, reading a missing attribute, tag or entity is an error.
 *
 * <p>An evaluator is cheap to create and is meant for one request on one thread: it remembers the
 * last two entities and the last ancestor set it looked up, because the policies of one request read the
 * same few entities over and over ({@code resource.owner}, {@code principal in ...}), and a
 * reference comparison is much cheaper than a hash lookup keyed by an {@code EntityUid}.
 * Evaluation allocates nothing on the common paths beyond the values it builds (set and record
 * literals, large longs).
 */
public final class Evaluator {
    private final Request request;
    private final Entities entities;

    // Small caches keyed by reference: request variables and attribute values are the same
    // EntityUid instances every time a policy reads them. INVARIANT: lookedUp != null implies
    // lookedUpEntity == entities.get(lookedUp) (null when absent); likewise for lookedUpBefore and
    // for the ancestors.
    private EntityUid lookedUp;
    private Entity lookedUpEntity;
    // The entry before: conditions alternate between two entities (`resource.owner.x` reads the
    // resource, then its owner; the next policy starts from the resource again).
    private EntityUid lookedUpBefore;
    private Entity lookedUpBeforeEntity;
    private EntityUid ancestorsOf;
    private Set<EntityUid> ancestors;

    public Evaluator(Request request, Entities entities) {
        this.request = request;
        this.entities = entities;
    }

    /**
     * Whether {@code policy} applies to the request: its principal, action and resource scope match,
     * and then each {@code when} condition is true and each {@code unless} condition false, checked
     * in order and stopping at the first that fails.
     *
     * @throws EvaluationException when a condition fails to evaluate or is not a Bool
     */
    public boolean isSatisfied(Policy policy) {
        return isSatisfied(policy, null);
    }

    /**
     * {@link #isSatisfied(Policy)} for a policy whose {@code proven} scope component (principal,
     * action or resource) is already known to match this request, so is not checked again; {@code
     * null} checks all three. The authorizer's index proves the component it found the policy by.
     *
     * @throws EvaluationException when a condition fails to evaluate or is not a Bool
     */
    public boolean isSatisfied(Policy policy, VarName proven) {
        if ((proven != VarName.PRINCIPAL && !matches(policy.principal(), request.principal()))
                || (proven != VarName.ACTION && !matches(policy.action()))
                || (proven != VarName.RESOURCE && !matches(policy.resource(), request.resource()))) {
            return false;
        }
        List<Condition> conditions = policy.conditions();
        for (int i = 0, n = conditions.size(); i < n; i++) {
            Condition c = conditions.get(i);
            Value v = evaluateGuarded(c.body());
            if (!(v instanceof BoolValue b)) {
                EvaluationException ex = typeError(
                        "the `" + (c.when() ? "when" : "unless") + "` condition must be a Bool, got " + describe(v));
                ex.locateAt(c.body().loc());
                throw ex;
            }
            if (b.value() != c.when()) {
                return false;
            }
        }
        return true;
    }

    private Value evaluateGuarded(Expr e) {
        try {
            return evaluate(e);
        } catch (StackOverflowError overflow) {
            throw new EvaluationException(ErrorKind.RECURSION_LIMIT, "the expression is nested too deeply");
        }
    }

    private boolean matches(ScopeConstraint c, EntityUid uid) {
        return switch (c) {
            case ScopeConstraint.Any any -> true;
            case ScopeConstraint.Eq eq -> uid.equals(resolve(eq.ref()));
            case ScopeConstraint.In in -> isDescendantOrSelf(uid, resolve(in.ref()));
            case ScopeConstraint.Is is -> uid.type().equals(is.type());
            case ScopeConstraint.IsIn isIn ->
                uid.type().equals(isIn.type()) && isDescendantOrSelf(uid, resolve(isIn.ref()));
        };
    }

    private boolean matches(ActionConstraint c) {
        EntityUid action = request.action();
        return switch (c) {
            case ActionConstraint.Any any -> true;
            case ActionConstraint.Eq eq -> action.equals(eq.action());
            case ActionConstraint.In in -> {
                List<EntityUid> parents = in.actions();
                for (int i = 0, n = parents.size(); i < n; i++) {
                    if (isDescendantOrSelf(action, parents.get(i))) {
                        yield true;
                    }
                }
                yield false;
            }
        };
    }

    private static EntityUid resolve(EntityRef ref) {
        if (ref.isSlot()) {
            throw unlinked(ref.slot().text());
        }
        return ref.uid();
    }

    private static EvaluationException unlinked(String slot) {
        return new EvaluationException(
                ErrorKind.UNLINKED_SLOT, "template slot `" + slot + "` is not linked to an entity");
    }

    /**
     * The value of {@code e}.
     *
     * @throws EvaluationException located at the innermost failing sub-expression
     */
    public Value evaluate(Expr e) {
        try {
            return dispatch(e);
        } catch (EvaluationException ex) {
            ex.locateAt(e.loc()); // no cost unless an error is thrown; the innermost frame wins
            throw ex;
        }
    }

    private Value dispatch(Expr e) {
        // An instanceof chain on the (final) record classes, most frequent first: each test is a
        // single class-pointer comparison, cheaper than a pattern switch's dispatch.
        if (e instanceof Expr.Binary b) {
            if (b.left() instanceof Expr.Binary && isLongChain(b)) {
                return chain(b);
            }
            return binary(b.op(), evaluate(b.left()), evaluate(b.right()));
        } else if (e instanceof Expr.GetAttr g) {
            if (!(g.expr() instanceof Expr.Var) && isLongChain(g)) {
                return chain(g);
            }
            return getAttr(evaluate(g.expr()), g.attr());
        } else if (e instanceof Expr.Lit lit) {
            return lit.value();
        } else if (e instanceof Expr.Var v) {
            return variable(v);
        } else if (e instanceof Expr.And a) {
            if (a.left() instanceof Expr.And && isLongChain(a)) {
                return chain(a);
            }
            return BoolValue.of(asBool(evaluate(a.left()), "left operand of `&&`")
                    && asBool(evaluate(a.right()), "right operand of `&&`"));
        } else if (e instanceof Expr.Or o) {
            if (o.left() instanceof Expr.Or && isLongChain(o)) {
                return chain(o);
            }
            return BoolValue.of(asBool(evaluate(o.left()), "left operand of `||`")
                    || asBool(evaluate(o.right()), "right operand of `||`"));
        } else if (e instanceof Expr.HasAttr h) {
            return hasAttr(evaluate(h.expr()), h.attr());
        } else if (e instanceof Expr.Call c) {
            if (c.method() && isLongChain(c)) {
                return chain(c);
            }
            return call(c);
        } else if (e instanceof Expr.Unary u) {
            if (u.op() == UnaryOp.IS_EMPTY && !(u.arg() instanceof Expr.Var) && isLongChain(u)) {
                return chain(u);
            }
            return unary(u.op(), evaluate(u.arg()));
        } else if (e instanceof Expr.If i) {
            return asBool(evaluate(i.cond()), "`if` condition") ? evaluate(i.then()) : evaluate(i.otherwise());
        } else if (e instanceof Expr.Like l) {
            Value v = evaluate(l.expr());
            if (!(v instanceof StringValue s)) {
                throw typeError("`like` expects a String, got " + describe(v));
            }
            return BoolValue.of(like(s.value(), l.pattern()));
        } else if (e instanceof Expr.Is is) {
            Value v = evaluate(is.expr());
            if (!(v instanceof EntityUid uid)) {
                throw typeError("`is` expects an entity, got " + describe(v));
            }
            return BoolValue.of(uid.type().equals(is.type()));
        } else if (e instanceof Expr.SetLit s) {
            return setLiteral(s);
        } else if (e instanceof Expr.RecordLit r) {
            return recordLiteral(r);
        } else if (e instanceof Expr.Slot s) {
            throw unlinked(s.slot().text());
        }
        throw new IllegalArgumentException("unknown expression " + e);
    }

    private Value variable(Expr.Var v) {
        return switch (v.name()) {
            case PRINCIPAL -> request.principal();
            case ACTION -> request.action();
            case RESOURCE -> request.resource();
            case CONTEXT -> request.context();
        };
    }

    private Value setLiteral(Expr.SetLit s) {
        List<Expr> elems = s.elements();
        if (elems.isEmpty()) {
            return SetValue.EMPTY;
        }
        Set<Value> values = new LinkedHashSet<>(elems.size() * 2);
        for (int i = 0, n = elems.size(); i < n; i++) {
            values.add(evaluate(elems.get(i)));
        }
        return new SetValue(values);
    }

    private Value recordLiteral(Expr.RecordLit r) {
        if (r.fields().isEmpty()) {
            return RecordValue.EMPTY;
        }
        Map<String, Value> values = new LinkedHashMap<>(r.fields().size() * 2);
        for (Map.Entry<String, Expr> f : r.fields().entrySet()) {
            values.put(f.getKey(), evaluate(f.getValue()));
        }
        return new RecordValue(values);
    }

    /**
     * Chains shorter than this are evaluated by plain recursion (no allocation); longer ones by
     * {@link #chain}, so that a chain of any length needs a bounded stack.
     */
    private static final int SHORT_CHAIN = 16;

    private static boolean isLongChain(Expr e) {
        for (int i = 0; i < SHORT_CHAIN; i++) {
            Expr left = Chains.left(e);
            if (!Chains.continues(e, left)) {
                return false;
            }
            e = left;
        }
        return true;
    }

    /**
     * A long left-deep chain ({@code a || b || ...}, {@code a + b + ...}, {@code a.b.c...}) evaluated
     * by a loop over its spine, innermost node first, with exactly the recursive evaluation's
     * semantics: operands left to right, {@code ||} and {@code &&} short-circuit (their value never
     * changes once decided, since every node of the chain is the same operator), each error located
     * at the node that raised it.
     */
    private Value chain(Expr top) {
        List<Expr> spine = Chains.spine(top);
        int last = spine.size() - 1;
        Value v = evaluate(Chains.left(spine.get(last)));
        for (int i = last; i >= 0; i--) {
            Expr node = spine.get(i);
            try {
                if (node instanceof Expr.Or o) {
                    if (asBool(v, "left operand of `||`") || asBool(evaluate(o.right()), "right operand of `||`")) {
                        return BoolValue.TRUE;
                    }
                    v = BoolValue.FALSE;
                } else if (node instanceof Expr.And a) {
                    if (!asBool(v, "left operand of `&&`") || !asBool(evaluate(a.right()), "right operand of `&&`")) {
                        return BoolValue.FALSE;
                    }
                    v = BoolValue.TRUE;
                } else if (node instanceof Expr.Binary b) {
                    v = binary(b.op(), v, evaluate(b.right()));
                } else if (node instanceof Expr.GetAttr g) {
                    v = getAttr(v, g.attr());
                } else if (node instanceof Expr.Unary u) {
                    v = unary(u.op(), v);
                } else if (node instanceof Expr.Call c) {
                    v = finishCall(c, v);
                }
            } catch (EvaluationException ex) {
                ex.locateAt(node.loc());
                throw ex;
            }
        }
        return v;
    }

    private Value unary(UnaryOp op, Value v) {
        return switch (op) {
            case NOT -> BoolValue.of(!asBool(v, "operand of `!`"));
            case NEG -> {
                long x = asLong(v, "operand of unary `-`");
                if (x == Long.MIN_VALUE) {
                    throw new EvaluationException(ErrorKind.INTEGER_OVERFLOW, "integer overflow: `-(" + x + ")`");
                }
                yield LongValue.of(-x);
            }
            case IS_EMPTY -> {
                if (!(v instanceof SetValue s)) {
                    throw typeError("`isEmpty` expects a Set, got " + describe(v));
                }
                yield BoolValue.of(s.elements().isEmpty());
            }
        };
    }

    private Value binary(BinaryOp op, Value l, Value r) {
        return switch (op) {
            case EQ -> BoolValue.of(l.equals(r));
            case NEQ -> BoolValue.of(!l.equals(r));
            case LT -> BoolValue.of(compare(op, l, r) < 0);
            case LE -> BoolValue.of(compare(op, l, r) <= 0);
            case GT -> BoolValue.of(compare(op, l, r) > 0);
            case GE -> BoolValue.of(compare(op, l, r) >= 0);
            case ADD, SUB, MUL -> arithmetic(op, l, r);
            case IN -> BoolValue.of(in(l, r));
            case CONTAINS -> BoolValue.of(asSet(l, "contains").contains(r));
            case CONTAINS_ALL -> BoolValue.of(asSet(l, "containsAll").containsAll(asSet(r, "containsAll")));
            case CONTAINS_ANY -> BoolValue.of(!Collections.disjoint(asSet(l, "containsAny"), asSet(r, "containsAny")));
            case GET_TAG -> getTag(l, r);
            case HAS_TAG -> hasTag(l, r);
        };
    }

    /** Long, datetime and duration are ordered; mixing them, or any other type, is a type error. */
    private static int compare(BinaryOp op, Value l, Value r) {
        if (l instanceof LongValue a && r instanceof LongValue b) {
            return Long.compare(a.value(), b.value());
        }
        if (l instanceof DatetimeValue a && r instanceof DatetimeValue b) {
            return Long.compare(a.epochMillis(), b.epochMillis());
        }
        if (l instanceof DurationValue a && r instanceof DurationValue b) {
            return Long.compare(a.millis(), b.millis());
        }
        throw typeError("`" + op.text() + "` expects two Longs, two datetimes or two durations, got " + describe(l)
                + " and " + describe(r));
    }

    private static Value arithmetic(BinaryOp op, Value l, Value r) {
        if (!(l instanceof LongValue lv) || !(r instanceof LongValue rv)) {
            throw typeError("`" + op.text() + "` expects two Longs, got " + describe(l) + " and " + describe(r));
        }
        long a = lv.value();
        long b = rv.value();
        long result;
        boolean overflow;
        switch (op) {
            case ADD -> {
                result = a + b;
                overflow = ((a ^ result) & (b ^ result)) < 0;
            }
            case SUB -> {
                result = a - b;
                overflow = ((a ^ b) & (a ^ result)) < 0;
            }
            default -> {
                result = a * b;
                overflow = Math.multiplyHigh(a, b) != (result >> 63);
            }
        }
        if (overflow) {
            throw new EvaluationException(
                    ErrorKind.INTEGER_OVERFLOW, "integer overflow: `" + a + " " + op.text() + " " + b + "`");
        }
        return LongValue.of(result);
    }

    private boolean in(Value l, Value r) {
        if (!(l instanceof EntityUid child)) {
            throw typeError("the left operand of `in` must be an entity, got " + describe(l)
                    + (r instanceof SetValue ? " (use `.contains()` to test set membership)" : ""));
        }
        if (r instanceof EntityUid parent) {
            return isDescendantOrSelf(child, parent);
        }
        if (r instanceof SetValue set) {
            // Cedar checks every element is an entity, even after a match.
            boolean found = false;
            for (Value v : set.elements()) {
                if (!(v instanceof EntityUid parent)) {
                    throw typeError("the right operand of `in` must be an entity or a set of entities, got a set"
                            + " containing " + describe(v));
                }
                if (!found && isDescendantOrSelf(child, parent)) {
                    found = true;
                }
            }
            return found;
        }
        throw typeError("the right operand of `in` must be an entity or a set of entities, got " + describe(r));
    }

    private Entity entity(EntityUid uid) {
        if (uid == lookedUp) {
            return lookedUpEntity;
        }
        Entity e = uid == lookedUpBefore ? lookedUpBeforeEntity : entities.get(uid);
        lookedUpBefore = lookedUp;
        lookedUpBeforeEntity = lookedUpEntity;
        lookedUp = uid;
        lookedUpEntity = e;
        return e;
    }

    private boolean isDescendantOrSelf(EntityUid child, EntityUid parent) {
        if (child != ancestorsOf) {
            ancestors = entities.ancestors(child);
            ancestorsOf = child;
        }
        return child.equals(parent) || ancestors.contains(parent);
    }

    private Value getAttr(Value v, String attr) {
        if (v instanceof EntityUid uid) {
            Entity entity = entity(uid);
            if (entity == null) {
                throw new EvaluationException(ErrorKind.ENTITY_DOES_NOT_EXIST, "entity `" + uid + "` does not exist");
            }
            Value a = entity.attrs().get(attr);
            if (a == null) {
                throw new EvaluationException(
                        ErrorKind.ATTRIBUTE_DOES_NOT_EXIST, "`" + uid + "` does not have the attribute `" + attr + "`");
            }
            return a;
        }
        if (v instanceof RecordValue rec) {
            Value a = rec.get(attr);
            if (a == null) {
                throw new EvaluationException(
                        ErrorKind.ATTRIBUTE_DOES_NOT_EXIST, "record does not have the attribute `" + attr + "`");
            }
            return a;
        }
        throw typeError("cannot read attribute `" + attr + "` of " + describe(v) + ": expected an entity or a record");
    }

    private Value hasAttr(Value v, String attr) {
        if (v instanceof EntityUid uid) {
            Entity entity = entity(uid);
            return BoolValue.of(entity != null && entity.attrs().containsKey(attr));
        }
        if (v instanceof RecordValue rec) {
            return BoolValue.of(rec.attrs().containsKey(attr));
        }
        throw typeError("`has` expects an entity or a record, got " + describe(v));
    }

    private Value getTag(Value l, Value r) {
        EntityUid uid = asEntity(l, "getTag");
        String tag = asString(r, "getTag");
        Entity entity = entity(uid);
        if (entity == null) {
            throw new EvaluationException(ErrorKind.ENTITY_DOES_NOT_EXIST, "entity `" + uid + "` does not exist");
        }
        Value v = entity.tags().get(tag);
        if (v == null) {
            throw new EvaluationException(
                    ErrorKind.TAG_DOES_NOT_EXIST, "`" + uid + "` does not have the tag `" + tag + "`");
        }
        return v;
    }

    private Value hasTag(Value l, Value r) {
        EntityUid uid = asEntity(l, "hasTag");
        String tag = asString(r, "hasTag");
        Entity entity = entity(uid);
        return BoolValue.of(entity != null && entity.tags().containsKey(tag));
    }

    private Value call(Expr.Call c) {
        List<Expr> argExprs = c.args();
        int n = argExprs.size();
        if (n == 1 && !c.method() && argExprs.get(0) instanceof Expr.Lit lit && lit.value() instanceof StringValue s) {
            Extensions.Function f = Extensions.get(c.fn());
            if (f != null && !f.method() && f.arity() == 1) {
                return f.applyToLiteral(s);
            }
        }
        return finishCall(c, n > 0 ? evaluate(argExprs.get(0)) : null);
    }

    /** A call whose first argument (a method's receiver) has the value {@code a}. */
    private Value finishCall(Expr.Call c, Value a) {
        List<Expr> argExprs = c.args();
        int n = argExprs.size();
        Value b = n > 1 ? evaluate(argExprs.get(1)) : null;
        for (int i = 2; i < n; i++) {
            evaluate(argExprs.get(i)); // Cedar evaluates every argument before reporting the arity
        }
        Extensions.Function f = Extensions.get(c.fn());
        if (f == null || f.method() != c.method()) {
            throw new EvaluationException(
                    ErrorKind.UNKNOWN_FUNCTION,
                    (c.method() ? "unknown method `" : "unknown function `") + c.fn() + "`");
        }
        if (f.arity() != n) {
            throw new EvaluationException(
                    ErrorKind.WRONG_ARITY,
                    "`" + c.fn() + "` expects " + (f.method() ? f.arity() - 1 : f.arity()) + " argument(s), got "
                            + (f.method() ? n - 1 : n));
        }
        return f.impl().apply(a, b);
    }

    /**
     * Glob matching of {@code s} against {@code pattern}, where {@code *} matches any sequence of
     * code points. Linear-time greedy matching with backtracking to the last star.
     */
    static boolean like(String s, Pattern pattern) {
        List<Pattern.Elem> p = pattern.elems();
        int pn = p.size();
        int sn = s.length();
        int pi = 0;
        int si = 0;
        int starPi = -1;
        int starSi = 0;
        while (si < sn) {
            if (pi < pn) {
                Pattern.Elem e = p.get(pi);
                if (e.wildcard()) {
                    starPi = pi++;
                    starSi = si;
                    continue;
                }
                int cp = s.codePointAt(si);
                if (e.codePoint() == cp) {
                    pi++;
                    si += Character.charCount(cp);
                    continue;
                }
            }
            if (starPi < 0) {
                return false;
            }
            pi = starPi + 1;
            starSi += Character.charCount(s.codePointAt(starSi));
            si = starSi;
        }
        while (pi < pn && p.get(pi).wildcard()) {
            pi++;
        }
        return pi == pn;
    }

    private static boolean asBool(Value v, String what) {
        if (v instanceof BoolValue b) {
            return b.value();
        }
        throw typeError("the " + what + " must be a Bool, got " + describe(v));
    }

    private static long asLong(Value v, String what) {
        if (v instanceof LongValue l) {
            return l.value();
        }
        throw typeError("the " + what + " must be a Long, got " + describe(v));
    }

    private static Set<Value> asSet(Value v, String method) {
        if (v instanceof SetValue s) {
            return s.elements();
        }
        throw typeError("`" + method + "` expects a Set, got " + describe(v));
    }

    private static EntityUid asEntity(Value v, String method) {
        if (v instanceof EntityUid uid) {
            return uid;
        }
        throw typeError("`" + method + "` expects an entity, got " + describe(v));
    }

    private static String asString(Value v, String method) {
        if (v instanceof StringValue s) {
            return s.value();
        }
        throw typeError("the tag of `" + method + "` must be a String, got " + describe(v));
    }

    static EvaluationException typeError(String message) {
        return new EvaluationException(ErrorKind.TYPE_ERROR, "type error: " + message);
    }

    /** A value for an error message: its type and (abbreviated) text, e.g. {@code Long `5`}. */
    static String describe(Value v) {
        String text = v.toString();
        if (text.length() > 80) {
            text = text.substring(0, 77) + "...";
        }
        return v.typeName() + " `" + text + "`";
    }
}
