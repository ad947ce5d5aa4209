package dev.portcullis.cedar.validation;

import dev.portcullis.cedar.ast.Condition;
import dev.portcullis.cedar.ast.Expr;
import dev.portcullis.cedar.ast.Loc;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.StringValue;
import java.lang.Character.UnicodeScript;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Warnings about the text of a policy that may hide its meaning from a reviewer, as Cedar's
 * validator reports them: strings or identifiers with bidirectional-control characters (which can
 * reorder how the source is displayed), and ones that mix scripts (e.g. a Cyrillic {@code а} in
 * an otherwise Latin {@code admin}), which makes look-alike names possible.
 */
final class TextWarnings {
    private final Policy policy;
    private final Map<String, ValidationWarning> out = new LinkedHashMap<>();

    private TextWarnings(Policy policy) {
        this.policy = policy;
    }

    static List<ValidationWarning> check(Policy p) {
        TextWarnings w = new TextWarnings(p);
        for (Condition c : p.conditions()) {
            w.expr(c.body());
        }
        return new ArrayList<>(w.out.values());
    }

    /**
     * Visits {@code root} and its subexpressions in the order recursion would, with an explicit
     * stack (operator chains can be 100,000 deep); an element is an expression to visit or a check
     * deferred until after the operands pushed above it.
     */
    private void expr(Expr root) {
        ArrayDeque<Object> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Object next = todo.pop();
            if (next instanceof Runnable deferred) {
                deferred.run();
                continue;
            }
            switch ((Expr) next) {
                case Expr.Lit lit -> {
                    if (lit.value() instanceof StringValue s) {
                        text(s.value(), "string", lit.loc());
                    } else if (lit.value() instanceof EntityUid u) {
                        text(u.type().name(), "identifier", lit.loc());
                    }
                }
                case Expr.Var v -> {}
                case Expr.Slot s -> {}
                case Expr.If e -> pushAll(todo, List.of(e.cond(), e.then(), e.otherwise()));
                case Expr.And e -> pushAll(todo, List.of(e.left(), e.right()));
                case Expr.Or e -> pushAll(todo, List.of(e.left(), e.right()));
                case Expr.Unary e -> todo.push(e.arg());
                case Expr.Binary e -> pushAll(todo, List.of(e.left(), e.right()));
                case Expr.Call e -> pushAll(todo, e.args());
                case Expr.GetAttr e -> {
                    todo.push((Runnable) () -> text(e.attr(), "identifier", e.loc()));
                    todo.push(e.expr());
                }
                case Expr.HasAttr e -> {
                    todo.push((Runnable) () -> text(e.attr(), "identifier", e.loc()));
                    todo.push(e.expr());
                }
                case Expr.Like e -> todo.push(e.expr());
                case Expr.Is e -> {
                    todo.push((Runnable) () -> text(e.type().name(), "identifier", e.loc()));
                    todo.push(e.expr());
                }
                case Expr.SetLit e -> pushAll(todo, e.elements());
                case Expr.RecordLit e -> {
                    List<Map.Entry<String, Expr>> fields =
                            List.copyOf(e.fields().entrySet());
                    for (int i = fields.size() - 1; i >= 0; i--) {
                        Map.Entry<String, Expr> f = fields.get(i);
                        todo.push(f.getValue());
                        todo.push((Runnable) () -> text(f.getKey(), "identifier", e.loc()));
                    }
                }
            }
        }
    }

    private static void pushAll(ArrayDeque<Object> todo, List<Expr> operands) {
        for (int i = operands.size() - 1; i >= 0; i--) {
            todo.push(operands.get(i));
        }
    }

    private void text(String s, String what, Loc loc) {
        if (s.chars().allMatch(c -> c < 0x80)) {
            return;
        }
        if (s.codePoints().anyMatch(TextWarnings::isBidiControl)) {
            add(
                    loc,
                    ValidationWarning.Kind.BIDI_CHARACTERS,
                    what + " `" + printable(s)
                            + "` contains bidirectional control characters that can make the policy display differently"
                            + " from what it means; remove them");
            return;
        }
        Set<UnicodeScript> scripts = EnumSet.noneOf(UnicodeScript.class);
        s.codePoints().forEach(c -> {
            UnicodeScript sc = UnicodeScript.of(c);
            if (sc != UnicodeScript.COMMON && sc != UnicodeScript.INHERITED && sc != UnicodeScript.UNKNOWN) {
                scripts.add(sc);
            }
        });
        if (scripts.size() > 1) {
            add(
                    loc,
                    ValidationWarning.Kind.CONFUSABLE_TEXT,
                    what + " `" + printable(s) + "` mixes scripts "
                            + scripts.stream()
                                    .map(sc -> sc.name().toLowerCase(java.util.Locale.ROOT))
                                    .toList()
                            + ", so it may look like another; write it in one script");
        }
    }

    private static boolean isBidiControl(int c) {
        return (c >= 0x202A && c <= 0x202E)
                || (c >= 0x2066 && c <= 0x2069)
                || c == 0x200E
                || c == 0x200F
                || c == 0x061C;
    }

    /** The text with control characters escaped, so the warning itself displays faithfully. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (isBidiControl(c) || Character.isISOControl(c)) {
                b.append(String.format("\\u{%x}", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    private void add(Loc loc, ValidationWarning.Kind kind, String message) {
        String msg = Validator.prefix(policy, loc) + message;
        out.putIfAbsent(msg, new ValidationWarning(policy.id(), loc, kind, msg));
    }
}
