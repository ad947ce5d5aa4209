package dev.portcullis.cedar.format;

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
import dev.portcullis.cedar.value.BoolValue;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.ExtValue;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.RecordValue;
import dev.portcullis.cedar.value.SetValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Strings;
import dev.portcullis.cedar.value.Value;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prints policies in the conventional Cedar layout (that of {@code cedar format}): one annotation
 * per line, the scope on indented lines, each condition on a line of its own. Expressions get the
 * fewest parentheses that keep their meaning.
 *
 * <p>INVARIANT: {@code PolicyParser.parse(format(p))} equals {@code p} up to source locations.
 * Two grammar quirks need care: a {@code -} directly before an integer literal is folded into the
 * literal by the parser (so the negation of a literal {@code 5} prints as {@code -(5)}), and at most
 * four {@code !} or {@code -} may be written in a row.
 */
public final class PolicyFormatter {
    private PolicyFormatter() {}

    // Precedence levels, loosest first; an operand printed where a higher level is required gets
    // parentheses.
    private static final int IF = 0;
    private static final int OR = 1;
    private static final int AND = 2;
    private static final int REL = 3;
    private static final int ADD = 4;
    private static final int MUL = 5;
    private static final int UNARY = 6;
    private static final int MEMBER = 7;
    private static final int PRIMARY = 8;

    private static final Set<String> RESERVED =
            Set.of("true", "false", "if", "then", "else", "in", "is", "like", "has", "__cedar");

    public static String format(List<Policy> policies) {
        StringBuilder b = new StringBuilder();
        for (Policy p : policies) {
            if (!b.isEmpty()) {
                b.append('\n');
            }
            policy(b, p);
            b.append('\n');
        }
        return b.toString();
    }

    /**
     * Formats policy text, keeping its {@code //} comments in place (see {@link SourceFormatter}).
     * Formatting is idempotent, and the result parses to the same policies as {@code text}.
     *
     * @throws dev.portcullis.cedar.parser.ParseException when {@code text} is not valid policy text
     */
    public static String formatSource(String text) {
        return SourceFormatter.format(text);
    }

    public static String format(Policy policy) {
        StringBuilder b = new StringBuilder();
        policy(b, policy);
        return b.toString();
    }

    public static String format(Expr expr) {
        StringBuilder b = new StringBuilder();
        expr(b, expr, IF);
        return b.toString();
    }

    private static void policy(StringBuilder b, Policy p) {
        for (Map.Entry<String, String> a : p.annotations().entrySet()) {
            b.append('@')
                    .append(a.getKey())
                    .append('(')
                    .append(Strings.quote(a.getValue()))
                    .append(")\n");
        }
        b.append(p.effect().text()).append(" (\n  ");
        scope(b, "principal", p.principal());
        b.append(",\n  action");
        switch (p.action()) {
            case ActionConstraint.Any any -> {}
            case ActionConstraint.Eq eq -> b.append(" == ").append(uid(eq.action()));
            case ActionConstraint.In in -> {
                b.append(" in ");
                if (!in.set() && in.actions().size() == 1) {
                    b.append(uid(in.actions().get(0)));
                } else {
                    b.append('[');
                    for (int i = 0; i < in.actions().size(); i++) {
                        b.append(i == 0 ? "" : ", ").append(uid(in.actions().get(i)));
                    }
                    b.append(']');
                }
            }
        }
        b.append(",\n  ");
        scope(b, "resource", p.resource());
        b.append("\n)");
        for (Condition c : p.conditions()) {
            b.append('\n').append(c.when() ? "when" : "unless").append(" { ");
            expr(b, c.body(), IF);
            b.append(" }");
        }
        b.append(';');
    }

    private static void scope(StringBuilder b, String var, ScopeConstraint c) {
        b.append(var);
        switch (c) {
            case ScopeConstraint.Any any -> {}
            case ScopeConstraint.Eq eq -> b.append(" == ").append(ref(eq.ref()));
            case ScopeConstraint.In in -> b.append(" in ").append(ref(in.ref()));
            case ScopeConstraint.Is is -> b.append(" is ").append(is.type().name());
            case ScopeConstraint.IsIn isIn ->
                b.append(" is ").append(isIn.type().name()).append(" in ").append(ref(isIn.ref()));
        }
    }

    private static String ref(EntityRef r) {
        return r.isSlot() ? r.slot().text() : uid(r.uid());
    }

    private static String uid(EntityUid u) {
        return u.type().name() + "::" + Strings.quote(u.id());
    }

