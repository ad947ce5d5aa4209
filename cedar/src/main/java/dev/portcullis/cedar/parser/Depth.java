package dev.portcullis.cedar.parser;

import dev.portcullis.cedar.ast.Chains;
import dev.portcullis.cedar.ast.Expr;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Bounds the nesting of an expression tree. Long operator chains ({@code a || b || ...}, member
 * chains {@code a.b.c}) are parsed by loops and give deep left spines, which every tree walker
 * follows with a loop (see {@link Chains}); so a chain's spine counts as one level, and only
 * genuine nesting (operands, arguments, elements, parentheses in JSON-built trees) adds levels.
 * This check is iterative so that it cannot overflow itself.
 */
public final class Depth {
    private Depth() {}

    /** The maximum nesting of an expression tree (chain spines excluded) accepted from text or JSON. */
    public static final int MAX_HEIGHT = Parser.MAX_DEPTH;

    private record Item(Expr expr, int depth) {}

    /** True when the tree is nested deeper than {@link #MAX_HEIGHT}. */
    public static boolean exceedsLimit(Expr root) {
        try {
            check(root);
            return false;
        } catch (ParseException e) {
            return true;
        }
    }

    static void check(Expr root) {
        ArrayDeque<Item> stack = new ArrayDeque<>();
        stack.push(new Item(root, 1));
        while (!stack.isEmpty()) {
            Item item = stack.pop();
            if (item.depth > Parser.MAX_DEPTH) {
                throw new ParseException(
                        item.expr.loc().line(),
                        item.expr.loc().column(),
                        "expression is nested too deeply (more than " + Parser.MAX_DEPTH + " levels)");
            }
            Expr chainNext = Chains.chainClass(item.expr) == Chains.NONE ? null : Chains.left(item.expr);
            boolean spine = chainNext != null && Chains.continues(item.expr, chainNext);
            for (Expr child : children(item.expr)) {
                stack.push(new Item(child, spine && child == chainNext ? item.depth : item.depth + 1));
            }
        }
    }

    static List<Expr> children(Expr e) {
        return switch (e) {
            case Expr.Lit lit -> List.of();
            case Expr.Var v -> List.of();
            case Expr.Slot s -> List.of();
            case Expr.If i -> List.of(i.cond(), i.then(), i.otherwise());
            case Expr.And a -> List.of(a.left(), a.right());
            case Expr.Or o -> List.of(o.left(), o.right());
            case Expr.Unary u -> List.of(u.arg());
            case Expr.Binary b -> List.of(b.left(), b.right());
            case Expr.Call c -> c.args();
            case Expr.GetAttr g -> List.of(g.expr());
            case Expr.HasAttr h -> List.of(h.expr());
            case Expr.Like l -> List.of(l.expr());
            case Expr.Is i -> List.of(i.expr());
            case Expr.SetLit s -> s.elements();
            case Expr.RecordLit r -> List.copyOf(r.fields().values());
        };
    }
}
