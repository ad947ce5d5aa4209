package dev.portcullis.cedar.eval;

import dev.portcullis.cedar.ast.BinaryOp;
import dev.portcullis.cedar.ast.Expr;
import dev.portcullis.cedar.ast.Loc;
import dev.portcullis.cedar.ast.Pattern;
import dev.portcullis.cedar.ast.UnaryOp;
import dev.portcullis.cedar.ast.VarName;
import dev.portcullis.cedar.value.BoolValue;
import dev.portcullis.cedar.value.EntityType;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.LongValue;
import dev.portcullis.cedar.value.StringValue;
import dev.portcullis.cedar.value.Strings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Builds expression trees by hand for tests (independent of the parser) and renders them back as
 * fully parenthesized Cedar text for the official engine.
 */
final class Ast {
    private static final Loc L = Loc.NONE;

    private Ast() {}

    static Expr lit(long v) {
        return new Expr.Lit(LongValue.of(v), L);
    }

    static Expr lit(boolean v) {
        return new Expr.Lit(BoolValue.of(v), L);
    }

    static Expr str(String v) {
        return new Expr.Lit(new StringValue(v), L);
    }

    static Expr uid(String type, String id) {
        return new Expr.Lit(EntityUid.of(type, id), L);
    }

    static Expr var(VarName v) {
        return new Expr.Var(v, L);
    }

    static Expr principal() {
        return var(VarName.PRINCIPAL);
    }

    static Expr context() {
        return var(VarName.CONTEXT);
    }

    static Expr and(Expr a, Expr b) {
        return new Expr.And(a, b, L);
    }

    static Expr or(Expr a, Expr b) {
        return new Expr.Or(a, b, L);
    }

    static Expr ite(Expr c, Expr t, Expr e) {
        return new Expr.If(c, t, e, L);
    }

    static Expr not(Expr a) {
        return new Expr.Unary(UnaryOp.NOT, a, L);
    }

    static Expr neg(Expr a) {
        return new Expr.Unary(UnaryOp.NEG, a, L);
    }

    static Expr isEmpty(Expr a) {
        return new Expr.Unary(UnaryOp.IS_EMPTY, a, L);
    }

    static Expr bin(BinaryOp op, Expr a, Expr b) {
        return new Expr.Binary(op, a, b, L);
    }

    static Expr call(String fn, Expr... args) {
        return new Expr.Call(fn, List.of(args), false, L);
    }

    static Expr method(Expr receiver, String fn, Expr... args) {
        List<Expr> all = new ArrayList<>();
        all.add(receiver);
        all.addAll(List.of(args));
        return new Expr.Call(fn, all, true, L);
    }

    static Expr get(Expr e, String attr) {
        return new Expr.GetAttr(e, attr, L);
    }

    static Expr has(Expr e, String attr) {
        return new Expr.HasAttr(e, attr, L);
    }

    /** {@code pattern} uses {@code *} as the wildcard (no escapes needed in tests). */
    static Expr like(Expr e, String pattern) {
        List<Pattern.Elem> elems = new ArrayList<>();
        pattern.codePoints().forEach(cp -> elems.add(cp == '*' ? Pattern.Elem.WILDCARD : Pattern.Elem.literal(cp)));
        return new Expr.Like(e, new Pattern(elems), L);
    }

    static Expr is(Expr e, String type) {
        return new Expr.Is(e, new EntityType(type), L);
    }

    static Expr set(Expr... elems) {
        return new Expr.SetLit(List.of(elems), L);
    }

    /** {@code rec("a", x, "b", y)} */
    static Expr rec(Object... kv) {
        Map<String, Expr> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Expr) kv[i + 1]);
        }
        return new Expr.RecordLit(m, L);
    }

    /** Fully parenthesized Cedar text of {@code e}. */
    static String render(Expr e) {
        return switch (e) {
            case Expr.Lit l ->
                l.value() instanceof LongValue lv && lv.value() < 0
                        ? "(" + lv.value() + ")"
                        : l.value().toString();
            case Expr.Var v -> v.name().text();
            case Expr.Slot s -> s.slot().text();
            case Expr.If i ->
                "(if " + render(i.cond()) + " then " + render(i.then()) + " else " + render(i.otherwise()) + ")";
            case Expr.And a -> "(" + render(a.left()) + " && " + render(a.right()) + ")";
            case Expr.Or o -> "(" + render(o.left()) + " || " + render(o.right()) + ")";
            case Expr.Unary u ->
                switch (u.op()) {
                    case NOT -> "(!" + render(u.arg()) + ")";
                    case NEG -> "(-" + render(u.arg()) + ")";
                    case IS_EMPTY -> render(u.arg()) + ".isEmpty()";
                };
            case Expr.Binary b ->
                b.op().isMethod()
                        ? render(b.left()) + "." + b.op().text() + "(" + render(b.right()) + ")"
                        : "(" + render(b.left()) + " " + b.op().text() + " " + render(b.right()) + ")";
            case Expr.Call c ->
                c.method()
                        ? render(c.args().get(0)) + "." + c.fn() + "("
                                + c.args().subList(1, c.args().size()).stream()
                                        .map(Ast::render)
                                        .collect(Collectors.joining(", "))
                                + ")"
                        : c.fn() + "(" + c.args().stream().map(Ast::render).collect(Collectors.joining(", ")) + ")";
            case Expr.GetAttr g -> render(g.expr()) + "[" + Strings.quote(g.attr()) + "]";
            case Expr.HasAttr h -> "(" + render(h.expr()) + " has " + Strings.quote(h.attr()) + ")";
            case Expr.Like l ->
                "(" + render(l.expr()) + " like \""
                        + l.pattern().elems().stream()
                                .map(el -> el.wildcard() ? "*" : escapeInPattern(el.codePoint()))
                                .collect(Collectors.joining())
                        + "\")";
            case Expr.Is i -> "(" + render(i.expr()) + " is " + i.type().name() + ")";
            case Expr.SetLit s -> s.elements().stream().map(Ast::render).collect(Collectors.joining(", ", "[", "]"));
            case Expr.RecordLit r ->
                r.fields().entrySet().stream()
                        .map(f -> Strings.quote(f.getKey()) + ": " + render(f.getValue()))
                        .collect(Collectors.joining(", ", "{", "}"));
        };
    }

    private static String escapeInPattern(int cp) {
        String q = Strings.quote(new String(Character.toChars(cp)));
        return q.substring(1, q.length() - 1);
    }
}