    /** The precedence level of the construct {@code e} prints as. */
    private static int level(Expr e) {
        return switch (e) {
            case Expr.If i -> IF;
            case Expr.Or o -> OR;
            case Expr.And a -> AND;
            case Expr.HasAttr h -> REL;
            case Expr.Like l -> REL;
            case Expr.Is i -> REL;
            case Expr.Binary b ->
                switch (b.op()) {
                    case EQ, NEQ, LT, LE, GT, GE, IN -> REL;
                    case ADD, SUB -> ADD;
                    case MUL -> MUL;
                    default -> MEMBER;
                };
            case Expr.Unary u -> u.op() == UnaryOp.IS_EMPTY ? MEMBER : UNARY;
            case Expr.GetAttr g -> MEMBER;
            case Expr.Call c -> c.method() ? MEMBER : PRIMARY;
            // a negative literal prints with a leading `-`, a unary-level construct
            case Expr.Lit lit -> lit.value() instanceof LongValue l && l.value() < 0 ? UNARY : PRIMARY;
            default -> PRIMARY;
        };
    }

    private static void expr(StringBuilder b, Expr e, int required) {
        boolean parens = level(e) < required;
        if (parens) {
            b.append('(');
        }
        if (Chains.chainClass(e) != Chains.NONE) {
            chain(b, e);
            if (parens) {
                b.append(')');
            }
            return;
        }
        switch (e) {
            case Expr.Lit lit -> b.append(literal(lit.value()));
            case Expr.Var v -> b.append(v.name().text());
            case Expr.Slot s -> b.append(s.slot().text());
            case Expr.If i -> {
                b.append("if ");
                expr(b, i.cond(), IF);
                b.append(" then ");
                expr(b, i.then(), IF);
                b.append(" else ");
                expr(b, i.otherwise(), IF);
            }
            case Expr.Or o -> infix(b, o.left(), " || ", o.right(), OR);
            case Expr.And a -> infix(b, a.left(), " && ", a.right(), AND);
            case Expr.Binary bin -> binary(b, bin);
            case Expr.Unary u -> unary(b, u);
            case Expr.HasAttr h -> {
                expr(b, h.expr(), ADD);
                b.append(" has ").append(isIdent(h.attr()) ? h.attr() : Strings.quote(h.attr()));
            }
            case Expr.Like l -> {
                expr(b, l.expr(), ADD);
                b.append(" like ").append(pattern(l.pattern()));
            }
            case Expr.Is i -> {
                expr(b, i.expr(), ADD);
                b.append(" is ").append(i.type().name());
            }
            case Expr.GetAttr g -> {
                expr(b, g.expr(), MEMBER);
                if (isIdent(g.attr())) {
                    b.append('.').append(g.attr());
                } else {
                    b.append('[').append(Strings.quote(g.attr())).append(']');
                }
            }
            case Expr.Call c -> {
                List<Expr> args = c.args();
                if (c.method()) {
                    expr(b, args.get(0), MEMBER);
                    b.append('.').append(c.fn());
                    args(b, args.subList(1, args.size()), '(', ')');
                } else {
                    b.append(c.fn());
                    args(b, args, '(', ')');
                }
            }
            case Expr.SetLit s -> args(b, s.elements(), '[', ']');
            case Expr.RecordLit r -> {
                b.append('{');
                boolean first = true;
                for (Map.Entry<String, Expr> f : r.fields().entrySet()) {
                    b.append(first ? "" : ", ");
                    first = false;
                    b.append(isIdent(f.getKey()) ? f.getKey() : Strings.quote(f.getKey()));
                    b.append(": ");
                    expr(b, f.getValue(), IF);
                }
                b.append('}');
            }
        }
        if (parens) {
            b.append(')');
        }
    }

    /**
     * A chain ({@code a || b || c}, {@code a + b - c}, {@code a.b.contains(c)}, ...) printed with a
     * loop over its left spine, so that chains of any length print without deep recursion. Inner
     * spine nodes never need parentheses: they have the level their parent's left operand requires.
     */
    private static void chain(StringBuilder b, Expr top) {
        List<Expr> spine = Chains.spine(top);
        Expr innermost = spine.get(spine.size() - 1);
        int leftLevel =
                switch (Chains.chainClass(innermost)) {
                    case Chains.OR -> OR;
                    case Chains.AND -> AND;
                    case Chains.ADD -> ADD;
                    case Chains.MUL -> MUL;
                    default -> MEMBER;
                };
        expr(b, Chains.left(innermost), leftLevel);
        for (int i = spine.size() - 1; i >= 0; i--) {
            switch (spine.get(i)) {
                case Expr.Or o -> {
                    b.append(" || ");
                    expr(b, o.right(), AND);
                }
                case Expr.And a -> {
                    b.append(" && ");
                    expr(b, a.right(), REL);
                }
                case Expr.Binary bin -> {
                    switch (bin.op()) {
                        case ADD, SUB -> b.append(' ').append(bin.op().text()).append(' ');
                        case MUL -> b.append(" * ");
                        default -> b.append('.').append(bin.op().text()).append('(');
                    }
                    switch (bin.op()) {
                        case ADD, SUB -> expr(b, bin.right(), MUL);
                        case MUL -> expr(b, bin.right(), UNARY);
                        default -> {
                            expr(b, bin.right(), IF);
                            b.append(')');
                        }
                    }
                }
                case Expr.GetAttr g -> {
                    if (isIdent(g.attr())) {
                        b.append('.').append(g.attr());
                    } else {
                        b.append('[').append(Strings.quote(g.attr())).append(']');
                    }
                }
                case Expr.Unary u -> b.append(".isEmpty()");
                case Expr.Call c -> {
                    b.append('.').append(c.fn());
                    args(b, c.args().subList(1, c.args().size()), '(', ')');
                }
                default -> throw new IllegalStateException("not a chain node");
            }
        }
    }

