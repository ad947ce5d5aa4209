package dev.portcullis.cedar.parser;

import dev.portcullis.cedar.ast.Expr;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Bounds the height of an expression tree. Long operator chains ({@code a || b || ...}) are parsed
 * by loops but produce deep trees, which every recursive consumer would then walk; this check is
 * iterative so that it cannot overflow itself.
 */
public final class Depth {
    private Depth() {}

    /** The maximum height of an expression tree accepted from policy text or JSON. */
    public static final int MAX_HEIGHT = Parser.MAX_DEPTH;

    private record Item(Expr expr, int depth) {}

    /** True when the tree is taller than {@link #MAX_HEIGHT}. */
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
            for (Expr child : children(item.expr)) {
                stack.push(new Item(child, item.depth + 1));
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
