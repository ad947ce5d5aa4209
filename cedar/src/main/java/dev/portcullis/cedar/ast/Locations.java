package dev.portcullis.cedar.ast;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies of AST nodes with every {@link Loc} replaced by {@link Loc#NONE}, so that two trees can be
 * compared with {@code equals} regardless of where (or whether) they were parsed from text.
 */
public final class Locations {
    private Locations() {}

    /** True when {@code a} and {@code b} are the same policies, ignoring source locations. */
    public static boolean sameIgnoringLocations(Policy a, Policy b) {
        return erase(a).equals(erase(b));
    }

    public static Policy erase(Policy p) {
        return new Policy(
                p.id(),
                p.effect(),
                p.principal(),
                p.action(),
                p.resource(),
                p.conditions().stream()
                        .map(c -> new Condition(c.when(), erase(c.body()), Loc.NONE))
                        .toList(),
                p.annotations(),
                p.templateId(),
                Loc.NONE);
    }

    public static Expr erase(Expr e) {
        if (Chains.chainClass(e) != Chains.NONE && Chains.continues(e, Chains.left(e))) {
            // a long chain: erase its first operand, then rebuild the spine bottom-up
            List<Expr> spine = Chains.spine(e);
            Expr acc = erase(Chains.left(spine.get(spine.size() - 1)));
            for (int i = spine.size() - 1; i >= 0; i--) {
                acc = eraseNode(Chains.withLeft(spine.get(i), acc), acc);
            }
            return acc;
        }
        return eraseNode(e, null);
    }

    /** {@code e} without locations; {@code erasedLeft}, when not null, is its chain operand, done. */
    private static Expr eraseNode(Expr e, Expr erasedLeft) {
        Loc n = Loc.NONE;
        if (erasedLeft != null) {
            return switch (e) {
                case Expr.Or o -> new Expr.Or(erasedLeft, erase(o.right()), n);
                case Expr.And a -> new Expr.And(erasedLeft, erase(a.right()), n);
                case Expr.Binary b -> new Expr.Binary(b.op(), erasedLeft, erase(b.right()), n);
                case Expr.GetAttr g -> new Expr.GetAttr(erasedLeft, g.attr(), n);
                case Expr.Unary u -> new Expr.Unary(u.op(), erasedLeft, n);
                case Expr.Call c -> {
                    List<Expr> args = new ArrayList<>(c.args().size());
                    args.add(erasedLeft);
                    c.args().subList(1, c.args().size()).forEach(a -> args.add(erase(a)));
                    yield new Expr.Call(c.fn(), List.copyOf(args), c.method(), n);
                }
                default -> throw new IllegalArgumentException("not a chain node");
            };
        }
        return switch (e) {
            case Expr.Lit lit -> new Expr.Lit(lit.value(), n);
            case Expr.Var v -> new Expr.Var(v.name(), n);
            case Expr.Slot s -> new Expr.Slot(s.slot(), n);
            case Expr.If i -> new Expr.If(erase(i.cond()), erase(i.then()), erase(i.otherwise()), n);
            case Expr.And a -> new Expr.And(erase(a.left()), erase(a.right()), n);
            case Expr.Or o -> new Expr.Or(erase(o.left()), erase(o.right()), n);
            case Expr.Unary u -> new Expr.Unary(u.op(), erase(u.arg()), n);
            case Expr.Binary b -> new Expr.Binary(b.op(), erase(b.left()), erase(b.right()), n);
            case Expr.Call c ->
                new Expr.Call(c.fn(), c.args().stream().map(Locations::erase).toList(), c.method(), n);
            case Expr.GetAttr g -> new Expr.GetAttr(erase(g.expr()), g.attr(), n);
            case Expr.HasAttr h -> new Expr.HasAttr(erase(h.expr()), h.attr(), n);
            case Expr.Like l -> new Expr.Like(erase(l.expr()), l.pattern(), n);
            case Expr.Is i -> new Expr.Is(erase(i.expr()), i.type(), n);
            case Expr.SetLit s ->
                new Expr.SetLit(s.elements().stream().map(Locations::erase).toList(), n);
            case Expr.RecordLit r -> {
                Map<String, Expr> fields = new LinkedHashMap<>();
                r.fields().forEach((k, v) -> fields.put(k, erase(v)));
                yield new Expr.RecordLit(fields, n);
            }
        };
    }
}