    private static void infix(StringBuilder b, Expr left, String op, Expr right, int level) {
        expr(b, left, level);
        b.append(op);
        expr(b, right, level + 1);
    }

    private static void binary(StringBuilder b, Expr.Binary bin) {
        BinaryOp op = bin.op();
        switch (op) {
            case EQ, NEQ, LT, LE, GT, GE, IN -> {
                // relations do not chain: both operands must bind tighter
                expr(b, bin.left(), ADD);
                b.append(' ').append(op.text()).append(' ');
                expr(b, bin.right(), ADD);
            }
            case ADD, SUB -> infix(b, bin.left(), " " + op.text() + " ", bin.right(), ADD);
            case MUL -> infix(b, bin.left(), " * ", bin.right(), MUL);
            default -> {
                expr(b, bin.left(), MEMBER);
                b.append('.').append(op.text()).append('(');
                expr(b, bin.right(), IF);
                b.append(')');
            }
        }
    }

    private static void unary(StringBuilder b, Expr.Unary u) {
        if (u.op() == UnaryOp.IS_EMPTY) {
            expr(b, u.arg(), MEMBER);
            b.append(".isEmpty()");
            return;
        }
        // Print up to four operators in a row; whatever is left is parenthesised by `expr`.
        String sym = u.op() == UnaryOp.NOT ? "!" : "-";
        Expr inner = u;
        int count = 0;
        while (count < 4 && inner instanceof Expr.Unary w && w.op() == u.op()) {
            b.append(sym);
            inner = w.arg();
            count++;
        }
        if (u.op() == UnaryOp.NEG && inner instanceof Expr.Lit lit && lit.value() instanceof LongValue lv) {
            if (lv.value() >= 0) {
                // `-5` would parse as the literal -5, not as the negation of 5
                b.append('(').append(lv.value()).append(')');
                return;
            }
            if (count < 4) {
                // `--5` parses as the negation of the literal -5: the literal folds one dash
                b.append(lv.value());
                return;
            }
        }
        expr(b, inner, MEMBER);
    }

    private static void args(StringBuilder b, List<Expr> args, char open, char close) {
        b.append(open);
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) {
                b.append(", ");
            }
            expr(b, args.get(i), IF);
        }
        b.append(close);
    }

    private static String literal(Value v) {
        return switch (v) {
            case BoolValue bv -> Boolean.toString(bv.value());
            case LongValue lv -> Long.toString(lv.value());
            case StringValue sv -> Strings.quote(sv.value());
            case EntityUid u -> uid(u);
            // The parser never produces the following as literals, but trees built in code may.
            case SetValue set ->
                set.elements().stream()
                        .map(PolicyFormatter::literal)
                        .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
            case RecordValue rec ->
                rec.attrs().entrySet().stream()
                        .map(e -> Strings.quote(e.getKey()) + ": " + literal(e.getValue()))
                        .collect(java.util.stream.Collectors.joining(", ", "{", "}"));
            case ExtValue ext -> ext.toString(); // extension values print as their constructor call
        };
    }

    private static String pattern(Pattern p) {
        StringBuilder b = new StringBuilder();
        for (Pattern.Elem e : p.elems()) {
            if (e.wildcard()) {
                b.append('*');
            } else if (e.codePoint() == '*') {
                b.append("\\*");
            } else {
                String q = Strings.quote(new String(Character.toChars(e.codePoint())));
                b.append(q, 1, q.length() - 1);
            }
        }
        return "\"" + b + "\"";
    }

    /** True when {@code s} can be written as a bare identifier (attribute names, record keys). */
    static boolean isIdent(String s) {
        if (s.isEmpty() || RESERVED.contains(s)) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok =
                    c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
