package dev.portcullis.cedar.ast;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Left-deep operator chains. Cedar's grammar makes {@code a || b || c}, {@code a && b && c},
 * {@code a + b - c}, {@code a * b * c} and member accesses {@code a.b.c.contains(d).isEmpty()}
 * left-deep trees, whose height grows with the number of terms (generated policies have chains of
 * thousands). Every tree walker follows such a chain's left spine with a loop, recursing only into
 * the other operands; {@code parser.Depth} counts a spine edge as no nesting, so the recursion that
 * remains is bounded by genuine nesting.
 *
 * <p>A chain is a run of nodes of the same class where each node's {@link #left} is the next one.
 */
public final class Chains {
    private Chains() {}

    public static final int NONE = 0;
    public static final int OR = 1;
    public static final int AND = 2;
    public static final int ADD = 3;
    public static final int MUL = 4;
    public static final int MEMBER = 5;

    /** The chain class of {@code e}, or {@link #NONE} when {@code e} cannot continue a chain. */
    public static int chainClass(Expr e) {
        return switch (e) {
            case Expr.Or o -> OR;
            case Expr.And a -> AND;
            case Expr.Binary b ->
                switch (b.op()) {
                    case ADD, SUB -> ADD;
                    case MUL -> MUL;
                    case CONTAINS, CONTAINS_ALL, CONTAINS_ANY, GET_TAG, HAS_TAG -> MEMBER;
                    default -> NONE; // relations do not chain
                };
            case Expr.GetAttr g -> MEMBER;
            case Expr.Unary u -> u.op() == UnaryOp.IS_EMPTY ? MEMBER : NONE;
            case Expr.Call c -> c.method() && !c.args().isEmpty() ? MEMBER : NONE;
            default -> NONE;
        };
    }

    /** The operand through which a chain continues: the left operand, or a member access's receiver. */
    public static Expr left(Expr e) {
        return switch (e) {
            case Expr.Or o -> o.left();
            case Expr.And a -> a.left();
            case Expr.Binary b -> b.left();
            case Expr.GetAttr g -> g.expr();
            case Expr.Unary u -> u.arg();
            case Expr.Call c -> c.args().get(0);
            default ->
                throw new IllegalArgumentException(
                        "not a chain node: " + e.getClass().getSimpleName());
        };
    }

    /** True when {@code child} is {@code parent}'s {@link #left} and of the same chain class. */
    public static boolean continues(Expr parent, Expr child) {
        int k = chainClass(parent);
        return k != NONE && chainClass(child) == k;
    }

    /**
     * The chain that starts at {@code top}: {@code top} first, then each node's {@link #left} while
     * it continues the chain. The last element's {@link #left} is the chain's first operand.
     */
    public static List<Expr> spine(Expr top) {
        List<Expr> out = new ArrayList<>();
        Expr e = top;
        out.add(e);
        while (continues(e, left(e))) {
            e = left(e);
            out.add(e);
        }
        return out;
    }

    /** The same node with its {@link #left} replaced. */
    public static Expr withLeft(Expr e, Expr left) {
        return switch (e) {
            case Expr.Or o -> new Expr.Or(left, o.right(), o.loc());
            case Expr.And a -> new Expr.And(left, a.right(), a.loc());
            case Expr.Binary b -> new Expr.Binary(b.op(), left, b.right(), b.loc());
            case Expr.GetAttr g -> new Expr.GetAttr(left, g.attr(), g.loc());
            case Expr.Unary u -> new Expr.Unary(u.op(), left, u.loc());
            case Expr.Call c -> {
                List<Expr> args = new ArrayList<>(c.args());
                args.set(0, left);
                yield new Expr.Call(c.fn(), List.copyOf(args), c.method(), c.loc());
            }
            default ->
                throw new IllegalArgumentException(
                        "not a chain node: " + e.getClass().getSimpleName());
        };
    }

    // ---- structural equality and hashing without recursion along chains (used by the records)

    static boolean equal(Expr a, Object other) {
        if (a == other) {
            return true;
        }
        if (!(other instanceof Expr b)) {
            return false;
        }
        while (true) {
            if (a.getClass() != b.getClass() || !a.loc().equals(b.loc()) || !sameExceptLeft(a, b)) {
                return false;
            }
            Expr al = left(a);
            Expr bl = left(b);
            if (al == bl) {
                return true;
            }
            if (!continues(a, al) || !continues(b, bl)) {
                return al.equals(bl);
            }
            a = al;
            b = bl;
        }
    }

    private static boolean sameExceptLeft(Expr a, Expr b) {
        return switch (a) {
            case Expr.Or o -> o.right().equals(((Expr.Or) b).right());
            case Expr.And x -> x.right().equals(((Expr.And) b).right());
            case Expr.Binary x -> x.op() == ((Expr.Binary) b).op() && x.right().equals(((Expr.Binary) b).right());
            case Expr.GetAttr x -> x.attr().equals(((Expr.GetAttr) b).attr());
            case Expr.Unary x -> x.op() == ((Expr.Unary) b).op();
            case Expr.Call x -> {
                Expr.Call y = (Expr.Call) b;
                List<Expr> xa = x.args();
                List<Expr> ya = y.args();
                yield x.method() == y.method()
                        && x.fn().equals(y.fn())
                        && xa.size() == ya.size()
                        && !xa.isEmpty()
                        && xa.subList(1, xa.size()).equals(ya.subList(1, ya.size()));
            }
            default ->
                throw new IllegalArgumentException(
                        "not a chain node: " + a.getClass().getSimpleName());
        };
    }

    static int hash(Expr e) {
        int h = 1;
        while (true) {
            h = 31 * h + e.loc().hashCode();
            h = 31 * h
                    + switch (e) {
                        case Expr.Or o -> 1 + o.right().hashCode();
                        case Expr.And x -> 2 + x.right().hashCode();
                        case Expr.Binary x -> Objects.hash(x.op(), x.right());
                        case Expr.GetAttr x -> x.attr().hashCode();
                        case Expr.Unary x -> x.op().hashCode();
                        case Expr.Call x ->
                            Objects.hash(
                                    x.fn(),
                                    x.method(),
                                    x.args().subList(1, x.args().size()));
                        default -> 0;
                    };
            Expr l = left(e);
            if (!continues(e, l)) {
                return 31 * h + l.hashCode();
            }
            e = l;
        }
    }
}
