package dev.portcullis.cedar.validation;

import dev.portcullis.cedar.ast.Condition;
import dev.portcullis.cedar.ast.Expr;
import dev.portcullis.cedar.ast.Loc;
import dev.portcullis.cedar.ast.Policy;
import dev.portcullis.cedar.value.EntityUid;
import dev.portcullis.cedar.value.StringValue;
import java.lang.Character.UnicodeScript;
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

    private void expr(Expr x) {
        switch (x) {
            case Expr.Lit lit -> {
                if (lit.value() instanceof StringValue s) {
                    text(s.value(), "string", lit.loc());
                } else if (lit.value() instanceof EntityUid u) {
                    text(u.type().name(), "identifier", lit.loc());
                }
            }
            case Expr.Var v -> {}
            case Expr.Slot s -> {}
            case Expr.If e -> {
                expr(e.cond());
                expr(e.then());
                expr(e.otherwise());
            }
            case Expr.And e -> {
                expr(e.left());
                expr(e.right());
            }
            case Expr.Or e -> {
                expr(e.left());
                expr(e.right());
            }
            case Expr.Unary e -> expr(e.arg());
            case Expr.Binary e -> {
                expr(e.left());
                expr(e.right());
            }
            case Expr.Call e -> e.args().forEach(this::expr);
            case Expr.GetAttr e -> {
                expr(e.expr());
                text(e.attr(), "identifier", e.loc());
            }
            case Expr.HasAttr e -> {
                expr(e.expr());
                text(e.attr(), "identifier", e.loc());
            }
            case Expr.Like e -> expr(e.expr());
            case Expr.Is e -> {
                expr(e.expr());
                text(e.type().name(), "identifier", e.loc());
            }
            case Expr.SetLit e -> e.elements().forEach(this::expr);
            case Expr.RecordLit e ->
                e.fields().forEach((k, v) -> {
                    text(k, "identifier", e.loc());
                    expr(v);
                });
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
